"""The home page's practice cards: each published bank with its practice quiz, read as plain columns
in one statement, and its card (title, description, number of events, links) rendered once for each
version of the bank, language, number style and URL prefix, then kept.

What is kept follows from what the page's query reads anyway (the bank's id, version, update time,
slug and titles, the key its parsed form is cached under in quizapp.banks): a bank changed by
another worker or server has a new version there, so a new key here, and is never shown stale. The
kept card is split where its form's CSRF token goes; the token is the request's and is written
between the two parts at each request, never kept.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template, request
from markupsafe import Markup
from sqlalchemy import select

from .. import reads
from ..banks import to_domain
from ..extensions import db
from ..i18n import current_lang, number_style
from ..models import Bank, Quiz
from ..ui.kept import Holes, keep, kept

#: The template of one bank's card on the home page.
CARD = "main/_practice_card.html"
#: How many cards are kept (banks × languages × URL prefixes); all are dropped when it is reached.
CARDS_KEPT = 256


@dataclass(frozen=True, slots=True)
class Card:
    """A bank's card: its HTML in pieces around the place of its form's CSRF token, and its bank's
    id and events' keys (what is due for review is counted among them)."""

    bank_id: int
    pieces: tuple[str, ...]
    events: frozenset[str]

    def html(self, token: str) -> Markup:
        """The card with this request's token in its form."""
        return _HOLES.fill(self.pieces, csrf=token)


#: The kept cards by bank (id, version, update time, slug, titles), language, number style and the
#: app's URL root, which with the slug makes its links (quizapp.ui.kept).
_KEPT: dict[tuple, Any] = {}

#: The place of the form's token in a card.
_HOLES = Holes("csrf")


#: The columns the page's query reads of each bank: they and the request's context make its key.
_COLUMNS = ("id", "version", "updated_at", "slug", "title_ar", "title_en")


@functools.cache
def _practice_query():  # type: ignore[no-untyped-def]
    """Each published bank that has its practice quiz, as columns (no ORM object: the card is
    kept, and what it needs beyond the columns comes from the parsed bank). Built once a process."""
    return (
        select(*(getattr(Bank, name) for name in _COLUMNS))
        .select_from(Quiz)
        .join(Bank, Quiz.bank_id == Bank.id)
        .where(Quiz.practice.is_(True), Bank.published.is_(True), Bank.deleted.is_(False))
        .order_by(Bank.title_en)
    )


def practice_read() -> tuple[Any, dict[str, Any]]:
    """practice_cards' statement and its parameters (for quizapp.reads.ahead)."""
    return _practice_query(), {}


def practice_cards() -> list[Card]:
    """The home page's practice cards, in the order of the banks' English titles: one statement,
    and while every card is kept, nothing else."""
    rows = reads.rows(*practice_read())  # a plain read: no ORM session while every card is kept
    if not rows:
        return []
    template = current_app.jinja_env.get_template(CARD)
    context = (current_lang(), number_style(), request.script_root)
    cards = []
    for row in rows:
        key = (*row, *context)
        found = kept(_KEPT, template, key)
        if found is not None:
            cards.append(found)
            continue
        card = _render(template, row[0], key)  # by its id
        if card is not None:
            cards.append(card)
    return cards


def _render(template: Any, bank_id: int, key: tuple) -> Card | None:
    """A bank's card, rendered and kept. The row is read as an ORM object for its parsed form; the
    card is kept under the version that row is at (a bank updated since the page's query is shown
    as it is now, and kept under its new version); one deleted since, not at all."""
    bank = db.session.get(Bank, bank_id)
    if bank is None:  # pragma: no cover - deleted between the two statements
        return None
    parsed = to_domain(bank)
    html = render_template(template, bank=bank, parsed=parsed, **_HOLES.places)
    card = Card(bank.id, _HOLES.split(html), frozenset(e.id for e in parsed.events))
    columns = tuple(getattr(bank, name) for name in _COLUMNS)
    return keep(_KEPT, template, (*columns, *key[len(columns) :]), card, CARDS_KEPT)
