"""Report pages and their CSV exports. The role check (teacher or admin) is the blueprint's; each
route narrows to the quizzes the user may see (their own, or all for an admin)."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import reads
from ..i18n import current_lang, number_style
from ..models import Quiz, User
from ..ui.answers import NEW_TYPES
from ..ui.charts import scores_chart
from ..ui.kept import Printed, kept_part
from . import present as p
from . import queries as q
from .blueprint import bp
from .forms import FilterForm


@bp.context_processor
def _helpers() -> dict:
    return {"show": p.show, "filters_part": filters_part}


#: The template of a report page's filter form, kept between requests (see filters_part).
FILTERS = "reports/_filters.html"
#: How many renderings of it a process keeps (languages, query strings, users' choices).
FILTERS_KEPT = 256
_FILTERS: dict[tuple, Printed] = {}


def filters_part(form: FilterForm, action: str, hide: tuple[str, ...] = ()) -> Printed:
    """A report page's filter form, rendered once for each language, query string (what the form
    holds and its errors follow from), choices it offers (the user's quizzes, banks and classes, read
    at each request), action and hidden fields, then kept as every kept part is (quizapp.ui.kept).
    Its selects and date fields, through WTForms' widgets, cost a third of a kept quiz report."""
    offered = tuple(
        tuple((c.value, str(c.label)) for c in field.choices)
        for field in (form.quiz, form.bank, form.class_id, form.lang)
    )
    key = (current_lang(), request.query_string, offered, action, hide)
    return kept_part(
        _FILTERS, FILTERS, key, FILTERS_KEPT, lambda: {"form": form, "action": action, "hide": hide}
    )


def _scope() -> q.Scope:
    return q.Scope.of(current_user)


def _filter_form(scope: q.Scope, quiz_and_bank: bool = True) -> FilterForm:
    """The filter form read from the query string. Without `quiz_and_bank` (a quiz's pages, which
    hide those two fields and report on their own quiz whatever they say), the quizzes and banks
    are not looked up: those two fields offer "all" only."""
    lang = current_lang()
    form = FilterForm(formdata=request.args)
    classes = q.classes(scope)
    form.set_choices(
        [(quiz.id, quiz.title(lang)) for quiz in q.quizzes(scope)] if quiz_and_bank else [],
        [(bank.id, bank.title(lang)) for bank in q.banks(scope)] if quiz_and_bank else [],
        classes,
    )
    if form.class_id.data not in {cid for cid, _name in classes}:
        form.class_id.data = None  # another teacher's class: all students (its members stay private)
    return form


def _quiz(scope: q.Scope, quiz_id: int) -> Quiz:
    quiz = q.quiz_in_scope(scope, quiz_id)
    if quiz is None:
        abort(404)
    return quiz


def _student(scope: q.Scope, user_id: int) -> User:
    user = q.student_in_scope(scope, user_id)
    if user is None:
        abort(404)
    return user


def _csv(tables: dict[str, Callable[[], p.Table]], name: str, prefix: str):  # type: ignore[no-untyped-def]
    if name not in tables:
        abort(404)
    return p.table_csv(tables[name](), prefix)


# -- the front page ------------------------------------------------------------------------------


def _index_tables(scope: q.Scope, filters: q.Filters) -> dict[str, Callable[[], p.Table]]:
    lang = current_lang()
    return {
        "quizzes": lambda: p.quiz_table(q.quiz_table(scope, filters), lang),
        "students": lambda: p.student_table(q.student_table(scope, filters)),
    }


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """Quizzes and students in the user's scope, narrowed by the filters."""
    scope = _scope()
    form = _filter_form(scope)
    tables = _index_tables(scope, form.filters())
    return render_template("reports/index.html", form=form, tables=[t() for t in tables.values()])


@bp.get("/<any(quizzes, students):table>.csv")
def index_csv(table: str):  # type: ignore[no-untyped-def]
    """One of the front page's tables as CSV."""
    scope = _scope()
    return _csv(_index_tables(scope, _filter_form(scope).filters()), table, "report")


# -- one quiz ------------------------------------------------------------------------------------


