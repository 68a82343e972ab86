"""How long generating a quiz takes, and how much memory, as a bank grows from 20 events to 20,000.

Run: .venv/bin/python tests/bench/generate_speed.py [--sizes 20,2000,20000] [--repeat N]

For each size, a synthetic bank (`synthetic_bank`: dates over five centuries at every precision,
titles of their own, actors, places, facts and a few hand-written questions) is built, then three
things the app does on it are timed, as the app calls them:
- quiz: a practice start's 10 questions of every kind (quizapp/attempts.py start_attempt);
- preview: the teacher's preview, PREVIEW_COUNT questions (quizapp/teacher/views.py preview);
- print: a printed quiz at the largest count the print view allows (teacher/print_views.py).
Each is timed on a bank object seen for the first time (`cold`: the per-bank index of
quizapp/domain/generate/index.py is built then; the app builds it when it parses a bank, once per
version and worker) and again (`warm`, what each request costs: best of --repeat with other seeds);
peak memory is tracemalloc's peak during a first call. Generation must cost about the same at any
size: the aim is under 100 ms and 50 MB each at 20,000 events. The last line is JSON: {"sizes":
[...], "results": [{"events", "what", "cold_ms", "warm_ms", "peak_mb", "questions"}, ...]}.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from quizapp.domain.bank import AuthoredQuestion, Bank, Event, Fact, Text  # noqa: E402
from quizapp.domain.dates import PartialDate  # noqa: E402
from quizapp.domain.generate import Quiz, Settings, generate_quiz  # noqa: E402

#: What the app asks for (kept equal to the views' constants; the bench imports no Flask).
QUIZ_COUNT = 10  # banks.PRACTICE_SETTINGS["count"]
PREVIEW_COUNT = 20  # teacher.views.PREVIEW_COUNT
PRINT_COUNT = 50  # the largest count teacher.print_views accepts

_PEOPLE = [Text(f"الشخص {i}", f"Person {i}") for i in range(300)]
_PLACES = [Text(f"المكان {i}", f"Place {i}") for i in range(120)]


def _date(rnd: random.Random) -> PartialDate:
    year = rnd.randint(1500, 2000)
    precision = rnd.random()
    if precision < 0.3:
        return PartialDate(year)
    month = rnd.randint(1, 12)
    if precision < 0.6:
        return PartialDate(year, month)
    return PartialDate(year, month, rnd.randint(1, calendar.monthrange(year, month)[1]))


def synthetic_event(rnd: random.Random, i: int) -> Event:
    """Event number i: a title of its own, a date at any precision, people, places and a fact."""
    actors = tuple(rnd.sample(_PEOPLE, rnd.randint(0, 2)))
    places = tuple(rnd.sample(_PLACES, rnd.randint(0, 1)))
    facts: tuple[Fact, ...] = ()
    if i % 3 == 0:
        facts = (Fact("who", Text(f"من قاد الحدث {i}؟", f"Who led event {i}?"), answer=rnd.choice(_PEOPLE)),)
    elif i % 3 == 1:
        facts = (
            Fact(
                "how-many",
                Text(f"كم شخصًا في الحدث {i}؟", f"How many at event {i}?"),
                number=rnd.randint(2, 5000),
            ),
        )
    return Event(
        id=f"e{i}",
        date=_date(rnd),
        title=Text(f"الحدث رقم {i}", f"Event number {i}"),
        evidence=f"evidence {i}",
        actors=actors,
        places=places,
        facts=facts,
    )


def synthetic_bank(events: int, seed: int = 1, questions: int = 5) -> Bank:
    """A valid bank of `events` events and a few hand-written questions, the same for a seed."""
    rnd = random.Random(seed)
    evs = tuple(synthetic_event(rnd, i) for i in range(events))
    qs = tuple(
        AuthoredQuestion(
            f"q{k}",
            "mcq",
            Text(f"سؤال {k}؟", f"Question {k}?"),
            options=tuple(Text(f"خيار {k}-{j}", f"Option {k}-{j}") for j in range(4)),
            answer=k % 4,
        )
        for k in range(questions)
    )
    return Bank(
        slug=f"synthetic-{events}", title=Text("بنك اصطناعي", "A synthetic bank"), events=evs, questions=qs
    )


def _copy(bank: Bank) -> Bank:
    """The same content as a new bank object: nothing derived from it is cached yet."""
    return Bank(slug=bank.slug, title=bank.title, events=bank.events, questions=bank.questions)


def measure(bank: Bank, make: Callable[[Bank, int], Quiz], repeat: int) -> dict[str, float | int]:
    """The time on a bank object seen for the first time (its index built then), the best time of
    `repeat` more calls with other seeds, and tracemalloc's peak during a first call (apart:
    tracing slows the code it traces)."""
    fresh = _copy(bank)
    start = time.perf_counter()
    quiz = make(fresh, 0)
    cold = time.perf_counter() - start
    warm = float("inf")
    for seed in range(1, repeat + 1):
        start = time.perf_counter()
        make(fresh, seed)
        warm = min(warm, time.perf_counter() - start)
    tracemalloc.start()
    make(_copy(bank), 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "cold_ms": round(cold * 1000, 1),
        "warm_ms": round(warm * 1000, 1),
        "peak_mb": round(peak / 2**20, 2),
        "questions": len(quiz.questions),
    }


WHAT: dict[str, Callable[[Bank, int], Quiz]] = {
    "quiz": lambda bank, seed: generate_quiz(bank, f"s{seed}", Settings(count=QUIZ_COUNT)),
    "preview": lambda bank, seed: generate_quiz(bank, f"{seed}", Settings(count=PREVIEW_COUNT)),
    "print": lambda bank, seed: generate_quiz(bank, f"{seed}", Settings(count=PRINT_COUNT)),
}


def main(argv: list[str] | None = None) -> dict:
    """Measure every size, print a table, and the JSON summary last."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,2000,20000", help="comma-separated event counts")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs (best is kept)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = []
    print(f"{'events':>8} {'what':<8} {'cold ms':>9} {'warm ms':>9} {'peak MB':>8} {'questions':>9}")
    for size in sizes:
        bank = synthetic_bank(size)
        for what, make in WHAT.items():
            row = {"events": size, "what": what, **measure(bank, make, args.repeat)}
            results.append(row)
            print(
                f"{size:>8} {what:<8} {row['cold_ms']:>9} {row['warm_ms']:>9} {row['peak_mb']:>8}"
                f" {row['questions']:>9}"
            )
    summary = {"sizes": sizes, "results": results}
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
