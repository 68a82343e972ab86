"""Home: the quizzes of the student's classes, their unfinished attempts, a practice quiz per bank,
and a box to join a quiz or a class by its code."""

from __future__ import annotations

import functools

from flask import redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import access
from ..banks import to_domain
from ..extensions import db
from ..feedback import attempt_visible
from ..i18n import LANGUAGES
from ..models import Bank, Quiz, utcnow
from ..reviews import due_counts
from ..ui.forms import JOIN_CODE_LENGTH
from ..ui.navigation import next_page
from .blueprint import bp


@functools.cache
def _practice_query():  # type: ignore[no-untyped-def]
    """Each published bank with its practice quiz. Built once a process: building the statement
    cost more than running it."""
    return (
        select(Quiz, Bank)
        .join(Bank, Quiz.bank_id == Bank.id)
        .where(Quiz.practice.is_(True), Bank.published.is_(True), Bank.deleted.is_(False))
        .order_by(Bank.title_en)
    )


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    """The banks to practise; for a user, their classes' quizzes and the attempts left unfinished."""
    practice = db.session.execute(_practice_query()).all()
    # Each bank's description and events from its parsed form (cached per worker and version, the
    # version read in the query above): no document parsed and no query per bank.
    parsed = {bank.id: to_domain(bank) for _, bank in practice}
    due = 0
    assigned: list[access.Assigned] = []
    running: list = []
    now = utcnow()
    if current_user.is_authenticated:
        due = sum(due_counts(current_user.id, [bank for _, bank in practice], now).values())
        # Only the quizzes of the user's classes: a quiz of no class is reached by its code alone.
        assigned = access.assigned_quizzes(current_user, now)
        listed = {item.quiz.id for item in assigned}  # an assigned quiz's own line has its Resume
        running = [a for a in access.unfinished_attempts(current_user, now) if a.quiz_id not in listed]
    return render_template(
        "main/home.html",
        practice=practice,
        parsed=parsed,
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
        current_user.locale = code
        db.session.commit()
    return redirect(next_page(url_for("main.home")))