def _quiz_tables(quiz: Quiz, filters: q.Filters) -> tuple[dict[str, Callable[[], p.Table]], dict]:
    lang = current_lang()
    cache: dict = {}

    def report() -> dict:
        if "report" not in cache:
            cache["report"] = q.quiz_report(quiz.id, filters)
        return cache["report"]

    def analysis() -> dict:
        if "analysis" not in cache:
            cache["analysis"] = q.item_analysis(quiz.id, filters)
        return cache["analysis"]

    tables = {
        "summary": lambda: p.summary_table(report()),
        "histogram": lambda: p.histogram_table(report(), lang),
        "questions": lambda: p.question_table(q.question_analysis(quiz.id, filters), quiz.id, lang),
        "slots": lambda: p.slot_table(analysis(), lang),
        "test": lambda: p.test_table(analysis()),
    }
    return tables, cache


@bp.get("/quiz/<int:quiz_id>")
def quiz(quiz_id: int):  # type: ignore[no-untyped-def]
    """A quiz's report: summary, histogram, item analysis. :raise 404: for a quiz not in scope."""
    scope = _scope()
    # The quiz, the classes its filter offers and the version of its attempts: one round trip (the
    # version is not asked for when a class narrows the report, and is then dropped unread).
    reads.ahead(q.quiz_read(scope, quiz_id), q.classes_read(scope), q.version_read(quiz_id))
    quiz = _quiz(scope, quiz_id)
    form = _filter_form(scope, quiz_and_bank=False)
    body = quiz_body(quiz, form.filters(quiz_id=quiz.id))
    return render_template("reports/quiz.html", quiz=quiz, form=form, body=body)


#: The template of a quiz report's figures, kept between requests (see quiz_body).
QUIZ_BODY = "reports/_quiz_body.html"
#: How many quiz reports' figures a process keeps (quizzes, languages, filters).
QUIZ_BODY_KEPT = 64
_QUIZ_BODIES: dict[tuple, Printed] = {}


def quiz_body(quiz: Quiz, filters: q.Filters) -> Printed:
    """A quiz report's figures (summary, histogram, item analysis): rendered once for each version of
    the quiz's attempts (queries.attempts_version: one COUNT, which changes whenever any figure
    could), language, number style, filters and query string (its CSV links carry it), then kept
    as every kept part is (quizapp.ui.kept). Rendering them cost 50 times a bare Flask page, and a
    teacher watching a class's results asks again and again while few attempts finish.

    The version is read from the database at each request, so a worker or another server never shows
    figures older than the attempts: an attempt finished anywhere is a new version everywhere. A
    report narrowed to a class also follows from the class's members, which no count tells: it is
    rendered each time.
    """
    lang = current_lang()
    key = None
    if filters.class_id is None:
        version = q.attempts_version(quiz.id)
        key = (quiz.id, version, filters, lang, number_style(), request.script_root, request.query_string)

    def figures() -> dict:
        tables, cache = _quiz_tables(quiz, filters)
        built = {name: build() for name, build in tables.items()}
        report = cache["report"]
        chart = p.bar_chart(report["histogram"], p.histogram_labels(report["bins"], lang), lang)
        return {"quiz": quiz, "tables": built, "chart": chart}

    return kept_part(_QUIZ_BODIES, QUIZ_BODY, key, QUIZ_BODY_KEPT, figures)


@bp.get("/quiz/<int:quiz_id>/<table>.csv")
def quiz_csv(quiz_id: int, table: str):  # type: ignore[no-untyped-def]
    """A table of the quiz's report as CSV; `responses`: one row per response. :raise 404:"""
    scope = _scope()
    quiz = _quiz(scope, quiz_id)
    filters = _filter_form(scope, quiz_and_bank=False).filters(quiz_id=quiz.id)
    if table == "responses":
        rows = p.response_csv_rows(q.response_rows(quiz.id, filters), current_lang())
        return p.csv_response(f"quiz-{quiz.id}-responses", p.response_csv_header(), rows)
    return _csv(_quiz_tables(quiz, filters)[0], table, f"quiz-{quiz.id}")


