"""`fact`: the bank's who / where / what / how-many facts, with distractors of the same kind."""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import chain, islice

from quizapp.domain.bank import Event, Fact, Text

from .base import Kind, Question, Unsupported
from .common import Distinct, dated, mcq, min_options, number_text, shuffled
from .display import display_key
from .index import SEARCH_LIMIT, Rows, draws, timeline


def nearby_numbers(value: int | float) -> list[int | float]:
    """Plausible wrong numbers near a value, scale-aware, nearest first: 7 -> 6, 8, 5, 10 ..."""
    decimals = 0
    if isinstance(value, float) and not value.is_integer():
        decimals = min(3, len(repr(value).split(".")[1].rstrip("0")))
    unit = 10**-decimals
    whole = round(value / unit)
    size = abs(whole)
    if size <= 20:
        steps = [1, -1, 2, -2, 3, -3]
        cands = [whole + s for s in steps] + [r for r in (5, 10, 15, 20, 25) if abs(r - size) <= 8]
    else:
        mag = 10 ** (len(str(size)) - 1)
        steps = [mag // 2, -(mag // 2), mag, -mag, 2 * mag, -2 * mag, 3 * mag]
        cands = [whole + s for s in steps if s]
    if whole >= 0:
        cands = [c for c in cands if c >= 0]
    out: list[int | float] = []
    # Zero ("no one", "0 km") reads as a trick: it comes last.
    for c in sorted(cands, key=lambda c: (c == 0 and whole != 0, abs(c - whole), c)):
        number: int | float = c if decimals == 0 else round(c * unit, decimals)
        if c != whole and number not in out:
            out.append(number)
    return out


class FactKind(Kind):
    """The bank's facts: who, where, what, how many."""

    name = "fact"
    label = Text(ar="من؟ أين؟ ماذا؟ كم؟", en="Who? Where? What? How many?")

    def check(self) -> None:
        """:raise Unsupported: when no event carries a fact."""
        if not any(e.facts for e in self.bank.events):
            raise Unsupported("the bank has no facts (who, where, what, how many)")

    def subjects(self) -> Sequence[Hashable]:
        """(event id, index of the fact) for every fact."""
        events = self.bank.events

        def build() -> Rows:
            return Rows([len(e.facts) for e in events], lambda row, k: (events[row].id, k))

        return timeline(self.bank).kept("fact", build)  # type: ignore[return-value]

    def about(self, ids: Sequence[str]) -> Sequence[Hashable]:
        """The facts of these events."""
        return [(i, k) for i in ids for k in range(len(self.bank.event(i).facts))]

    def subject_events(self, subject: Hashable) -> tuple[str, ...]:
        """The event the fact belongs to."""
        return (subject[0],)  # type: ignore[index]

    def pool(self, kind: str, event: Event, rng: random.Random) -> Iterator[Text]:
        """Same-kind answers from the bank's other events (people, places, things): first those of
        the events nearest in time, the same era (shuffled among themselves), then others drawn at
        random, at most SEARCH_LIMIT of them."""
        tl = timeline(self.bank)
        near = [t for other in islice(tl.nearest(event), _SAME_ERA) for t in _answers_of(other, kind)]
        rng.shuffle(near)
        yield from near
        answers = tl.answers(kind)
        for index in islice(draws(len(answers), rng), SEARCH_LIMIT):
            owner, text = answers[index]
            if owner != event.id:
                yield text

    def true_ones(self, fact: Fact, event: Event) -> list[Text]:
        """Texts that may be true of the event: never a distractor."""
        out = [f.answer for f in event.facts if f.kind == fact.kind and f.answer is not None]
        if fact.kind == "who":
            out.extend(event.actors)
        elif fact.kind == "where":
            out.extend(event.places)
        return out

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """The fact's question, its answer, and wrong answers of the same kind."""
        event_id, index = subject  # type: ignore[misc]
        event = self.bank.event(event_id)
        fact = event.facts[index]
        style = self.settings.style
        prompt = fact.question
        if fact.kind == "how-many":
            if fact.number is None:
                return None
            right = number_text(fact.number, style)
            picked = [d for d in fact.distractors if isinstance(d, int | float) and d != fact.number]
            numbers = shuffled(picked, rng)
            nearby = nearby_numbers(fact.number)
            numbers += rng.sample(nearby[:5], min(5, len(nearby))) + nearby[5:]
            cands: Iterable[Text] = [number_text(n, style) for n in numbers]
            blocked = Distinct([right])
            if fact.unit is not None:
                prompt = _with_unit(prompt, fact.unit)
                shown = Text(ar=f"{right.ar} {fact.unit.ar}", en=f"{right.en} {fact.unit.en}")
            else:
                shown = right
        else:
            if fact.answer is None:
                return None
            right = shown = fact.answer
            picked = [d for d in fact.distractors if isinstance(d, Text)]
            cands = chain(shuffled(picked, rng), self.pool(fact.kind, event, rng))
            blocked = Distinct()
            for true in [right, *self.true_ones(fact, event)]:
                blocked.add(true, force=True)  # each language of each, even if one clashes
        true_names = [] if fact.kind == "how-many" else [right, *self.true_ones(fact, event)]
        options = Distinct([right])
        for cand in cands:
            if len(options) == self.settings.options:
                break
            if blocked.clashes(cand) or any(_same_name(cand, t) for t in true_names):
                continue
            options.add(cand)
        if len(options) < min_options(self.settings):
            return None
        where = dated(event, style, self.bank)
        return mcq(
            self.name,
            f"{self.name}:{event.id}:{index}",
            prompt,
            right,
            options.texts[1:],
            rng=rng,
            events=(event.id,),
            explanation=Text(
                ar=f"الجواب: {shown.ar} — {where.ar}.", en=f"The answer: {shown.en} — {where.en}."
            ),
        )


#: How many of the events nearest in time give wrong answers first ("the same era").
_SAME_ERA = 6


def _answers_of(event: Event, kind: str) -> list[Text]:
    """An event's answers of a kind: its people (who), its places (where), its facts' answers."""
    out = list(event.actors if kind == "who" else event.places if kind == "where" else ())
    return out + [f.answer for f in event.facts if f.kind == kind and f.answer is not None]


_STOP = {"the", "of", "a", "an"}


def _words(text: str) -> set[str]:
    return {w.strip(".,;:()«»\"'“”") for w in display_key(text).split()} - _STOP - {""}


def _same_name(a: Text, b: Text) -> bool:
    """True when one names the other in part: "Stalin" and "Joseph Stalin", "The NKVD" and
    "Agents of the NKVD". Such a distractor may well be true, so it is never offered."""
    for lang in ("ar", "en"):
        wa, wb = _words(a.get(lang)), _words(b.get(lang))
        if wa and wb and (wa <= wb or wb <= wa):
            return True
    return False


#: Endings an Arabic unit may carry in the question but not in the bank's unit field:
#: "كم سنتيمترًا" asks in the unit "سنتيمترات".
_AR_ENDINGS = ("ات", "ون", "ين", "ًا", "اً", "ا", "ة")


def _stem(word: str) -> str:
    for ending in _AR_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _says_unit(prompt: str, unit: str) -> bool:
    """True when the question already names its unit, in any of its forms."""
    text = display_key(prompt)
    words = display_key(unit).split()
    return bool(words) and all(_stem(w) in text for w in words)


def _with_unit(prompt: Text, unit: Text) -> Text:
    """The question with its unit added where it does not already say it."""
    # An Arabic "كم" is followed by the counted noun (كم قناة، كم سنتيمترًا): the unit is said,
    # often in a singular form no stem matches (قناة / قنوات).
    asks_count = "كم" in display_key(prompt.ar).replace("؟", " ").split()
    ar = prompt.ar if asks_count or _says_unit(prompt.ar, unit.ar) else f"{prompt.ar} ({unit.ar})"
    en = prompt.en if _says_unit(prompt.en, unit.en) else f"{prompt.en} ({unit.en})"
    return Text(ar=ar, en=en)
