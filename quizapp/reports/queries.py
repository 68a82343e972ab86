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
the views and the benchmark call them directly. A quiz report's statements are built once for each
set of filters given (which filters, not their values: those are bound parameters), and run on the
session's connection, their rows as plain tuples: building them anew and the ORM's handling of each
row took a fifth of the report's queries' time.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, literal_column, select, text
from sqlalchemy.orm import aliased

from .. import reads
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


def _restrict(
    stmt: Select, filters: Filters, scope: Scope, quiz_joined: bool = False, bound: bool = False
) -> Select:
    """Add the filters and the scope to a statement whose FROM has Attempt.

    With `bound`, each value is a named parameter (see _params) instead: the statement depends on
    which filters are set only, so it can be built once for every request (see _shape)."""

    def value(name: str, given: Any) -> Any:
        return bindparam(name) if bound else given

    stmt = stmt.where(Attempt.user_id.is_not(None))
    if (scope.owner_id is not None or filters.bank_id is not None) and not quiz_joined:
        stmt = stmt.join(Quiz, Quiz.id == Attempt.quiz_id)
    if scope.owner_id is not None:
        stmt = stmt.where(Quiz.owner_id == value("owner_id", scope.owner_id))
    if filters.bank_id is not None:
        stmt = stmt.where(Quiz.bank_id == value("bank_id", filters.bank_id))
    if filters.quiz_id is not None:
        stmt = stmt.where(Attempt.quiz_id == value("quiz_id", filters.quiz_id))
    if filters.user_id is not None:
        stmt = stmt.where(Attempt.user_id == value("user_id", filters.user_id))
    if filters.class_id is not None:
        members = select(ClassMember.user_id).where(
            ClassMember.class_id == value("class_id", filters.class_id)
        )
        stmt = stmt.where(Attempt.user_id.in_(members))
    if filters.lang:
        stmt = stmt.where(Attempt.lang == value("lang", filters.lang))
    if filters.date_from:
        stmt = stmt.where(Attempt.started_at >= value("started_from", _start(filters.date_from)))
    if filters.date_to:
        stmt = stmt.where(Attempt.started_at < value("started_before", _start(filters.date_to, 1)))
    return stmt


def _start(day: Any, later: int = 0) -> dt.datetime | None:
    """The start of a day (of the day `later` days after it); None for no day (a shape's True)."""
    if not isinstance(day, dt.date):
        return None
    return dt.datetime.combine(day + dt.timedelta(days=later), dt.time())


def _shape(filters: Filters) -> Filters:
    """Which filters are set, as _restrict reads them (True for each), the rest None: the key of
    a statement built once with bound=True."""
    given = {name: getattr(filters, name) for name in Filters.__dataclass_fields__}
    return Filters(
        **{
            name: True if (value if name in _TRUTHY else value is not None) else None
            for name, value in given.items()
        }
    )


#: The filters _restrict applies when they are truthy (the others, when they are not None).
_TRUTHY = ("lang", "date_from", "date_to")


def _params(filters: Filters) -> dict[str, Any]:
    """The values of a statement built with _restrict(bound=True) for `filters` (no scope)."""
    return {
        "bank_id": filters.bank_id,
        "quiz_id": filters.quiz_id,
        "user_id": filters.user_id,
        "class_id": filters.class_id,
        "lang": filters.lang,
        "started_from": _start(filters.date_from),
        "started_before": _start(filters.date_to, 1),
    }


def _rows(stmt: Select, params: dict[str, Any]) -> list[Any]:
    """The rows of a statement of columns (no entities), as the session would run it, without the
    ORM's handling of each row (a tenth of a quiz report's queries' time): the session's pending
    changes are flushed first, as its autoflush would, then the statement runs on its connection,
    its rows fetched at once (iterating the result fetches them one by one, slower)."""
    session = db.session()
    if session.autoflush:
        session.flush()  # what Session.execute does first (nothing to do when nothing is pending)
    return session.connection().execute(stmt, params).all()


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


def classes(scope: Scope) -> list[tuple[int, str]]:
    """The classes a user may filter reports by: their own (every class, for an admin), by name.
    Their id and name (what the form offers), not whole classes: a plain read (quizapp.reads)."""
    return reads.rows(*classes_read(scope))


def classes_read(scope: Scope) -> tuple[Select, dict[str, Any]]:
    """classes' statement and its parameters (for quizapp.reads.ahead)."""
    return _classes_statement(scope.owner_id is None), {"owner_id": scope.owner_id}


@functools.cache
def _classes_statement(everyone: bool) -> Select:
    stmt = select(SchoolClass.id, SchoolClass.name).order_by(SchoolClass.name, SchoolClass.id)
    return stmt if everyone else stmt.where(SchoolClass.teacher_id == bindparam("owner_id"))


def _owner(scope: Scope) -> list:
    return [] if scope.owner_id is None else [Quiz.owner_id == scope.owner_id]


