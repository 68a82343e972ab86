"""Report queries: every count, sum and mean is computed by the database (GROUP BY), never by
loading every response into Python.

Who is counted: attempts of registered users only (a visitor's attempt has no user and is never
reported). Scores: an attempt's `score` is stored when it finishes (the sum of its responses' marks,
each 0..1), `max_score` is its number of questions, so every question slot is worth 1 mark.

Item analysis comes in two forms, both over finished attempts that have all of the quiz's questions
(the attempts with the largest `max_score`), an unanswered question counting 0:
- per slot (position in the quiz), as Moodle analyses a quiz: with generated quizzes each attempt may
  show a different question in a slot, so these numbers describe the quiz as a test (they feed the
  coefficient of internal consistency and the test's statistics);
- per question key: the same question (same key) across attempts, wherever it stood. This is what a
  teacher reads to judge a question, so the question pages are keyed by it.
The database returns counts of (slot, key, mark, attempt total); quizapp.reports.weighted turns
counts into Moodle's numbers, equal to quizapp.domain.stats's on the same attempts.

The functions take a Scope (whose quizzes) and Filters (quiz, bank, dates, language, student, class);
the views and the benchmark call them directly.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, literal_column, select, text

from ..domain.answers import normalise
from ..extensions import db
from ..models import (
    Attempt,
    AttemptQuestion,
    Bank,
    ClassMember,
    Event,
    QuestionEvent,
    Quiz,
    Response,
    SchoolClass,
    User,
)
from ..ui.answers import response_choices
from . import weighted

#: Histogram bins over 0..100 %.
BINS = 10


@dataclass(frozen=True)
class Scope:
    """Whose quizzes a report covers: one teacher's (owner_id), or every quiz (None, an admin)."""

    owner_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Scope:
        """An admin sees every quiz; a teacher their own."""
        return cls(None if user.role == "admin" else user.id)


@dataclass(frozen=True)
class Filters:
    """What the reports' filter form narrows to; None means no restriction."""

    quiz_id: int | None = None
    bank_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive
    lang: str | None = None
    user_id: int | None = None
    class_id: int | None = None  # the attempts of the class's members


def _restrict(stmt: Select, filters: Filters, scope: Scope, quiz_joined: bool = False) -> Select:
    """Add the filters and the scope to a statement whose FROM has Attempt."""
    stmt = stmt.where(Attempt.user_id.is_not(None))
    if (scope.owner_id is not None or filters.bank_id is not None) and not quiz_joined:
        stmt = stmt.join(Quiz, Quiz.id == Attempt.quiz_id)
    if scope.owner_id is not None:
        stmt = stmt.where(Quiz.owner_id == scope.owner_id)
    if filters.bank_id is not None:
        stmt = stmt.where(Quiz.bank_id == filters.bank_id)
    if filters.quiz_id is not None:
        stmt = stmt.where(Attempt.quiz_id == filters.quiz_id)
    if filters.user_id is not None:
        stmt = stmt.where(Attempt.user_id == filters.user_id)
    if filters.class_id is not None:
        members = select(ClassMember.user_id).where(ClassMember.class_id == filters.class_id)
        stmt = stmt.where(Attempt.user_id.in_(members))
    if filters.lang:
        stmt = stmt.where(Attempt.lang == filters.lang)
    if filters.date_from:
        stmt = stmt.where(Attempt.started_at >= dt.datetime.combine(filters.date_from, dt.time()))
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time())
        stmt = stmt.where(Attempt.started_at < end)
    return stmt


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _percent(score: float | None, max_score: float | None) -> float | None:
    if score is None or not max_score:
        return None
    return 100.0 * float(score) / float(max_score)


def _rate(part: float, whole: float) -> float | None:
    return 100.0 * part / whole if whole else None


# -- choices for the filter form ---------------------------------------------------------------


def quizzes(scope: Scope) -> list[Quiz]:
    """The quizzes a user may report on, newest first."""
    stmt = select(Quiz).order_by(Quiz.created_at.desc(), Quiz.id.desc())
    if scope.owner_id is not None:
        stmt = stmt.where(Quiz.owner_id == scope.owner_id)
    return list(db.session.scalars(stmt))


def banks(scope: Scope) -> list[Bank]:
    """The banks of the quizzes a user may report on."""
    stmt = select(Bank).where(Bank.id.in_(select(Quiz.bank_id).where(*_owner(scope)))).order_by(Bank.slug)
    return list(db.session.scalars(stmt))


