"""Taking a quiz. Views read the form, call quizapp.attempts, then redirect or render."""

from __future__ import annotations

import functools

import redis
from flask import abort, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.exceptions import Forbidden

from .. import access, classes, live_state
from .. import attempts as svc
from ..extensions import db, limiter
from ..feedback import attempt_visible
from ..feedback import mode_of as feedback_mode
from ..formtools import as_code
from ..i18n import current_lang, use_number_style
from ..models import Attempt, AttemptQuestion, Bank, Quiz, Response, new_token, utcnow
from ..ui.answers import NEW_TYPES
from ..ui.charts import scores_chart
from ..ui.closed_book import closed_book
from ..ui.forms import JoinForm, StartForm
from .blueprint import bp
from .forms import FinishForm, FlagForm, mcq_form, ordering_form
from .kinds import kind_form
from .present import clock, question_view, results_view


def _guest_token() -> str:
    if "guest" not in session:
        session["guest"] = new_token(16)
    return session["guest"]


def _own_attempt(public_id: str, with_questions: bool = False) -> Attempt:
    """The attempt, if it belongs to whoever asks, with its quiz and bank; `with_questions`: with
    its questions and their answers too (one more query). :raise 404: for anyone else."""
    row = db.session.execute(_attempt_query(), {"public_id": public_id}).first()
    _check_owner(row[0] if row else None)
    _check_closed_book(row[0], row[1])  # type: ignore[index]
    attempt = row[0]  # type: ignore[index]
    if with_questions:
        rows = db.session.execute(_questions_query(), {"attempt_id": attempt.id}).all()
        for q, response in rows:
            set_committed_value(q, "response", response)
            set_committed_value(q, "attempt", attempt)
        set_committed_value(attempt, "questions", [q for q, _response in rows])
    return attempt


@functools.cache
def _attempt_query():  # type: ignore[no-untyped-def]
    """An attempt by its public id, with the closed-book column (_closed_book_running).

    The pages' statements are built once a process, with bound parameters: building one (its
    joins, the aliases of the subquery) cost several times what the database spends running it.
    """
    return _with_quiz(
        select(Attempt, _closed_book_running()).where(Attempt.public_id == bindparam("public_id"))
    )


@functools.cache
def _questions_query():  # type: ignore[no-untyped-def]
    """An attempt's questions in order, each with its answer or None: one query, any length."""
    return (
        select(AttemptQuestion, Response)
        .outerjoin(Response, Response.question_id == AttemptQuestion.id)
        .where(AttemptQuestion.attempt_id == bindparam("attempt_id"))
        .order_by(AttemptQuestion.position)
    )


def _with_quiz(query):  # type: ignore[no-untyped-def]
    """The query with the attempt's quiz and bank in its own row (every attempt page reads the
    quiz's settings, and its bank's id and Hijri default): no lazy load after it."""
    return (
        query.join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Bank, Bank.id == Quiz.bank_id)
        .options(contains_eager(Attempt.quiz).contains_eager(Quiz.bank))
    )


def _closed_book_running():  # type: ignore[no-untyped-def]
    """Whether the attempt's student has an unfinished closed-book attempt on the same bank: a
    column of the query that loads the attempt, so that only then is the closed-book page's own
    query run (quizapp.ui.closed_book, which also asks whether its time is up)."""
    other, other_quiz = aliased(Attempt), aliased(Quiz)
    return (
        select(other.id)
        .join(other_quiz, other_quiz.id == other.quiz_id)
        .where(other.user_id == Attempt.user_id, other.finished_at.is_(None))
        .where(other_quiz.bank_id == Quiz.bank_id, other.settings["closed_book"].as_boolean())
        .exists()
    )


def _check_owner(attempt: Attempt | None) -> None:
    """:raise 404: unless the attempt exists and is the asker's (their account's, or their visit's)."""
    if attempt is None:
        abort(404)
    if attempt.user_id is not None:
        if not current_user.is_authenticated or current_user.id != attempt.user_id:
            abort(404)
    elif not session.get("guest") or session["guest"] != attempt.guest_token:
        abort(404)
    use_number_style(svc.QuizSettings.of(attempt.quiz).style)  # the quiz's digits on all its pages


