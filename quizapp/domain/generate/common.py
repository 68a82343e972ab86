"""Helpers the question kinds share: display texts, distinct options, plausible picks."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from functools import cmp_to_key, lru_cache

from quizapp.domain.bank import LANGS, Bank, Event, Text
from quizapp.domain.dates import DateStyle, Dating, PartialDate, format_dating, format_number, format_partial

from .base import Question, Settings, shuffled
from .display import display_key
from .index import timeline


@lru_cache(maxsize=4096)
def date_text(date: PartialDate, style: DateStyle) -> Text:
    """A date formatted for both languages."""
    return Text(ar=format_partial(date, "ar", style), en=format_partial(date, "en", style))


@lru_cache(maxsize=4096)
def dating_text(dating: Dating, style: DateStyle) -> Text:
    """A date with its certainty for both languages: "by 1932" / «بحلول عام 1932»."""
    return Text(ar=format_dating(dating, "ar", style), en=format_dating(dating, "en", style))


@lru_cache(maxsize=4096)
def number_text(value: int | float, style: DateStyle) -> Text:
    """A number formatted for both languages."""
    return Text(ar=format_number(value, "ar", style), en=format_number(value, "en", style))


class Distinct:
    """Collects texts that stay pairwise distinct as displayed in every language."""

    def __init__(self, first: Iterable[Text] = ()) -> None:
        self.texts: list[Text] = []
        self._seen: dict[str, set[str]] = {lang: set() for lang in LANGS}
        for text in first:
            self.add(text)

    def clashes(self, text: Text) -> bool:
        """True when the text reads like one already taken, in either language, or is empty."""
        return any(
            not display_key(text.get(lang)) or display_key(text.get(lang)) in self._seen[lang]
            for lang in LANGS
        )

    def add(self, text: Text, *, force: bool = False) -> bool:
        """Take the text unless it clashes (or always, with force); say whether it was taken."""
        if self.clashes(text) and not force:
            return False
        for lang in LANGS:
            self._seen[lang].add(display_key(text.get(lang)))
        self.texts.append(text)
        return True

    def __len__(self) -> int:
        return len(self.texts)


def same_display(a: Text, b: Text) -> bool:
    """True when two texts read the same in either language."""
    return any(display_key(a.get(lang)) == display_key(b.get(lang)) for lang in LANGS)


def min_options(settings: Settings) -> int:
    """The fewest options a multiple-choice question may show: all asked for, down to three."""
    return max(2, min(3, settings.options))


def mcq(
    kind: str,
    key: str,
    prompt: Text,
    right: Text,
    wrong: Sequence[Text],
    *,
    rng: random.Random,
    events: Sequence[str] = (),
    option_events: Sequence[str] = (),
    explanation: Text | None = None,
) -> Question:
    """A multiple-choice question with the right option at a random place.

    When the options are events, `option_events` (right one first, like `right, *wrong`) gives
    their ids; the question's `events` then follow the options as shown.
    """
    options = [right, *wrong]
    order = shuffled(range(len(options)), rng)
    if option_events:
        events = [option_events[i] for i in order]
    return Question(
        kind=kind,
        type="mcq",
        prompt=prompt,
        options=tuple(options[i] for i in order),
        answer=order.index(0),
        events=tuple(events),
        explanation=explanation,
        key=key,
    )


def unsorted_order(n: int, rng: random.Random) -> list[int]:
    """A random permutation of range(n) that is not the identity when n >= 2."""
    order = shuffled(range(n), rng)
    if n >= 2 and order == sorted(order):
        # Rotating by one breaks the identity without a retry loop.
        order = order[1:] + order[:1]
    return order


def pairwise_apart(events: Sequence[Event]) -> bool:
    """True when no two of the events overlap in time."""
    return all(not a.date.overlaps(b.date) for i, a in enumerate(events) for b in events[i + 1 :])


def max_apart(bank: Bank) -> int:
    """The largest number of pairwise non-overlapping events (interval scheduling, greedy)."""
    return timeline(bank).max_apart


def quoted(text: Text) -> Text:
    """The text in the quotation marks of each language."""
    return Text(ar=f"«{text.ar}»", en=f"“{text.en}”")


def joined(parts: Sequence[Text], sep_ar: str = "، ", sep_en: str = "; ", end: str = "") -> Text:
    """Texts joined per language."""
    return Text(ar=sep_ar.join(p.ar for p in parts) + end, en=sep_en.join(p.en for p in parts) + end)


def dated(event: Event, style: DateStyle, bank: Bank) -> Text:
    """ "Lenin's death (21 January 1924)", "… (by 1932)" in both languages; the title alone when
    the bank may not use the event's date (from outside the source)."""
    if not bank.chronology.usable.get(event.id, True):
        return event.title
    when = dating_text(event.dating, style)
    return Text(ar=f"{event.title.ar} ({when.ar})", en=f"{event.title.en} ({when.en})")


