"""Hypothesis strategies that build random valid Banks straight from the domain dataclasses.

Reuse them anywhere a test needs a bank: `banks()` (any size) and `partial_dates()`. Dates fall in
a narrow span and mix precisions, so overlapping events ("1917" and "1917-03") are common; titles
and names come from small pools, in each language separately, so two texts that read the same in
one language only happen too. The bank's content is drawn from one seeded `random.Random` that
Hypothesis provides: drawing each field through Hypothesis took ~140 ms a bank, this takes ~1 ms.
"""

from __future__ import annotations

import calendar
import random

from hypothesis import strategies as st

from quizapp.domain.bank import AuthoredQuestion, Bank, Event, Fact, Text
from quizapp.domain.dates import PartialDate

_AR_WORDS = ["ثورة", "نفي", "وفاة", "محاولة", "مؤتمر", "رحلة", "معاهدة", "حرب", "اغتيال", "جنازة", "طرد"]
_EN_WORDS = ["revolution", "exile", "death", "attempt", "congress", "journey", "treaty", "war", "raid"]
_AR_NAMES = ["لينين", "ستالين", "تروتسكي", "ميركادير", "ريفيرا", "سيكيروس", "بيريا", "زينوفييف"]
_EN_NAMES = ["Lenin", "Stalin", "Trotsky", "Mercader", "Rivera", "Siqueiros", "Beria", "Zinoviev"]
_AR_PLACES = ["موسكو", "المكسيك", "تركيا", "فرنسا", "النرويج", "كازاخستان", "برلين"]
_EN_PLACES = ["Moscow", "Mexico", "Turkey", "France", "Norway", "Kazakhstan", "Berlin"]


def random_date(rnd: random.Random, min_year: int = 1915, max_year: int = 1922) -> PartialDate:
    """A date of any precision between two years (a narrow span makes overlaps frequent)."""
    year = rnd.randint(min_year, max_year)
    precision = rnd.choice(["year", "month", "day"])
    if precision == "year":
        return PartialDate(year)
    month = rnd.randint(1, 12)
    if precision == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, rnd.randint(1, calendar.monthrange(year, month)[1]))


@st.composite
def partial_dates(draw: st.DrawFn, min_year: int = 1915, max_year: int = 1922) -> PartialDate:
    """A PartialDate of any precision between two years."""
    return random_date(draw(st.randoms(use_true_random=False)), min_year, max_year)


def random_text(rnd: random.Random, ar_pool: list[str], en_pool: list[str], words: int = 1) -> Text:
    """A Text of one to `words` words from each pool, drawn per language independently."""
    return Text(
        ar=" ".join(rnd.choice(ar_pool) for _ in range(rnd.randint(1, words))),
        en=" ".join(rnd.choice(en_pool) for _ in range(rnd.randint(1, words))),
    )


def _named(rnd: random.Random, ar_pool: list[str], en_pool: list[str]) -> Text:
    """A name in both languages: mostly the same one, sometimes a mismatched pair."""
    if rnd.random() < 0.8:
        i = rnd.randrange(len(ar_pool))
        return Text(ar_pool[i], en_pool[i])
    return random_text(rnd, ar_pool, en_pool)


def random_number(rnd: random.Random) -> int | float:
    """A how-many answer: small counts, big round numbers, and the odd decimal."""
    pick = rnd.randrange(4)
    if pick == 0:
        return rnd.randint(0, 30)
    if pick == 1:
        return rnd.randint(1, 50) * 10_000
    if pick == 2:
        return rnd.randint(1, 2000)
    return rnd.choice([7.5, 2.25, 0.5])


def random_fact(rnd: random.Random) -> Fact:
    """A who / where / what / how-many fact, with or without hand-picked distractors."""
    kind = rnd.choice(["who", "where", "what", "how-many"])
    question = random_text(rnd, _AR_WORDS, _EN_WORDS, 2)
    n = rnd.randint(0, 3)
    if kind == "how-many":
        unit = rnd.choice([None, Text("سنتيمترات", "centimetres")])
        picked = tuple(random_number(rnd) for _ in range(n))
        return Fact(kind, question, number=random_number(rnd), unit=unit, distractors=picked)

    def answer() -> Text:
        if kind == "who":
            return _named(rnd, _AR_NAMES, _EN_NAMES)
        if kind == "where":
            return _named(rnd, _AR_PLACES, _EN_PLACES)
        return random_text(rnd, _AR_WORDS, _EN_WORDS, 2)

    return Fact(kind, question, answer=answer(), distractors=tuple(answer() for _ in range(n)))


def random_event(rnd: random.Random, eid: str, min_year: int = 1915, max_year: int = 1922) -> Event:
    """An event with random date, title, actors, places and facts."""
    return Event(
        id=eid,
        date=random_date(rnd, min_year, max_year),
        title=random_text(rnd, _AR_WORDS, _EN_WORDS, 3),
        evidence=f"evidence for {eid}",
        actors=tuple(_named(rnd, _AR_NAMES, _EN_NAMES) for _ in range(rnd.randint(0, 3))),
        places=tuple(_named(rnd, _AR_PLACES, _EN_PLACES) for _ in range(rnd.randint(0, 2))),
        facts=tuple(random_fact(rnd) for _ in range(rnd.randint(0, 3))),
    )


def random_question(rnd: random.Random, qid: str, event_ids: list[str]) -> AuthoredQuestion:
    """A hand-written question: multiple choice or ordering (texts may repeat: a bad bank)."""
    prompt = random_text(rnd, _AR_WORDS, _EN_WORDS, 2)
    events = tuple(rnd.sample(event_ids, min(len(event_ids), rnd.randint(0, 2))))
    texts = [random_text(rnd, _AR_WORDS, _EN_WORDS, 2) for _ in range(rnd.randint(2, 5))]
    if rnd.random() < 0.5:
        answer = rnd.randrange(len(texts))
        return AuthoredQuestion(qid, "mcq", prompt, options=tuple(texts), answer=answer, events=events)
    return AuthoredQuestion(qid, "ordering", prompt, items=tuple(texts), events=events)


@st.composite
def banks(draw: st.DrawFn, min_events: int = 0, max_events: int = 12, max_questions: int = 3) -> Bank:
    """A random valid Bank: unique event ids, dates of every precision, some overlapping."""
    n = draw(st.integers(min_events, max_events))
    nq = draw(st.integers(0, max_questions))
    rnd = draw(st.randoms(use_true_random=False))
    ids = [f"e{i}" for i in range(n)]
    evs = tuple(random_event(rnd, eid) for eid in ids)
    questions = tuple(random_question(rnd, f"q{i}", ids) for i in range(nq))
    return Bank(slug="random", title=Text("بنك عشوائي", "A random bank"), events=evs, questions=questions)
