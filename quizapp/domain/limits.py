"""How big a bank may be, counted on its content, so that whatever is accepted stays usable.

Every way into the site (a bank file, the teacher's forms, a Moodle import, `quizapp bank import`)
goes through `validate_bank`, which asks `over_limits`; a bank within them can always be read back,
edited, previewed, printed and exported, and its YAML download uploaded again. Reading a stored
bank back (banks.to_domain) applies no limit: it was checked on the way in, and a bank stored
before a limit was lowered must still open. questions/README.md states these numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .bank import Bank
from .messages import N_

#: A bank file bigger than this is refused before it is parsed (the Trotsky bank is ~50 KB); the
#: bank as the site keeps it (its JSON document) may not be bigger either, so that its download
#: can be uploaded again.
MAX_BANK_BYTES = 1024 * 1024
#: Events in one bank: a book's worth of dates; more is several banks.
MAX_EVENTS = 5_000
#: Hand-written questions in one bank (Moodle imports add them by the hundred).
MAX_QUESTIONS = 2_000


def stored_size(bank: Bank) -> int:
    """The bytes of the bank as the site keeps it: its JSON document (the JSON export, unindented)."""
    try:
        text = json.dumps(bank.to_dict(), ensure_ascii=False)
    except (AttributeError, TypeError):
        return 0  # read from a broken file, a value of the wrong type: refused for that already
    return len(text.encode("utf-8", "surrogatepass"))


def over_limits(bank: Bank) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, template, params) for each limit the bank passes: events, questions, stored bytes."""
    if len(bank.events) > MAX_EVENTS:
        yield (
            "events",
            N_("the bank has %(count)s events, over the limit of %(limit)s: split it into several banks"),
            {"count": f"{len(bank.events):,}", "limit": f"{MAX_EVENTS:,}"},
        )
    if len(bank.questions) > MAX_QUESTIONS:
        yield (
            "questions",
            N_("the bank has %(count)s hand-written questions, over the limit of %(limit)s"),
            {"count": f"{len(bank.questions):,}", "limit": f"{MAX_QUESTIONS:,}"},
        )
    size = stored_size(bank)
    if size > MAX_BANK_BYTES:
        yield (
            "bank",
            N_(
                "the bank takes %(size)s bytes as the site keeps it (JSON), over the limit of %(limit)s:"
                " shorten its texts or split it into several banks"
            ),
            {"size": f"{size:,}", "limit": f"{MAX_BANK_BYTES:,}"},
        )
