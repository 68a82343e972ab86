"""Taking a quiz. Views read the form, call quizapp.attempts, then redirect or render."""

from __future__ import annotations

import re
from typing import NamedTuple

import redis
from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from .. import access, classes, live_state
from .. import attempts as svc
from ..extensions import db, limiter
from ..feedback import attempt_visible
from ..feedback import mode_of as feedback_mode
from ..formtools import as_code
from ..i18n import current_lang, use_number_style
from ..login import read_with_user
from ..models import Attempt, AttemptQuestion, Bank, Quiz, new_token, utcnow
from ..ui.answers import NEW_TYPES
from ..ui.charts import scores_chart
from ..ui.closed_book import closed_book
from ..ui.forms import JoinForm, StartForm
from ..ui.kept import keep, kept
from . import rows as attempt_rows
from .blueprint import bp
from .forms import FinishForm, FlagForm, ShownForm, mcq_form, ordering_form, valid_choice, valid_order
from .kinds import kind_form
from .present import clock, question_view, rank_options, results_view
from .rows import AttemptRow, QuestionRow


class PageLinks(NamedTuple):
    """The attempt pages' links that are the same on every page of a language (the app's URL root
    aside): kept for each compiled template and URL root (quizapp.ui.kept), where a url_for cost
    about 20 µs each time."""

    attempts: str  # an attempt's resume link up to its public id: "/quiz/attempt/"
    sortable: str  # the ordering widget's script
    quiz_js: str  # the quiz pages' script
    home: str


_LINKS: dict = {}
#: A public id written in a link as it is (url_for quotes nothing of it): new_token's alphabet.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+")


def page_links(template) -> PageLinks:  # type: ignore[no-untyped-def]
    """The fixed links of the pages drawn with `template` (a compiled template: a language's)."""
    key = (template.name, request.script_root)
    links = kept(_LINKS, template, key)
    if links is None:
        links = PageLinks(
            url_for("quiz.resume", public_id="x")[:-1],
            url_for("static", filename="vendor/sortablejs/Sortable.min.js"),
            url_for("static", filename="js/quiz.js"),
            url_for("main.home"),
        )
        keep(_LINKS, template, key, links, 64)
    return links


def resume_link(links: PageLinks, public_id: str) -> str:
    """url_for("quiz.resume", public_id=public_id), from the kept links when the id needs no quoting."""
    if _PLAIN_ID.fullmatch(public_id):
        return links.attempts + public_id
    return url_for("quiz.resume", public_id=public_id)


def _guest_token() -> str:
    if "guest" not in session:
        session["guest"] = new_token(16)
    return session["guest"]


@read_with_user("quiz.resume", "quiz.summary", "quiz.finish", "quiz.results")
def _attempt_reads(args: dict, _user_id: int) -> list:
    """The attempt pages' first read (_own_attempt's), sent with the user's row."""
    return [attempt_rows.attempt_read(args["public_id"])]


@read_with_user("quiz.question", "quiz.flag")
def _question_reads(args: dict, _user_id: int) -> list:
    """A question page's first read (_own_question's), sent with the user's row."""
    return [attempt_rows.question_read(args["public_id"], args["number"])]


def _own_attempt(public_id: str, with_questions: bool = False) -> AttemptRow:
    """The attempt, if it belongs to whoever asks, with its quiz and bank; `with_questions`: with
    its questions and their answers too (one more query). Plain rows (quizapp/quiz/rows.py), not
    ORM entities. :raise 404: for anyone else."""
    found = attempt_rows.attempt_row(public_id)
    _check_owner(found[0] if found else None)
    attempt, maybe_closed = found  # type: ignore[misc]
    _check_closed_book(attempt, maybe_closed)
    return attempt_rows.with_questions(attempt) if with_questions else attempt


def _check_owner(attempt: AttemptRow | None) -> None:
    """:raise 404: unless the attempt exists and is the asker's (their account's, or their visit's)."""
    if attempt is None:
        abort(404)
    if attempt.user_id is not None:
        if not current_user.is_authenticated or current_user.id != attempt.user_id:
            abort(404)
    elif not session.get("guest") or session["guest"] != attempt.guest_token:
        abort(404)
    use_number_style(svc.QuizSettings.of(attempt.quiz).style)  # the quiz's digits on all its pages