def classes(scope: Scope) -> list[SchoolClass]:
    """The classes a user may filter reports by: their own (every class, for an admin), by name."""
    stmt = select(SchoolClass).order_by(SchoolClass.name, SchoolClass.id)
    if scope.owner_id is not None:
        stmt = stmt.where(SchoolClass.teacher_id == scope.owner_id)
    return list(db.session.scalars(stmt))


def _owner(scope: Scope) -> list:
    return [] if scope.owner_id is None else [Quiz.owner_id == scope.owner_id]


def quiz_in_scope(scope: Scope, quiz_id: int) -> Quiz | None:
    """The quiz, when the user may see its reports; None otherwise (the view answers 404)."""
    return db.session.scalar(select(Quiz).where(Quiz.id == quiz_id, *_owner(scope)))


def student_in_scope(scope: Scope, user_id: int) -> User | None:
    """The student, when they have an attempt at one of the user's quizzes (any, for an admin)."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    if scope.owner_id is None:
        return user
    seen = db.session.scalar(
        _restrict(select(Attempt.id), Filters(user_id=user_id), scope).limit(1)  # type: ignore[arg-type]
    )
    return user if seen is not None else None


# -- tables of the reports' front page ---------------------------------------------------------


def quiz_table(scope: Scope, filters: Filters) -> list[dict[str, Any]]:
    """Per quiz: attempts, finished, completion rate (%) and mean score (%) of finished attempts."""
    pct = case((Attempt.score.is_not(None), 100.0 * Attempt.score / Attempt.max_score))
    stmt = (
        select(
            Quiz.id,
            Quiz.title_ar,
            Quiz.title_en,
            Quiz.code,
            func.count(Attempt.id),
            func.count(Attempt.finished_at),
            func.avg(pct),
        )
        .select_from(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .group_by(Quiz.id, Quiz.title_ar, Quiz.title_en, Quiz.code)
        .order_by(Quiz.id.desc())
    )
    stmt = _restrict(stmt, filters, scope, quiz_joined=True)
    return [
        {
            "quiz_id": qid,
            "title": {"ar": t_ar, "en": t_en},
            "code": code,
            "attempts": n,
            "finished": done,
            "completion": _rate(done, n),
            "mean": float(mean) if mean is not None else None,
        }
        for qid, t_ar, t_en, code, n, done, mean in db.session.execute(stmt)
    ]


def student_table(scope: Scope, filters: Filters) -> list[dict[str, Any]]:
    """Per student: attempts, finished, mean score (%) of finished attempts, last attempt started."""
    pct = case((Attempt.score.is_not(None), 100.0 * Attempt.score / Attempt.max_score))
    stmt = (
        select(
            User.id,
            User.username,
            User.display_name,
            func.count(Attempt.id),
            func.count(Attempt.finished_at),
            func.avg(pct),
            func.max(Attempt.started_at),
        )
        .select_from(Attempt)
        .join(User, User.id == Attempt.user_id)
        .group_by(User.id, User.username, User.display_name)
        .order_by(User.username)
    )
    stmt = _restrict(stmt, filters, scope)
    return [
        {
            "user_id": uid,
            "username": username,
            "name": name,
            "attempts": n,
            "finished": done,
            "mean": float(mean) if mean is not None else None,
            "last": last,
        }
        for uid, username, name, n, done, mean, last in db.session.execute(stmt)
    ]


# -- one quiz ------------------------------------------------------------------------------------


def _seconds() -> Any:
    """An attempt's duration in seconds, as SQL for the session's database."""
    if _dialect() == "postgresql":
        return func.extract("epoch", Attempt.finished_at - Attempt.started_at)
    return (func.julianday(Attempt.finished_at) - func.julianday(Attempt.started_at)) * 86400.0


def quiz_report(quiz_id: int, filters: Filters = Filters()) -> dict[str, Any]:
    """Attempts, completion rate, score summary (%) with a histogram, and time spent (seconds).

    Two GROUP BY queries: attempts by (score, max_score), finished attempts by whole seconds taken.
    """
    filters = _with_quiz(filters, quiz_id)
    by_score = _restrict(
        select(Attempt.score, Attempt.max_score, func.count()).group_by(Attempt.score, Attempt.max_score),
        filters,
        Scope(),
    )
    attempts = 0
    percents: Counter[float] = Counter()
    for score, max_score, count in db.session.execute(by_score):
        attempts += count
        pct = _percent(score, max_score)
        if pct is not None:
            percents[pct] += count
    finished = sum(percents.values())
    seconds = func.round(_seconds())
    by_time = _restrict(
        select(seconds, func.count()).where(Attempt.finished_at.is_not(None)).group_by(seconds),
        filters,
        Scope(),
    )
    durations: Counter[float] = Counter()
    for secs, count in db.session.execute(by_time):
        durations[max(0.0, float(secs))] += count
    return {
        "attempts": attempts,
        "finished": finished,
        "completion": _rate(finished, attempts),
        "scores": weighted.summary(percents),
        "histogram": weighted.weighted_histogram(percents, BINS),
        "bins": BINS,
        "time": weighted.summary(durations),
    }


def _with_quiz(filters: Filters, quiz_id: int) -> Filters:
    return Filters(
        quiz_id=quiz_id,
        bank_id=None,
        date_from=filters.date_from,
        date_to=filters.date_to,
        lang=filters.lang,
        user_id=filters.user_id,
        class_id=filters.class_id,
    )


def _full_attempts(filters: Filters) -> tuple[int, Any]:
    """The number of questions of the quiz's fullest finished attempts, and the condition that
    picks those attempts (an attempt with fewer questions, after a bank shrank, is left out)."""
    finished = Attempt.finished_at.is_not(None)
    slot_count = int(
        db.session.scalar(_restrict(select(func.max(Attempt.max_score)).where(finished), filters, Scope()))
        or 0
    )
    return slot_count, and_(finished, Attempt.max_score == slot_count)


def _marks(*columns: Any) -> Select:
    """SELECT columns FROM attempts joined to their questions and (maybe missing) responses."""
    return (
        select(*columns)
        .select_from(Attempt)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .outerjoin(Response, Response.question_id == AttemptQuestion.id)
    )


#: A question's mark in an attempt: its response's score, or 0 when it was left unanswered.
MARK = func.coalesce(Response.score, 0.0)


def item_analysis(quiz_id: int, filters: Filters = Filters()) -> dict[str, Any]:
    """Moodle's item analysis of a quiz by slot, and the quiz's statistics as a test.

    One GROUP BY (slot, mark, attempt total) with COUNT(*) over the finished attempts that have all
    the quiz's questions; quizapp.reports.weighted turns the counts into Moodle's numbers.
    Returns {"slots": [...], "test": {...}, "attempts": n, "slot_count": p}.
    """
    filters = _with_quiz(filters, quiz_id)
    slot_count, full = _full_attempts(filters)
    stmt = _marks(AttemptQuestion.position, MARK, Attempt.score, func.count()).where(full)
    stmt = stmt.group_by(AttemptQuestion.position, MARK, Attempt.score)
    rows = [
        (position, float(x), float(total or 0.0), count)
        for position, x, total, count in db.session.execute(_restrict(stmt, filters, Scope()))
        if position < slot_count
    ]
    result = weighted.item_statistics(rows, [1.0] * slot_count)
    for slot, stats in enumerate(result["questions"]):
        stats["slot"] = slot
    return {
        "slots": result["questions"],
        "test": result["test"],
        "attempts": result["test"]["n"],
        "slot_count": slot_count,
    }


def question_analysis(
    quiz_id: int, filters: Filters = Filters(), key: str | None = None
) -> list[dict[str, Any]]:
    """The item analysis per question key (the same question across attempts, at any slot).

    One GROUP BY (key, mark, attempt total) over the same attempts as item_analysis, then a look-up
    by primary key of one snapshot per key (its kind, type and prompt). Each entry has the slot
    statistics' keys plus key, kind, type, prompt ({"ar", "en"}), right (% fully right), sample_id.
    With `key`, only that question's rows are read: each row carries its attempt's total, so its
    figures are the same as in the whole table.
    """
    filters = _with_quiz(filters, quiz_id)
    _, full = _full_attempts(filters)
    stmt = _marks(AttemptQuestion.key, MARK, Attempt.score, func.count(), func.min(AttemptQuestion.id))
    if key is not None:
        stmt = stmt.where(AttemptQuestion.key == key)
    stmt = stmt.where(full).group_by(AttemptQuestion.key, MARK, Attempt.score)
    per_key: dict[str, Counter[tuple[float, float]]] = defaultdict(Counter)
    sample: dict[str, int] = {}
    right: Counter[str] = Counter()
    for k, raw_mark, total, count, first_id in db.session.execute(_restrict(stmt, filters, Scope())):
        x = float(raw_mark)
        per_key[k][(x, weighted.rest(float(total or 0.0), x))] += count
        sample[k] = min(first_id, sample.get(k, first_id))
        if x >= 1.0:
            right[k] += count
    snaps = snapshots(list(sample.values()))
    questions = []
    for k in sorted(per_key):
        stats = weighted.slot_statistics(per_key[k], 1.0)
        snap = snaps.get(sample[k]) or {}
        stats.update(
            key=k,
            kind=snap.get("kind", ""),
            type=snap.get("type", ""),
            prompt=snap.get("prompt") or {},
            right=_rate(right[k], stats["n"]),
            sample_id=sample[k],
        )
        questions.append(stats)
    return questions


def snapshots(question_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The kind, type and prompt of a few attempt questions' snapshots (to show a key's prompt), by
    id. SQLite picks them out (json_extract), not the whole snapshots parsed in Python (their
    options, context and evidence: a third of a quiz report's time); PostgreSQL would parse each
    json value once per field picked out, so there the snapshots are read whole."""
    if not question_ids:
        return {}
    postgresql = _dialect() == "postgresql"
    rows = db.session.execute(_snapshot_query(postgresql), {"ids": question_ids})
    if postgresql:
        return {qid: snap for qid, snap in rows}
    return {qid: {"kind": kind, "type": type_, "prompt": prompt} for qid, kind, type_, prompt in rows}