def _own_question(public_id: str, number: int) -> tuple[Attempt, AttemptQuestion]:
    """The attempt (with its quiz and bank) and its question `number` (from 1) with its answer, in
    one query.

    :raise 404: when either is missing or the attempt is someone else's.
    """
    row = db.session.execute(_question_query(), {"public_id": public_id, "position": number - 1}).first()
    _check_owner(row[0] if row else None)
    _check_closed_book(row[0], row[2])  # type: ignore[index]
    return row[0], row[1]  # type: ignore[index]


@functools.cache
def _question_query():  # type: ignore[no-untyped-def]
    """An attempt and one of its questions with its answer (built once: see _attempt_query)."""
    return _with_quiz(
        select(Attempt, AttemptQuestion, _closed_book_running())
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .where(Attempt.public_id == bindparam("public_id"), AttemptQuestion.position == bindparam("position"))
    ).options(joinedload(AttemptQuestion.response))


def _check_closed_book(attempt: Attempt, maybe: bool = True) -> None:
    """:raise 403: for another attempt on the bank of the student's running closed-book quiz (an
    earlier try's results, a practice's questions show the bank's events and dates): closed too.
    `maybe` is False when the query that loaded the attempt found no unfinished closed-book attempt
    of the student's on the bank (_closed_book_running): then there is nothing to ask."""
    running = attempt.settings.get("closed_book") and not attempt.finished and not svc.time_is_up(attempt)
    if attempt.user_id is None or running or not maybe:
        return  # a visitor's, or the closed-book attempt itself (one whose time is up is closed next)
    blocked = closed_book(attempt.quiz.bank_id)
    if blocked:
        abort(make_response(*blocked))


def _next_unanswered(attempt_id: int, after: int = 0) -> int | None:
    """The number of the first question after number `after` without an answer, or None (one
    query, any length)."""
    position = db.session.scalar(_next_unanswered_query(), {"attempt_id": attempt_id, "after": after})
    return None if position is None else position + 1


@functools.cache
def _next_unanswered_query():  # type: ignore[no-untyped-def]
    return (
        select(func.min(AttemptQuestion.position))
        .outerjoin(Response, Response.question_id == AttemptQuestion.id)
        .where(AttemptQuestion.attempt_id == bindparam("attempt_id"), Response.id.is_(None))
        .where(AttemptQuestion.position >= bindparam("after"))
    )


def _final_at_once(attempt: Attempt) -> bool:
    """Feedback at once: each answer is final, and the last one finishes the attempt. Otherwise
    answers may change until the student finishes from the summary (or the time is up)."""
    return feedback_mode(attempt.settings) == "immediate"


def content_lang(languages: list[str] | tuple[str, ...] | None) -> str:
    """The language a quiz's questions are shown in: the reader's, unless the quiz allows only others."""
    lang = current_lang()
    allowed = [x for x in (languages or ()) if x in ("ar", "en")]
    return lang if not allowed or lang in allowed else allowed[0]


def _start(quiz: Quiz):  # type: ignore[no-untyped-def]
    lang = content_lang(svc.QuizSettings.of(quiz).languages)
    try:
        if current_user.is_authenticated:
            attempt = svc.start_attempt(quiz, lang, user_id=current_user.id)
        else:
            svc.purge_guest_attempts()
            attempt = svc.start_attempt(quiz, lang, guest_token=_guest_token())
    except svc.NoQuestions:
        flash(_("This bank has too few events for a quiz yet."), "warning")
        return redirect(url_for("main.home"))
    return redirect(url_for("quiz.question", public_id=attempt.public_id, number=1))


@bp.post("/practice/<slug>")
def practice(slug: str):  # type: ignore[no-untyped-def]
    """Start a bank's practice quiz; a visitor may too. :raise 404: for an unknown bank."""
    if not StartForm().validate_on_submit():
        abort(400)
    quiz = db.session.scalar(
        select(Quiz).join(Bank).where(Bank.slug == slug, Quiz.practice.is_(True), Bank.deleted.is_(False))
    )
    if quiz is None or not access.may_start_quiz(current_user, quiz):  # a draft: its teacher's alone
        abort(404)
    return closed_book(quiz.bank_id) or _start(quiz)