@bp.get("/quiz/<int:quiz_id>/question")
def question(quiz_id: int):  # type: ignore[no-untyped-def]
    """One question (by key) of a quiz: its figures and the options chosen. :raise 404:"""
    scope = _scope()
    quiz = _quiz(scope, quiz_id)
    key = request.args.get("key", "")
    form = _filter_form(scope, quiz_and_bank=False)
    filters = form.filters(quiz_id=quiz.id)
    lang = current_lang()
    found = q.question_analysis(quiz.id, filters, key=key)
    if not found:
        abort(404)
    stats = found[0]
    rows = _choices(quiz.id, key, lang, filters, stats["type"])
    options = p.option_table(rows, stats["type"]) if rows is not None else None
    figures = p.question_table([stats], quiz.id, lang)
    return render_template(
        "reports/question.html",
        quiz=quiz,
        key=key,
        prompt=stats["prompt"].get(lang) or key,
        form=form,
        figures=figures,
        options=options,
    )


@bp.get("/quiz/<int:quiz_id>/options.csv")
def options_csv(quiz_id: int):  # type: ignore[no-untyped-def]
    """The options chosen on one question (by key) as CSV. :raise 404: for a quiz not in scope."""
    scope = _scope()
    quiz = _quiz(scope, quiz_id)
    filters = _filter_form(scope, quiz_and_bank=False).filters(quiz_id=quiz.id)
    key = request.args.get("key", "")
    qtype = q.question_type(quiz.id, key)
    rows = _choices(quiz.id, key, current_lang(), filters, qtype) or []
    return p.table_csv(p.option_table(rows, qtype or "mcq"), f"quiz-{quiz.id}")


def _choices(quiz_id: int, key: str, lang: str, filters: q.Filters, qtype: str | None) -> list[dict] | None:
    """The options chosen (multiple choice) or the answers given (the types after Moodle's)."""
    if qtype == "mcq":
        return q.option_frequencies(quiz_id, key, lang, filters)
    if qtype in NEW_TYPES:
        return q.answer_frequencies(quiz_id, key, lang, filters)
    return None


# -- students and events -------------------------------------------------------------------------


def _student_tables(scope: q.Scope, user: User, filters: q.Filters) -> dict[str, Callable[[], p.Table]]:
    lang = current_lang()
    mastery = q.Filters(**{**filters.__dict__, "user_id": user.id})
    return {
        "attempts": lambda: p.attempt_table(q.student_attempts(scope, user.id, filters), lang),
        "events": lambda: p.event_table(q.event_mastery(scope, mastery), lang, _("Mastery by event")),
    }


@bp.get("/student/<int:user_id>")
def student(user_id: int):  # type: ignore[no-untyped-def]
    """A student's attempts, scores over time and mastery by event. :raise 404: out of scope."""
    scope = _scope()
    user = _student(scope, user_id)
    form = _filter_form(scope)
    filters = form.filters()
    lang = current_lang()
    attempts = q.student_attempts(scope, user.id, filters)
    chart = scores_chart([a for a in attempts if a.finished], lang)
    tables = _student_tables(scope, user, filters)
    return render_template(
        "reports/student.html",
        student=user,
        form=form,
        chart=chart,
        tables=[t() for t in tables.values()],
    )


@bp.get("/student/<int:user_id>/<table>.csv")
def student_csv(user_id: int, table: str):  # type: ignore[no-untyped-def]
    """A table of the student's report as CSV. :raise 404: out of scope or unknown table."""
    scope = _scope()
    user = _student(scope, user_id)
    return _csv(_student_tables(scope, user, _filter_form(scope).filters()), table, f"student-{user.id}")


def _event_tables(scope: q.Scope, filters: q.Filters) -> dict[str, Callable[[], p.Table]]:
    lang = current_lang()
    caption = _("Events, the most often missed first")
    return {"events": lambda: p.event_table(q.event_mastery(scope, filters), lang, caption)}


@bp.get("/events")
def events():  # type: ignore[no-untyped-def]
    """Across students, how often questions on each event are answered right, worst first."""
    scope = _scope()
    form = _filter_form(scope)
    tables = _event_tables(scope, form.filters())
    return render_template("reports/events.html", form=form, tables=[t() for t in tables.values()])


@bp.get("/events/<table>.csv")
def events_csv(table: str):  # type: ignore[no-untyped-def]
    """The event report as CSV."""
    scope = _scope()
    return _csv(_event_tables(scope, _filter_form(scope).filters()), table, "events")