@functools.cache
def _snapshot_query(whole: bool) -> Any:
    snap = AttemptQuestion.snapshot
    picked = [snap] if whole else [snap["kind"].as_string(), snap["type"].as_string(), snap["prompt"]]
    return select(AttemptQuestion.id, *picked).where(AttemptQuestion.id.in_(bindparam("ids", expanding=True)))


def _chosen_option_text(lang: str) -> Any:
    """SQL for the text, in a language, of the option a multiple-choice response chose."""
    if _dialect() == "postgresql":
        return literal_column(
            "(attempt_question.snapshot -> 'options' -> CAST(CAST(response.answer AS TEXT) AS INTEGER))"
        ).op("->>")(lang)
    path = literal_column("'$.options[' || CAST(response.answer AS TEXT) || '].'") + lang
    return func.json_extract(AttemptQuestion.snapshot, path)


def _answer_is_index() -> Any:
    if _dialect() == "postgresql":
        return text("json_typeof(response.answer) = 'number'")
    return text("json_type(response.answer) = 'integer'")


def option_frequencies(
    quiz_id: int, key: str, lang: str, filters: Filters = Filters()
) -> list[dict[str, Any]]:
    """How often each option of a multiple-choice question (by key) was chosen, most chosen first.

    Options are grouped by their text in `lang`: each attempt orders the options its own way, and
    the text is what the student saw. `right` is true for the option that scored the mark.
    """
    filters = _with_quiz(filters, quiz_id)
    option = _chosen_option_text(lang).label("option")
    stmt = (
        select(option, func.count(), func.max(Response.score))
        .select_from(Attempt)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .join(Response, Response.question_id == AttemptQuestion.id)
        .where(AttemptQuestion.key == key, _answer_is_index())
        .group_by(option)
    )
    rows = db.session.execute(_restrict(stmt, filters, Scope())).all()
    total = sum(count for _, count, _ in rows)
    out = [
        {"option": text_ or "", "chosen": count, "percent": _rate(count, total), "right": (best or 0) >= 1.0}
        for text_, count, best in rows
    ]
    out.sort(key=lambda r: (-r["chosen"], r["option"]))
    return out