def quiz_in_scope(scope: Scope, quiz_id: int) -> Quiz | None:
    """The quiz, when the user may see its reports; None otherwise (the view answers 404). Detached
    (quizapp.reads.entity): the report pages read its columns only."""
    row = reads.first(*quiz_read(scope, quiz_id))
    return None if row is None else reads.entity(Quiz, row)


def quiz_read(scope: Scope, quiz_id: int) -> tuple[Select, dict[str, Any]]:
    """quiz_in_scope's statement and its parameters (for quizapp.reads.ahead)."""
    return _quiz_statement(scope.owner_id is None), {"quiz_id": quiz_id, "owner_id": scope.owner_id}


@functools.cache
def _quiz_statement(everyone: bool) -> Select:
    stmt = select(*reads.columns_of(Quiz)).where(Quiz.id == bindparam("quiz_id"))
    return stmt if everyone else stmt.where(Quiz.owner_id == bindparam("owner_id"))


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


def _seconds(postgresql: bool) -> Any:
    """An attempt's duration in seconds, as SQL for the session's database."""
    if postgresql:
        return func.extract("epoch", Attempt.finished_at - Attempt.started_at)
    return (func.julianday(Attempt.finished_at) - func.julianday(Attempt.started_at)) * 86400.0


def quiz_report(quiz_id: int, filters: Filters = Filters()) -> dict[str, Any]:
    """Attempts, completion rate, score summary (%) with a histogram, and time spent (seconds).

    Two GROUP BY queries: attempts by (score, max_score), finished attempts by whole seconds taken.
    """
    filters = _with_quiz(filters, quiz_id)
    by_score, by_time = _quiz_report_statements(_shape(filters), _dialect() == "postgresql")
    params = _params(filters)
    attempts = 0
    percents: Counter[float] = Counter()
    for score, max_score, count in _rows(by_score, params):
        attempts += count
        pct = _percent(score, max_score)
        if pct is not None:
            percents[pct] += count
    finished = sum(percents.values())
    durations: Counter[float] = Counter()
    for secs, count in _rows(by_time, params):
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


@functools.lru_cache(maxsize=256)
def _quiz_report_statements(shape: Filters, postgresql: bool) -> tuple[Select, Select]:
    """quiz_report's statements for filters of a shape, built once (their values are bound)."""
    by_score = select(Attempt.score, Attempt.max_score, func.count()).group_by(
        Attempt.score, Attempt.max_score
    )
    seconds = func.round(_seconds(postgresql))
    by_time = select(seconds, func.count()).where(Attempt.finished_at.is_not(None)).group_by(seconds)
    return _restrict(by_score, shape, Scope(), bound=True), _restrict(by_time, shape, Scope(), bound=True)


def attempts_version(quiz_id: int) -> tuple[int, int, int]:
    """What a quiz report follows from, as three numbers that change with it: how many reported
    attempts the quiz has, how many of them are finished, and the newest one's id.

    A quiz report reads its reported attempts (a registered user's) and, of the finished ones, their
    questions and responses. Those change in two ways only, each of which changes these numbers:
    an attempt is started (with its questions, in one transaction), or an attempt is finished (its
    finish and score, in one transaction; quizapp.attempts._close). An open attempt's answers and
    flags change nothing a report shows, and a finished attempt's answers never change again
    (quizapp.attempts stores no answer once an attempt is finished). A registered user's attempt is
    never deleted (only visitors' are purged); the newest id is there so that one deleted and one
    started would still be seen. One COUNT over the quiz's attempts, by its index on quiz_id.
    """
    count, finished, newest = reads.first(*version_read(quiz_id))  # type: ignore[misc]
    return int(count), int(finished or 0), int(newest or 0)


def version_read(quiz_id: int) -> tuple[Select, dict[str, Any]]:
    """attempts_version's statement and its parameters (for quizapp.reads.ahead)."""
    return _version_statement(), {"quiz_id": quiz_id}


@functools.cache
def _version_statement() -> Select:
    return select(func.count(), func.count(Attempt.finished_at), func.max(Attempt.id)).where(
        Attempt.quiz_id == bindparam("quiz_id"), Attempt.user_id.is_not(None)
    )


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


def _slot_count(filters: Filters) -> int:
    """The number of questions of the quiz's fullest finished attempts: the item analysis counts
    those attempts only (an attempt with fewer questions, after a bank shrank, is left out)."""
    ((most,),) = _rows(_most_questions(_shape(filters)), _params(filters))  # an aggregate: one row
    return int(most or 0)


@functools.lru_cache(maxsize=256)
def _most_questions(shape: Filters) -> Select:
    """The largest number of questions of a finished attempt, for filters of a shape (bound)."""
    most = select(func.max(Attempt.max_score)).where(Attempt.finished_at.is_not(None))
    return _restrict(most, shape, Scope(), bound=True)