#: Wrong codes one address may try a minute. A quiz open to anyone with its code has only its six
#: characters to protect it; a class behind one address types the right code, which does not count.
CODE_MISSES = "20 per minute"
_code_misses = limiter.shared_limit(
    CODE_MISSES, scope="code-miss", deduct_when=lambda _response: bool(g.get("code_miss"))
)


@bp.post("/join")
@_code_misses
def join():  # type: ignore[no-untyped-def]
    """Find a quiz, or a class (its longer code), by its code."""
    form = JoinForm()
    if not form.validate_on_submit():
        for error in form.code.errors:
            flash(str(error), "danger")
        return redirect(url_for("main.home"))
    code = form.code.data.strip().upper()  # codes are upper case; students may type either
    if classes.class_by_code(code) is not None:
        return redirect(url_for("main.class_landing", code=code))
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == code, Quiz.practice.is_(False)))
    if quiz is None and (pin := _live_pin(code)):
        return redirect(url_for("live.join", pin=pin))
    if quiz is None:
        g.code_miss = True
        # The translation is ours (safe); the code the student typed is escaped inside <code>.
        flash(Markup(_("No quiz or class has the code %(code)s.")) % {"code": as_code(code)}, "danger")
        return redirect(url_for("main.home"))
    if current_user.is_authenticated:  # rejoining resumes the unfinished attempt
        unfinished = svc.open_attempt(quiz, current_user.id)
        db.session.commit()
        if unfinished is not None:  # the student's own: they were let in to start it
            return redirect(url_for("quiz.resume", public_id=unfinished.public_id))
    return redirect(url_for("quiz.landing", code=quiz.code))


def _live_pin(code: str) -> str | None:
    """The PIN of a live game the code names (six digits, in any script), or None: also when live
    mode has no Redis, where the code is then only a code that matched nothing."""
    pin = live_state.normal_pin(code)
    if pin is None:
        return None
    try:
        return pin if live_state.sid_of_pin(pin) else None
    except (live_state.LiveUnavailable, redis.RedisError):
        return None


def _class_quiz(code: str) -> Quiz:
    """A teacher's quiz by its code, when the user may take it (quizapp.access).

    :raise 404: for an unknown code. :raise 403: for a quiz of classes the user is not in.
    """
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == code, Quiz.practice.is_(False)))
    if quiz is None:
        g.code_miss = True
        abort(404)
    if not access.may_start_quiz(current_user, quiz):
        message = _("This quiz is for the members of its classes. Join your class with its code first.")
        abort(make_response(render_template("error.html", error=Forbidden(), message=message), 403))
    return quiz


@bp.get("/<code>")
@_code_misses
@login_required
def landing(code: str):  # type: ignore[no-untyped-def]
    """A teacher's quiz: its settings and a start button. :raise 404: for an unknown code."""
    quiz = _class_quiz(code)
    settings = svc.QuizSettings.of(quiz)
    used = svc.attempts_used(quiz, current_user.id)
    unfinished = svc.open_attempt(quiz, current_user.id)  # closes one whose time is up
    db.session.commit()
    return render_template(
        "quiz/landing.html", quiz=quiz, settings=settings, used=used, form=StartForm(), unfinished=unfinished
    )


@bp.post("/<code>/start")
@login_required
def start(code: str):  # type: ignore[no-untyped-def]
    """Start a teacher's quiz when it is open and attempts remain."""
    quiz = _class_quiz(code)
    if not StartForm().validate_on_submit():
        abort(400)
    unfinished = svc.open_attempt(quiz, current_user.id)
    db.session.commit()
    if unfinished is not None:  # resumed, as it was: a second start never makes a second attempt
        return redirect(url_for("quiz.resume", public_id=unfinished.public_id))
    blocked = closed_book(quiz.bank_id)  # another quiz on the bank (feedback at once) is no way round
    if blocked:
        return blocked
    if not quiz.is_open():
        flash(_("This quiz is not open now."), "warning")
        return redirect(url_for("quiz.landing", code=code))
    try:
        return _start(quiz)
    except svc.NoAttemptsLeft:
        flash(_("You have used all your attempts at this quiz."), "warning")
        return redirect(url_for("quiz.landing", code=code))


