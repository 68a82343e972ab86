"""Taking a quiz. Views read the form, call quizapp.attempts, then redirect or render."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from .. import attempts as svc
from ..extensions import db
from ..formtools import as_code
from ..i18n import current_lang
from ..models import Attempt, AttemptQuestion, Bank, Quiz, Response, new_token
from . import bp
from .forms import FinishForm, JoinForm, StartForm, mcq_form, ordering_form
from .present import question_view, results_view, scores_chart


def _guest_token() -> str:
    if "guest" not in session:
        session["guest"] = new_token(16)
    return session["guest"]


def _own_attempt(public_id: str, with_questions: bool = False) -> Attempt:
    """The attempt, if it belongs to whoever asks. :raise 404: for anyone else."""
    query = select(Attempt).where(Attempt.public_id == public_id)
    if with_questions:  # all questions and answers in two more queries, not one per question
        query = query.options(selectinload(Attempt.questions).selectinload(AttemptQuestion.response))
    attempt = db.session.scalar(query)
    _check_owner(attempt)
    return attempt  # type: ignore[return-value]


def _check_owner(attempt: Attempt | None) -> None:
    """:raise 404: unless the attempt exists and is the asker's (their account's, or their visit's)."""
    if attempt is None:
        abort(404)
    if attempt.user_id is not None:
        if not current_user.is_authenticated or current_user.id != attempt.user_id:
            abort(404)
    elif not session.get("guest") or session["guest"] != attempt.guest_token:
        abort(404)


def _own_question(public_id: str, number: int) -> tuple[Attempt, AttemptQuestion]:
    """The attempt and its question `number` (from 1) with its answer, in one query.

    :raise 404: when either is missing or the attempt is someone else's.
    """
    row = db.session.execute(
        select(Attempt, AttemptQuestion)
        .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
        .where(Attempt.public_id == public_id, AttemptQuestion.position == number - 1)
        .options(joinedload(AttemptQuestion.response))
    ).first()
    _check_owner(row[0] if row else None)
    return row[0], row[1]  # type: ignore[index]


def _next_unanswered(attempt_id: int) -> int | None:
    """The number of the first question without an answer, or None (one query, any length)."""
    position = db.session.scalar(
        select(func.min(AttemptQuestion.position))
        .outerjoin(Response, Response.question_id == AttemptQuestion.id)
        .where(AttemptQuestion.attempt_id == attempt_id, Response.id.is_(None))
    )
    return None if position is None else position + 1


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
    if quiz is None:
        abort(404)
    return _start(quiz)


@bp.post("/join")
def join():  # type: ignore[no-untyped-def]
    """Find a quiz by its code."""
    form = JoinForm()
    if not form.validate_on_submit():
        for error in form.code.errors:
            flash(str(error), "danger")
        return redirect(url_for("main.home"))
    code = form.code.data.strip().upper()  # codes are upper case; students may type either
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == code, Quiz.practice.is_(False)))
    if quiz is None:
        # The translation is ours (safe); the code the student typed is escaped inside <code>.
        flash(Markup(_("No quiz has the code %(code)s.")) % {"code": as_code(code)}, "danger")
        return redirect(url_for("main.home"))
    return redirect(url_for("quiz.landing", code=quiz.code))


@bp.get("/<code>")
@login_required
def landing(code: str):  # type: ignore[no-untyped-def]
    """A teacher's quiz: its settings and a start button. :raise 404: for an unknown code."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == code, Quiz.practice.is_(False)))
    if quiz is None:
        abort(404)
    settings = svc.QuizSettings.of(quiz)
    used = svc.attempts_used(quiz, current_user.id)
    return render_template("quiz/landing.html", quiz=quiz, settings=settings, used=used, form=StartForm())


@bp.post("/<code>/start")
@login_required
def start(code: str):  # type: ignore[no-untyped-def]
    """Start a teacher's quiz when it is open and attempts remain."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == code, Quiz.practice.is_(False)))
    if quiz is None:
        abort(404)
    if not StartForm().validate_on_submit():
        abort(400)
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
    """Go back to where the attempt was left."""
    attempt = _own_attempt(public_id)
    number = _next_unanswered(attempt.id)
    if attempt.finished or number is None:
        _finish_if_complete(attempt)
        return redirect(url_for("quiz.results", public_id=public_id))
    return redirect(url_for("quiz.question", public_id=public_id, number=number))


def _finish_if_complete(attempt: Attempt) -> None:
    """Finish an attempt whose every question is answered: the last answer's own finish may have
    been cut short (a worker killed between the two commits), and the retry lands here."""
    if not attempt.finished and _next_unanswered(attempt.id) is None:
        svc.finish_attempt(attempt)


def _answer_form(attempt: Attempt, q: AttemptQuestion, view: dict, formdata=None):  # type: ignore[no-untyped-def]
    if q.snapshot["type"] == "mcq":
        return mcq_form([(o["token"], o["text"]) for o in view["options"]], formdata)
    return ordering_form([i["token"] for i in view["items"]], [i["text"] for i in view["items"]], formdata)


@bp.route("/attempt/<public_id>/<int:number>", methods=["GET", "POST"])
def question(public_id: str, number: int):  # type: ignore[no-untyped-def]
    """Show question `number`, or record its answer (once: a retry changes nothing)."""
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
    if request.method == "POST" and q.response is None:
        if form.validate_on_submit():
            if q.snapshot["type"] == "mcq":
                answer = svc.token_index(attempt, q, form.choice.data)
            else:
                indices = [svc.token_index(attempt, q, t) for t in form.order()]
                answer = None if None in indices else indices
            if answer is None:
                abort(400)
            attempt_id, feedback = attempt.id, attempt.settings.get("feedback")
            try:
                svc.record_answer(attempt, q, answer)  # commits: `attempt` is read again if touched
            except svc.AttemptClosed:
                flash(_("Time is up: your answers so far are saved."), "warning")
                return redirect(url_for("quiz.results", public_id=public_id))
            following = _next_unanswered(attempt_id)
            if following is None:
                svc.finish_attempt(attempt)
            if feedback == "immediate":
                return redirect(url_for("quiz.question", public_id=public_id, number=number))
            if following is None:
                return redirect(url_for("quiz.results", public_id=public_id))
            return redirect(url_for("quiz.question", public_id=public_id, number=following))
        status = 422
    elif request.method == "POST":
        # Already answered (a double click, a second tab, a retry): the first answer stands.
        _finish_if_complete(attempt)
        return redirect(url_for("quiz.question", public_id=public_id, number=number))
    return (
        render_template(
            "quiz/question.html",
            attempt=attempt,
            q=q,
            view=view,
            form=form,
            number=number,
            total=attempt.question_count,
        ),
        status,
    )


@bp.post("/attempt/<public_id>/finish")
def finish(public_id: str):  # type: ignore[no-untyped-def]
    """Finish now; unanswered questions score 0."""
    attempt = _own_attempt(public_id)
    if not FinishForm().validate_on_submit():
        abort(400)
    svc.finish_attempt(attempt)
    return redirect(url_for("quiz.results", public_id=public_id))


@bp.get("/attempt/<public_id>/results")
def results(public_id: str):  # type: ignore[no-untyped-def]
    """The score, each question with both answers, and the quiz's events on a timeline."""
    attempt = _own_attempt(public_id, with_questions=True)
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
    finished = [a for a in reversed(rows) if a.finished]
    return render_template("quiz/mine.html", attempts=rows, chart=scores_chart(finished, current_lang()))
