"""The Arabic catalog writes its example dates so that they read left to right and never break at
their hyphens (issue 20: the error message broke "1940-08-21" across two lines on a phone), and a
date copied from such a message is still read as a date."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from quizapp.domain.dates import PartialDate

CATALOG = "quizapp/translations/ar/LC_MESSAGES/messages.po"
EXAMPLES = re.compile(r"\u200e?\d{4}(?:\u2060?-\u2060?\d\d){1,2}\u200e?")


def _arabic(msgid_part: str) -> str:
    with open(CATALOG, "rb") as f:
        catalog = read_po(f)
    return next(m.string for m in catalog if isinstance(m.id, str) and msgid_part in m.id and m.string)


def test_example_dates_in_arabic_messages_are_isolated_and_unbreakable() -> None:
    messages = (
        "is not a date (write YYYY",
        "YYYY, YYYY-MM or YYYY-MM-DD: the year",
        "Write the date as YYYY",
    )
    for msgid in messages:
        text = _arabic(msgid)
        dates = EXAMPLES.findall(text)
        assert dates, text
        for date in dates:
            # left-to-right marks on both sides (the page drops isolates: web.neutralise_bidi)
            assert date.startswith("\u200e") and date.endswith("\u200e"), repr(date)
            assert "-" not in date.replace("\u2060-\u2060", ""), repr(date)  # no hyphen to break at


def test_a_date_copied_from_the_message_parses() -> None:
    date = EXAMPLES.findall(_arabic("Write the date as YYYY"))[-1]
    assert PartialDate.parse(date) == PartialDate(1940, 8, 21)
    assert PartialDate.parse("\u200e1940-08\u200f") == PartialDate(1940, 8)
