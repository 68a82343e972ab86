"""Home: the quizzes open to the student, a practice quiz per bank, and a join-by-code box."""

from __future__ import annotations

from flask import redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from ..extensions import db
from ..i18n import LANGUAGES
from ..learn.queries import due_counts
from ..models import Bank, Quiz, utcnow
from ..quiz.forms import JoinForm
from ..web import next_page
from . import bp


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    """The banks to practise and the quizzes open now."""
    practice = db.session.execute(
        select(Quiz, Bank)
        .join(Bank, Quiz.bank_id == Bank.id)
        .where(Quiz.practice.is_(True), Bank.published.is_(True), Bank.deleted.is_(False))
        .order_by(Bank.title_en)
        .options(undefer(Bank.data))  # each bank's description
    ).all()
    open_quizzes = []
    due = 0
    if current_user.is_authenticated:
        due = sum(due_counts(current_user.id, [bank for _, bank in practice], utcnow()).values())
        quizzes = db.session.scalars(
            select(Quiz)
            .join(Bank)
            .where(Quiz.practice.is_(False), Quiz.active.is_(True), Bank.deleted.is_(False))
        ).all()
        open_quizzes = [q for q in quizzes if q.is_open()]
    return render_template(
        "main/home.html", practice=practice, open_quizzes=open_quizzes, join_form=JoinForm(), due=due
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