@bp.get("/attempt/<public_id>")
def resume(public_id: str):  # type: ignore[no-untyped-def]
    """Go back to where the attempt was left: its first unanswered question, else its summary
    (feedback at the end or never) or its results."""
    attempt = _own_attempt(public_id)
    if not attempt.finished and svc.time_is_up(attempt):
        svc.finish_attempt(attempt)
    number = None if attempt.finished else _next_unanswered(attempt.id)
    if number is not None:
        return redirect(url_for("quiz.question", public_id=public_id, number=number))
    if not attempt.finished and not _final_at_once(attempt):
        return redirect(url_for("quiz.summary", public_id=public_id))
    _finish_if_complete(attempt)
    return redirect(url_for("quiz.results", public_id=public_id))


def _finish_if_complete(attempt: Attempt) -> None:
    """Finish an attempt with feedback at once whose every question is answered: the last answer's
    own finish may have been cut short (a worker killed between the two commits), and the retry
    lands here. Other attempts are finished by the student, from the summary, or by the clock."""
    if not attempt.finished and _final_at_once(attempt) and _next_unanswered(attempt.id) is None:
        svc.finish_attempt(attempt)


def _answer_form(attempt: Attempt, q: AttemptQuestion, view: dict, formdata=None):  # type: ignore[no-untyped-def]
    """The question's form; on a page (no form data), filled with the stored answer, if any."""
    if q.snapshot["type"] in NEW_TYPES:
        return kind_form(attempt, q, view, formdata)
    if q.snapshot["type"] == "mcq":
        form = mcq_form([(o["token"], o["text"]) for o in view["options"]], formdata)
        if formdata is None:
            form.choice.data = next((o["token"] for o in view["options"] if o["chosen"]), None)
        return form
    items = view["items"]
    ranks = [str(i["rank"]) for i in items] if formdata is None and q.response is not None else None
    return ordering_form([i["token"] for i in items], [i["text"] for i in items], formdata, ranks)


def _read_answer(attempt: Attempt, q: AttemptQuestion, form) -> object:  # type: ignore[no-untyped-def]
    """The answer a valid form carries, as option or item indices. :raise 400: for a stray token."""
    if q.snapshot["type"] in NEW_TYPES:
        if form.stray or form.answer is None:
            abort(400)
        return form.answer
    if q.snapshot["type"] == "mcq":
        answer = svc.token_index(attempt, q, form.choice.data)
    else:
        indices = [svc.token_index(attempt, q, t) for t in form.order()]
        answer = None if None in indices else indices
    if answer is None:
        abort(400)
    return answer