def _full_subquery(shape: Filters) -> Any:
    """The condition that picks the fullest finished attempts (see _slot_count), their number of
    questions a subquery of the statement."""
    most = _most_questions(shape).correlate(None).scalar_subquery()
    return and_(Attempt.finished_at.is_not(None), Attempt.max_score == most)


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
    slot_count = _slot_count(filters)
    stmt = _item_statement(_shape(filters))
    rows = [
        (position, float(x), float(total or 0.0), count)
        for position, x, total, count in _rows(stmt, {**_params(filters), "slots": slot_count})
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


@functools.lru_cache(maxsize=256)
def _item_statement(shape: Filters) -> Select:
    """item_analysis's statement for filters of a shape, built once (the number of questions of
    the attempts counted is the parameter `slots`)."""
    full = and_(Attempt.finished_at.is_not(None), Attempt.max_score == bindparam("slots"))
    stmt = _marks(AttemptQuestion.position, MARK, Attempt.score, func.count()).where(full)
    stmt = stmt.group_by(AttemptQuestion.position, MARK, Attempt.score)
    return _restrict(stmt, shape, Scope(), bound=True)


def question_analysis(
    quiz_id: int, filters: Filters = Filters(), key: str | None = None
) -> list[dict[str, Any]]:
    """The item analysis per question key (the same question across attempts, at any slot).

    One statement: GROUP BY (key, mark, attempt total) over the same attempts as item_analysis
    (picked by a subquery, not a query of their own), each group with its first attempt question
    and the first of its key (a window over the groups), the row of that one joined to show the
    key's kind, type and prompt. SQLite picks those out of its snapshot (json_extract), not the
    whole snapshots parsed in Python (their options, context and evidence: a third of a quiz
    report's time); PostgreSQL would parse each json value once per field picked out, so there the
    snapshot is read whole. Each entry has the slot statistics' keys plus key, kind, type, prompt
    ({"ar", "en"}), right (% fully right), sample_id. With `key`, only that question's rows are
    read: each row carries its attempt's total, so its figures are the same as in the whole table.
    """
    filters = _with_quiz(filters, quiz_id)
    postgresql = _dialect() == "postgresql"
    stmt = _question_statement(_shape(filters), key is not None, postgresql)
    per_key: dict[str, dict[tuple[float, float], int]] = {}
    samples: dict[str, int] = {}
    snaps: dict[str, Any] = {}
    right: dict[str, int] = {}
    for k, raw_mark, total, count, first, sample_id, snap in _rows(stmt, {**_params(filters), "key": key}):
        x = float(raw_mark)
        pairs = per_key.get(k)
        if pairs is None:
            pairs = per_key[k] = {}
            right[k] = 0
        pair = (x, round(float(total or 0.0) - x, weighted.REST_DECIMALS))  # weighted.rest
        pairs[pair] = pairs.get(pair, 0) + count
        if x >= 1.0:
            right[k] += count
        if first == sample_id:  # the row the key's first question was joined to
            samples[k] = sample_id
            snaps[k] = snap
    questions = []
    for k in sorted(per_key):
        stats = weighted.slot_statistics(per_key[k], 1.0)
        snap = _sample_snapshot(snaps.get(k), postgresql) or {}
        stats.update(
            key=k,
            kind=snap.get("kind", ""),
            type=snap.get("type", ""),
            prompt=snap.get("prompt") or {},
            right=_rate(right[k], stats["n"]),
            sample_id=samples[k],
        )
        questions.append(stats)
    return questions


@functools.lru_cache(maxsize=256)
def _question_statement(shape: Filters, one_key: bool, postgresql: bool) -> Select:
    """question_analysis's statement for filters of a shape, built once (values bound; with
    `one_key`, the parameter `key`)."""
    first_id = func.min(AttemptQuestion.id)
    grouped = _marks(
        AttemptQuestion.key.label("key"),
        MARK.label("mark"),
        Attempt.score.label("total"),
        func.count().label("n"),
        first_id.label("first_id"),
        func.min(first_id).over(partition_by=AttemptQuestion.key).label("sample_id"),
    )
    if one_key:
        grouped = grouped.where(AttemptQuestion.key == bindparam("key"))
    grouped = grouped.where(_full_subquery(shape)).group_by(AttemptQuestion.key, MARK, Attempt.score)
    g = _restrict(grouped, shape, Scope(), bound=True).subquery("g")
    sample = aliased(AttemptQuestion, name="sample")
    return (
        select(
            g.c.key,
            g.c.mark,
            g.c.total,
            g.c.n,
            g.c.first_id,
            g.c.sample_id,
            sample.snapshot if postgresql else func.json_extract(sample.snapshot, *_PICKED).label("picked"),
        )
        .select_from(g)
        .outerjoin(sample, and_(sample.id == g.c.first_id, g.c.first_id == g.c.sample_id))
    )


#: What question_analysis picks out of a key's first snapshot on SQLite: one json_extract, one
#: array of the three values, read with one json.loads.
_PICKED = ("$.kind", "$.type", "$.prompt")


def _sample_snapshot(picked: Any, postgresql: bool) -> dict[str, Any] | None:
    """The kind, type and prompt of a key's first snapshot, from question_analysis's row: the
    whole snapshot (PostgreSQL), or the JSON array of the three values (SQLite)."""
    if postgresql or picked is None:
        return picked
    kind, type_, prompt = json.loads(picked)
    return {"kind": kind, "type": type_, "prompt": prompt}


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