def _own_question(public_id: str, number: int) -> tuple[AttemptRow, QuestionRow]:
    """The attempt (with its quiz and bank) and its question `number` (from 1) with its answer, in
    one query, as plain rows (quizapp/quiz/rows.py).

    :raise 404: when either is missing or the attempt is someone else's.
    """
    found = attempt_rows.question_row(public_id, number)
    _check_owner(found[0] if found else None)
    attempt, q, maybe_closed = found  # type: ignore[misc]
    _check_closed_book(attempt, maybe_closed)
    return attempt, q


def _check_closed_book(attempt: AttemptRow, maybe: bool = True) -> None:
    """:raise 403: for another attempt on the bank of the student's running closed-book quiz (an
    earlier try's results, a practice's questions show the bank's events and dates): closed too.
    `maybe` is False when the query that loaded the attempt found no unfinished closed-book attempt
    of the student's on the bank (attempt_rows.closed_book_running): then there is nothing to ask."""
    running = attempt.settings.get("closed_book") and not attempt.finished and not svc.time_is_up(attempt)
    if attempt.user_id is None or running or not maybe:
        return  # a visitor's, or the closed-book attempt itself (one whose time is up is closed next)
    blocked = closed_book(attempt.quiz.bank_id)
    if blocked:
        abort(make_response(*blocked))


def _next_unanswered(attempt_id: int, after: int = 0) -> int | None:
    """The number of the first question after number `after` without an answer, else the first
    before it (round from the start), or None (one query, any length)."""
    position = attempt_rows.next_unanswered(attempt_id, after)
    return None if position is None else position + 1


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


def _answer_form(attempt: AttemptRow, q: QuestionRow, view: dict, formdata=None):  # type: ignore[no-untyped-def]
    """The question's form: the posted one (WTForms, which validates it; a valid multiple-choice or
    ordering answer is read without it: forms.ValidAnswer), or on a page (no form data) a ShownForm
    filled with the stored answer, if any."""
    qtype = q.snapshot["type"]
    if qtype in NEW_TYPES:
        return kind_form(attempt, q, view, formdata)
    if qtype == "mcq":
        if formdata is None:
            return ShownForm(choice=next((o["token"] for o in view["options"] if o["chosen"]), None))
        tokens = [o["token"] for o in view["options"]]
        valid = valid_choice(tokens, formdata) if g.get("csrf_valid") else None
        return valid or mcq_form([(o["token"], o["text"]) for o in view["options"]], formdata)
    items = view["items"]
    if formdata is None:  # the stored order, else each item in its own place
        answered = q.response is not None
        return ShownForm(
            ranks={i["token"]: str(i["rank"] if answered else n) for n, i in enumerate(items, 1)}
        )
    tokens = [i["token"] for i in items]
    valid = valid_order(tokens, formdata) if g.get("csrf_valid") else None
    return valid or ordering_form(tokens, formdata)


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
            following = _next_unanswered(attempt_id, after=number)
            if following is None:
                return redirect(url_for("quiz.summary", public_id=public_id))
            return redirect(url_for("quiz.question", public_id=public_id, number=following))
        status = 422
    elif request.method == "POST":
        # Answered for good (a double click, a second tab, a retry): the first answer stands.
        _finish_if_complete(attempt)
        return redirect(url_for("quiz.question", public_id=public_id, number=number))
    template = current_app.jinja_env.get_template("quiz/question.html")  # the page's language's
    links = page_links(template)
    return (
        render_template(
            template,
            links=links,
            here=resume_link(links, attempt.public_id),  # the attempt's links are its sub-paths
            attempt=attempt,
            q=q,
            view=view,
            form=form,  # the flag's form is written out in the template: no FlagForm built for it
            rank_options=rank_options,
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
    answers are saved (and the questions are not read)."""
    attempt = _own_attempt(public_id)
    if not attempt.finished and svc.time_is_up(attempt):
        svc.finish_attempt(attempt)
    _finish_if_complete(attempt)
    if not attempt.finished:
        return redirect(url_for("quiz.resume", public_id=public_id))
    show_key = attempt_visible(attempt)
    if show_key:
        attempt_rows.with_questions(attempt)
    lang = content_lang(attempt.settings.get("languages"))
    template = current_app.jinja_env.get_template("quiz/results.html")  # the page's language's
    view = results_view(attempt, lang, show_key)
    return render_template(template, attempt=attempt, home=page_links(template).home, **view)


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