def question_type(quiz_id: int, key: str) -> str | None:
    """The type of a quiz's question (by key), read from one of its snapshots; None when unseen."""
    snap = db.session.scalar(
        select(AttemptQuestion.snapshot)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .where(Attempt.quiz_id == quiz_id, AttemptQuestion.key == key)
        .limit(1)
    )
    return (snap or {}).get("type")


def answer_frequencies(
    quiz_id: int, key: str, lang: str, filters: Filters = Filters()
) -> list[dict[str, Any]]:
    """How often each answer to a question of a type after Moodle's (by key) was given, most first.

    multi: each option ticked (right: it carries credit); matching: each stem's choice; true/false,
    numbers and short answers: the answer as written (short answers normalised, so "Mexico City"
    and "mexico city " count as one; right: it earned the full mark). Percentages are of answers.
    """
    filters = _with_quiz(filters, quiz_id)
    stmt = (
        select(AttemptQuestion.snapshot, Response.answer, Response.score)
        .select_from(Attempt)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .join(Response, Response.question_id == AttemptQuestion.id)
        .where(AttemptQuestion.key == key)
        .execution_options(yield_per=500)
    )
    counts: Counter[tuple[str, bool]] = Counter()
    shown: dict[str, str] = {}
    total = 0
    for snap, answer, score in db.session.execute(_restrict(stmt, filters, Scope())):
        total += 1
        for text_, right in response_choices(snap, answer, float(score or 0.0), lang):
            group = normalise(text_) if snap.get("type") == "shortanswer" else text_
            shown.setdefault(group, text_)
            counts[(group, right)] += 1
    out = [
        {"option": shown[g], "chosen": n, "percent": _rate(n, total), "right": right}
        for (g, right), n in counts.items()
    ]
    out.sort(key=lambda r: (-r["chosen"], r["option"]))
    return out


