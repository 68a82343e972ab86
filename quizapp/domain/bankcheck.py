"""What a teacher can act on in a valid bank: texts missing a language, events that overlap in time,
too few events for ordering, facts with too few hand-picked distractors.

Each warning is a code with its parameters; the web layer writes it in the teacher's language.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from .bank import LANGS, Bank, Chronology, Event, Text
from .generate import Settings
from .generate.common import max_apart
from .generate.fact import FactKind

#: The warning codes, in the order a bank page lists them.
CODES: tuple[str, ...] = ("missing-language", "same-date", "few-events-for-ordering", "few-distractors")

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class BankWarning:
    """One thing to act on: a code, its parameters, and the events it is about."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    events: tuple[str, ...] = ()


def looks_missing(text: Text, lang: str) -> bool:
    """True when the text in `lang` is empty, or written in the other language's script."""
    value = text.get(lang)
    if not value.strip():
        return True
    arabic, latin = bool(_ARABIC.search(value)), bool(_LATIN.search(value))
    return (not arabic and latin) if lang == "ar" else (arabic and not latin)


def _event_texts(event: Event) -> list[tuple[str, Text]]:
    """(field, text) for every text an event shows, its facts' included."""
    out: list[tuple[str, Text]] = [("title", event.title)]
    out += [(name, t) for name, t in (("description", event.description), ("note", event.note)) if t]
    out += [("actors", t) for t in event.actors] + [("places", t) for t in event.places]
    for fact in event.facts:
        out.append(("facts", fact.question))
        out += [("facts", t) for t in (fact.answer, fact.unit) if t is not None]
        out += [("facts", t) for t in fact.distractors if isinstance(t, Text)]
    return out


def _missing_language(bank: Bank) -> list[BankWarning]:
    out = []
    for event in bank.events:
        seen: set[tuple[str, str]] = set()
        for name, text in _event_texts(event):
            for lang in LANGS:
                if (name, lang) not in seen and looks_missing(text, lang):
                    seen.add((name, lang))
                    out.append(
                        BankWarning(
                            "missing-language", {"event": event.id, "field": name, "lang": lang}, (event.id,)
                        )
                    )
    return out


def _same_date(bank: Bank) -> list[BankWarning]:
    """Groups of events whose dates overlap (a sweep by start date: each group is a chain), unless
    the narrative orders every two of them (after: ...)."""
    groups: list[list[Event]] = []
    end = None
    for event in sorted(bank.events, key=lambda e: e.date.sort_key()):
        if groups and end is not None and event.date.start <= end:
            groups[-1].append(event)
            end = max(end, event.date.end)
        else:
            groups.append([event])
            end = event.date.end
    chron = bank.chronology
    return [
        BankWarning(
            "same-date",
            {"events": [e.id for e in group], "dates": [e.date.iso() for e in group]},
            tuple(e.id for e in group),
        )
        for group in groups
        if len(group) > 1 and not _told_apart(group, chron)
    ]


def _told_apart(group: list[Event], chron: Chronology) -> bool:
    """True when the narrative (`after`) puts every two events of a small group in a sure order:
    nothing left to act on. A big group (over 50 events) is not checked pair by pair."""
    return len(group) <= 50 and all(
        chron.ordered(a.id, b.id) for i, a in enumerate(group) for b in group[i + 1 :]
    )


def _few_distractors(bank: Bank, settings: Settings) -> list[BankWarning]:
    need = settings.options - 1
    kind = FactKind(bank, settings)
    out = []
    for event in bank.events:
        for j, fact in enumerate(event.facts):
            if fact.kind == "how-many":  # nearby numbers always make up the options
                continue
            have = sum(isinstance(d, Text) for d in fact.distractors)
            if have >= need:
                continue
            usable = kind.make((event.id, j), random.Random(0)) is not None
            params = {"event": event.id, "fact": j + 1, "have": have, "need": need, "usable": usable}
            out.append(BankWarning("few-distractors", params, (event.id,)))
    return out


def bank_warnings(bank: Bank, settings: Settings = Settings()) -> list[BankWarning]:  # noqa: B008
    """Everything a teacher could improve in a bank, grouped by code in the order of CODES.

    With the default settings, found once per parsed bank (Bank.derived: a new version of the bank
    is a new object), as the teacher's bank page asks on every visit.
    """
    if settings == Settings():
        return list(bank.derived("warnings", lambda b: tuple(_bank_warnings(b, Settings()))))
    return _bank_warnings(bank, settings)


def _bank_warnings(bank: Bank, settings: Settings) -> list[BankWarning]:
    out = _missing_language(bank) + _same_date(bank)
    have = max_apart(bank)
    if have < settings.ordering_min:
        out.append(BankWarning("few-events-for-ordering", {"have": have, "need": settings.ordering_min}))
    return out + _few_distractors(bank, settings)
