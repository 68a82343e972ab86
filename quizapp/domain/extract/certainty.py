"""The certainty a date's own words give it, proposed for the teacher to confirm.

"by 1932" / «بحلول عام 1932» is `by`; "after March 1939" / «بعد مارس 1939» is `after`; "about 1299",
«نحو عام 1299», "1250 تقريباً" are `about`; "between 1961 and 1989" / «بين عامي 1609 و1614» is
`between` its two years; "early/mid/late in 1475", «مطلع/منتصف/أواخر عام 1925» is `between` the
first and last month of that third of the year (of a month: its days 1-10, 11-20, 21-end). The
words are read just before the date (and "approximately"/«تقريباً» just after); the bank's
certainty model is dates.Dating.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace

from quizapp.domain.dates import PartialDate

from .resolver import RANGE_LEAD, Item

#: Years either side proposed for "about" a year (a month or a day: one).
ABOUT_MARGIN = 5

_BEFORE = {
    "en": re.compile(
        r"(?i)(?:^|[^\w])(?:(?P<by>by(?:\s+the\s+end\s+of)?)"
        r"|(?P<after>(?:(?:some\s*time|soon|shortly|not\s+long)\s+)?after)"
        r"|(?P<about>about|around|circa|c\.|ca\.|approximately|roughly)"
        r"|(?P<early>early(?:\s+in)?|(?:at\s+)?the\s+(?:beginning|start)\s+of|in\s+early)"
        r"|(?P<mid>mid|the\s+middle\s+of|in\s+mid)"
        r"|(?P<late>late(?:\s+in)?|(?:at\s+)?the\s+end\s+of|in\s+late))"
        r"[\s-]+(?:the\s+year\s+)?(?:in\s+)?$"
    ),
    "ar": re.compile(
        r"(?:^|[^\w])[وف]?(?:(?P<by>بحلول)|(?P<after>بعد|عقب)"
        r"|(?P<about>نحو|حوالي|حوالى|قرابة|زهاء)"
        r"|(?P<early>(?:في\s+)?(?:مطلع|أوائل|اوائل|بداية|بدايات|مستهل))"
        r"|(?P<mid>(?:في\s+)?(?:منتصف|أواسط|اواسط))"
        r"|(?P<late>(?:في\s+)?(?:أواخر|اواخر|نهاية|أخريات)))"
        r"\s+(?:(?:ال)?(?:عام|سنة)\s*)?$"
    ),
}
_AFTER = {
    "en": re.compile(r"(?i),?\s*(?:or\s+so|approximately)(?!\w)"),
    "ar": re.compile(r"\s*(?:تقريب(?:اً|ًا|ا)|على\s+وجه\s+التقريب)(?![\w])"),
}
#: The months (of a year) or days (of a month) of its early, middle and late third.
_THIRDS = {"early": (0, 1), "mid": (1, 2), "late": (2, 3)}


def _third(date: PartialDate, which: str) -> tuple[PartialDate, PartialDate] | None:
    """The first and last part of a year's or month's third; None for a day."""
    a, b = _THIRDS[which]
    if date.precision == "year":
        return PartialDate(date.year, 4 * a + 1), PartialDate(date.year, 4 * b)
    if date.precision == "month":
        assert date.month is not None
        last = calendar.monthrange(date.year, date.month)[1]
        first_day, last_day = 10 * a + 1, (last if which == "late" else 10 * b)
        return PartialDate(date.year, date.month, first_day), PartialDate(date.year, date.month, last_day)
    return None


def _proposed(text: str, item: Item, lang: str) -> Item:
    """One item with the certainty its words propose."""
    before = text[max(0, item.start - 40) : item.start]
    if item.range_end is not None:
        lead = RANGE_LEAD[lang].search(before)
        if lead and ("بين" in lead.group() or "between" in lead.group().lower()):
            return replace(item, certainty="between", certainty_end=item.range_end)
        return item
    m = _BEFORE[lang].search(before)
    if m and m.lastgroup in _THIRDS:
        third = _third(item.date, m.lastgroup)
        return replace(item, date=third[0], certainty="between", certainty_end=third[1]) if third else item
    if m and m.lastgroup in ("by", "after"):
        return replace(item, certainty=m.lastgroup)
    if (m and m.lastgroup == "about") or _AFTER[lang].match(text, item.end, item.end + 30):
        return replace(item, certainty="about", margin=ABOUT_MARGIN if item.date.precision == "year" else 1)
    return item


def qualify(text: str, items: list[Item], lang: str) -> list[Item]:
    """The items with the certainty their words propose; relative dates and decades stay exact."""
    return [
        item if item.relative or item.decade or item.certainty != "exact" else _proposed(text, item, lang)
        for item in items
    ]