def in_time_order(events: Iterable[Event], bank: Bank) -> list[Event]:
    """Events each surely before the next (the caller chose them so), earliest first."""
    chron = bank.chronology
    return sorted(events, key=cmp_to_key(lambda a, b: -1 if chron.before(a.id, b.id) else 1))


def in_turn(events: Sequence[Event], style: DateStyle, bank: Bank) -> Text:
    """ "Lenin's death (21 January 1924), then the October Revolution (1917)." in both languages."""
    parts = [dated(e, style, bank) for e in events]
    parts = parts[:1] + [in_sentence(p) for p in parts[1:]]
    return joined(parts, "، ثم ", ", then ", end=".")


def in_sentence(text: Text) -> Text:
    """A title inside a sentence: an English leading article in lower case ("the October
    Revolution"); names keep their capitals."""
    en = text.en
    for article in ("The ", "A ", "An "):
        if en.startswith(article):
            en = article.lower() + en[len(article) :]
            break
    return Text(ar=text.ar, en=en)


def states_own_date(event: Event, style: DateStyle) -> bool:
    """True when the title says the event's date ("The failed attempt of March 1939"): asking for
    that date, or naming the event among others of that date, would give the answer away."""
    when = date_text(event.date, style)
    return any(display_key(when.get(lang)) in display_key(event.title.get(lang)) for lang in LANGS)


def outside_note(events: Iterable[Event], bank: Bank) -> Text | None:
    """The sentence a question adds when it rests on dates from outside the source; None if none."""
    titles = [e.title for e in events if e.provenance == "outside" and bank.chronology.usable.get(e.id)]
    if not titles:
        return None
    titles = list(dict.fromkeys(titles))
    names = joined([quoted(t) for t in titles], "، ", ", ")
    if len(titles) == 1:
        return Text(
            ar=f"(تاريخ {names.ar} مأخوذ من خارج النص.)",
            en=f"(The date of {names.en} comes from outside the account.)",
        )
    return Text(
        ar=f"(تواريخ {names.ar} مأخوذة من خارج النص.)",
        en=f"(The dates of {names.en} come from outside the account.)",
    )


def with_note(prompt: Text, note: Text | None) -> Text:
    """The prompt followed by a note, if any."""
    return prompt if note is None else Text(ar=f"{prompt.ar} {note.ar}", en=f"{prompt.en} {note.en}")


def in_date(date: PartialDate, style: DateStyle) -> Text:
    """ "on 21 August 1940", "in January 1937", "in 1928" and their Arabic."""
    when = date_text(date, style)
    if date.precision == "year":
        return Text(ar=f"في عام {when.ar}", en=f"in {when.en}")
    if date.precision == "month":
        return Text(ar=f"في {when.ar}", en=f"in {when.en}")
    return Text(ar=f"في {when.ar}", en=f"on {when.en}")


def in_dating(dating: Dating, style: DateStyle) -> Text:
    """When, as "What happened …?" asks it: "in 1928", "around 1299" / «نحو عام 1299»,
    "between 1936 and 1937" / «بين عامَي 1936 و1937» (no "by" or "after": many events fit those)."""
    if dating.exact:
        return in_date(dating.date, style)
    text = dating_text(dating, style)
    if dating.certainty == "about":
        return Text(ar=text.ar, en="around " + text.en.removeprefix("about "))
    return text
