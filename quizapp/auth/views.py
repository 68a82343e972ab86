"""Accounts: students sign up themselves; teachers and admins are made by an admin or the CLI."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from ..extensions import db, limiter
from ..login import own_user
from ..models import User
from ..passwords import check_login
from ..ui.forms import SignupForm
from ..ui.navigation import next_page
from .blueprint import bp
from .forms import LoginForm


def _start_session(user: User, remember: bool = False) -> None:
    # A fresh session on log-in: nothing an attacker planted before survives it.
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user, remember=remember)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def signup():  # type: ignore[no-untyped-def]
    """Create a student account and log in."""
    form = SignupForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        taken = db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
        if taken:
            form.username.errors.append(_("This username is taken."))
        else:
            user = User(username=username, display_name=form.display_name.data.strip(), role="student")
            user.set_password(form.password.data)
            user.locale = session.get("lang")
            db.session.add(user)
            db.session.commit()
            _start_session(user)
            flash(_("Welcome, %(name)s!", name=user.display_name), "success")
            return redirect(next_page(url_for("main.home")))
    return render_template(
        "auth/signup.html", form=form
    ), 200 if request.method == "GET" else 422 if form.errors else 200


def _landing(user: User) -> str:
    """Where a log-in without a next page lands: admins on the admin page, teachers on their banks,
    students on the home page (its quizzes and practice)."""
    if user.role == "admin":
        return url_for("admin.index")
    if user.has_role("teacher"):
        return url_for("teacher.index")
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():  # type: ignore[no-untyped-def]
    """Log in. A disabled account cannot."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            select(User).where(func.lower(User.username) == form.username.data.strip().lower())
        )
        # The hash is checked even without an account: an unknown username costs what a known one does.
        if not check_login(user.password_hash if user else None, form.password.data):
            form.password.errors.append(_("Wrong username or password."))
        elif not user.active:
            form.username.errors.append(_("This account is disabled."))
        else:
            _start_session(user, remember=form.remember.data)
            return redirect(next_page(_landing(user)))
        return render_template("auth/login.html", form=form), 422
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():  # type: ignore[no-untyped-def]
    """End the session, and delete the remember-me cookie."""
    lang = session.get("lang")
    user = own_user()
    user.session_version = (user.session_version or 0) + 1  # ends every copy too
    db.session.commit()
    session.clear()
    if lang:
        session["lang"] = lang
    logout_user()  # after the clear: it leaves the mark that makes Flask-Login delete the cookie
    return redirect(url_for("main.home"))