@bp.route("/attempt/<public_id>/<int:number>", methods=["GET", "POST"])
def question(public_id: str, number: int):  # type: ignore[no-untyped-def]
    """Show question `number`, or store its answer.

    Feedback at once: the first answer is final (a retry changes nothing) and its feedback shows.
    At the end or never: the answer may change until the attempt is finished; the student then
    goes on to the next unanswered question, or to the summary.
    """
    attempt, q = _own_question(public_id, number)
    if not attempt.finished and svc.time_is_up(attempt):
        svc.finish_attempt(attempt)
        flash(_("Time is up: your answers so far are saved."), "warning")
    if attempt.finished and q.response is None:
        return redirect(url_for("quiz.results", public_id=public_id))
    lang = content_lang(attempt.settings.get("languages"))
    view = question_view(attempt, q, lang)
    form = _answer_form(attempt, q, view, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and view["editable"]:
        if form.validate_on_submit():
            answer = _read_answer(attempt, q, form)
            attempt_id, at_once = attempt.id, _final_at_once(attempt)
            try:
                svc.record_answer(attempt, q, answer)  # commits: `attempt` is read again if touched
            except svc.AttemptClosed:
                flash(_("Time is up: your answers so far are saved."), "warning")
                return redirect(url_for("quiz.results", public_id=public_id))
            if at_once:
                if _next_unanswered(attempt_id) is None:
                    svc.finish_attempt(attempt)
                return redirect(url_for("quiz.question", public_id=public_id, number=number))
            following = _next_unanswered(attempt_id, after=number) or _next_unanswered(attempt_id)
            if following is None:
                return redirect(url_for("quiz.summary", public_id=public_id))
            return redirect(url_for("quiz.question", public_id=public_id, number=following))
        status = 422
    elif request.method == "POST":
        # Answered for good (a double click, a second tab, a retry): the first answer stands.
        _finish_if_complete(attempt)
        return redirect(url_for("quiz.question", public_id=public_id, number=number))
    return (
        render_template(
            "quiz/question.html",
            attempt=attempt,
            q=q,
            view=view,
            form=form,  # the flag's form is written out in the template: no FlagForm built for it
            number=number,
            total=attempt.question_count,
        ),
        status,
    )


@bp.post("/attempt/<public_id>/<int:number>/flag")
def flag(public_id: str, number: int):  # type: ignore[no-untyped-def]
    """Flag a question for review, or take the flag off (the form says which: a retry is the same)."""
    attempt, q = _own_question(public_id, number)
    form = FlagForm()
    if not form.validate_on_submit():
        abort(400)
    if not attempt.finished:
        svc.set_flag(attempt, q, form.flagged.data == "1")
    return redirect(url_for("quiz.question", public_id=public_id, number=number))


def _overview(attempt: Attempt) -> list[dict]:
    """Each question's number, prompt, and whether it is answered and flagged."""
    lang = content_lang(attempt.settings.get("languages"))
    return [
        {
            "number": q.position + 1,
            "prompt": (q.snapshot.get("prompt") or {}).get(lang, ""),
            "answered": q.response is not None,
            "flagged": q.flagged,
        }
        for q in attempt.questions
    ]


@bp.get("/attempt/<public_id>/summary")
def summary(public_id: str):  # type: ignore[no-untyped-def]
    """Every question, answered or not, flagged or not, with links; the way to finish."""
    attempt = _own_attempt(public_id, with_questions=True)
    if not attempt.finished and svc.time_is_up(attempt):
        svc.finish_attempt(attempt)
    if attempt.finished:
        return redirect(url_for("quiz.results", public_id=public_id))
    rows = _overview(attempt)
    return render_template(
        "quiz/summary.html",
        attempt=attempt,
        rows=rows,
        content_lang=content_lang(attempt.settings.get("languages")),
        view=clock(attempt),
    )


@bp.route("/attempt/<public_id>/finish", methods=["GET", "POST"])
def finish(public_id: str):  # type: ignore[no-untyped-def]
    """Finish, after a confirmation that names the unanswered and flagged questions (a page of its
    own, so it works without JavaScript); unanswered questions score 0. Finishing twice is safe."""
    attempt = _own_attempt(public_id, with_questions=True)
    form = FinishForm()
    if attempt.finished:
        return redirect(url_for("quiz.results", public_id=public_id))
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if request.form.get("confirm") == "yes":  # the field's default does not count: it must be sent
            svc.finish_attempt(attempt)
            return redirect(url_for("quiz.results", public_id=public_id))
    rows = _overview(attempt)
    return render_template(
        "quiz/finish.html",
        attempt=attempt,
        form=form,
        unanswered=[r["number"] for r in rows if not r["answered"]],
        flagged=[r["number"] for r in rows if r["flagged"]],
        view=clock(attempt),
    )


@bp.get("/attempt/<public_id>/results")
def results(public_id: str):  # type: ignore[no-untyped-def]
    """The score, each question with both answers, and the quiz's events on a timeline, once the
    attempt's feedback mode lets the student see them (quizapp.feedback); until then, that the
    answers are saved."""
    attempt = _own_attempt(public_id, with_questions=True)
    if not attempt.finished and svc.time_is_up(attempt):
        svc.finish_attempt(attempt)
    _finish_if_complete(attempt)
    if not attempt.finished:
        return redirect(url_for("quiz.resume", public_id=public_id))
    lang = content_lang(attempt.settings.get("languages"))
    return render_template("quiz/results.html", attempt=attempt, **results_view(attempt, lang))


@bp.get("/mine")
@login_required
def mine():  # type: ignore[no-untyped-def]
    """My past attempts, with a chart of scores over time."""
    rows = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == current_user.id)
        .order_by(Attempt.started_at.desc())
        .limit(200)
    ).all()
    now = utcnow()
    shown = {a.id for a in rows if a.finished and attempt_visible(a, now)}
    running = {a.id for a in rows if not a.finished and not svc.time_is_up(a, now)}
    chart = scores_chart([a for a in reversed(rows) if a.id in shown], current_lang())
    return render_template("quiz/mine.html", attempts=rows, shown=shown, running=running, chart=chart)
