"""Home: the quizzes of the student's classes, their unfinished attempts, a practice quiz per bank,
and a box to join a quiz or a class by its code."""

from __future__ import annotations

import datetime as dt

from flask import g, redirect, render_template, session, url_for
from flask_login import current_user

from .. import access
from ..extensions import db
from ..feedback import attempt_visible
from ..i18n import LANGUAGES
from ..login import own_user, read_with_user
from ..models import utcnow
from ..reviews import due_counts, due_read
from ..ui.forms import JOIN_CODE_LENGTH
from ..ui.navigation import next_page
from .blueprint import bp
from .practice import practice_cards, practice_read


def _now() -> dt.datetime:
    """The request's time: the same for the home page's reads sent with the user's row and for the
    page, whose reads must be those."""
    if "home_now" not in g:
        g.home_now = utcnow()
    return g.home_now


@read_with_user("main.home")
def _home_reads(_args: dict, user_id: int) -> list:
    """A student's home page's three reads, sent with the user's row: one round trip for the page."""
    now = _now()
    return [practice_read(), due_read(user_id, now), access.home_read(user_id, now)]


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    """The banks to practise; for a user, their classes' quizzes and the attempts left unfinished."""
    due = 0
    assigned: list[access.Assigned] = []
    running: list[access.Unfinished] = []
    now = _now()
    # Each bank's card kept per version (quizapp.main.practice): one statement, no document parsed.
    cards = practice_cards()
    if current_user.is_authenticated:
        due = sum(due_counts(current_user.id, {card.bank_id: card.events for card in cards}, now).values())
        # Only the quizzes of the user's classes: a quiz of no class is reached by its code alone.
        assigned, unfinished = access.home_quizzes(current_user, now)  # one statement
        listed = {item.quiz.id for item in assigned}  # an assigned quiz's own line has its Resume
        running = [a for a in unfinished if a.quiz_id not in listed]
    return render_template(
        "main/home.html",
        cards=cards,
        assigned=assigned,
        running=running,
        join_code_length=JOIN_CODE_LENGTH,
        due=due,
        score_visible=attempt_visible,  # a score shows once its feedback may (quizapp.feedback)
    )


@bp.post("/lang/<code>")
def set_language(code: str):  # type: ignore[no-untyped-def]
    """Switch language and go back to the same page (a form with CSRF: a link or an image elsewhere
    cannot change it). :raise 404: for an unknown language."""
    if code not in LANGUAGES:
        from flask import abort

        abort(404)
    session["lang"] = code
    if current_user.is_authenticated:
        own_user().locale = code
        db.session.commit()
    return redirect(next_page(url_for("main.home")))