def response_rows(quiz_id: int, filters: Filters = Filters()) -> Iterator[Any]:
    """Every response to the quiz, one row each, streamed in chunks (for the detailed CSV)."""
    filters = _with_quiz(filters, quiz_id)
    stmt = (
        select(
            Attempt.public_id,
            User.username,
            Attempt.lang,
            Attempt.started_at,
            AttemptQuestion.id,
            AttemptQuestion.key,
            AttemptQuestion.kind,
            AttemptQuestion.snapshot,
            Response.answer,
            Response.score,
            Response.answered_at,
        )
        .select_from(Attempt)
        .join(User, User.id == Attempt.user_id)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .join(Response, Response.question_id == AttemptQuestion.id)
        .order_by(Attempt.id, AttemptQuestion.id)
        .execution_options(yield_per=500)
    )
    yield from db.session.execute(_restrict(stmt, filters, Scope()))


# -- students and events -----------------------------------------------------------------------


def student_attempts(scope: Scope, user_id: int, filters: Filters = Filters()) -> list[Attempt]:
    """A student's attempts at the quizzes in scope, oldest first (a student has few)."""
    f = Filters(
        quiz_id=filters.quiz_id,
        bank_id=filters.bank_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
        lang=filters.lang,
        user_id=user_id,
        class_id=filters.class_id,
    )
    stmt = _restrict(select(Attempt), f, scope).order_by(Attempt.started_at, Attempt.id)
    return list(db.session.scalars(stmt))


def event_mastery(scope: Scope, filters: Filters = Filters()) -> list[dict[str, Any]]:
    """Per event (bank, key): answered questions on it, share answered right (%), mean mark (%).

    Worst first. A question rests on one or more events; it counts for each. "Right" means full
    marks (an ordering question with one item misplaced is not right, but earns partial credit).
    """
    right = func.sum(case((Response.score >= 1.0, 1), else_=0))
    answered = func.count(Response.id)
    stmt = (
        select(
            QuestionEvent.bank_id,
            QuestionEvent.event_key,
            Event.title_ar,
            Event.title_en,
            Event.date,
            answered,
            right,
            func.avg(Response.score),
        )
        .select_from(QuestionEvent)
        .join(AttemptQuestion, AttemptQuestion.id == QuestionEvent.question_id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(Response, Response.question_id == AttemptQuestion.id)
        .outerjoin(Event, and_(Event.bank_id == QuestionEvent.bank_id, Event.key == QuestionEvent.event_key))
        .group_by(QuestionEvent.bank_id, QuestionEvent.event_key, Event.title_ar, Event.title_en, Event.date)
    )
    rows = db.session.execute(_restrict(stmt, filters, scope)).all()
    out = [
        {
            "bank_id": bank_id,
            "key": key,
            "title": {"ar": t_ar or key, "en": t_en or key},
            "date": date,
            "answered": n,
            "right": int(r or 0),
            "right_rate": _rate(int(r or 0), n),
            "mean": 100.0 * float(mean) if mean is not None else None,
        }
        for bank_id, key, t_ar, t_en, date, n, r, mean in rows
    ]
    out.sort(
        key=lambda e: (e["right_rate"] if e["right_rate"] is not None else 101.0, -e["answered"], e["key"])
    )
    return out
