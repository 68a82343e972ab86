"""Who is logged in: the user a session's cookie names, or nobody (Flask-Login's user loader)."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from . import reads
from .extensions import db, login_manager
from .models import User


def load_user(user_id: str) -> User | None:
    """The active user a cookie names, or None.

    "id.version": a cookie from a session that was logged out carries an old version.

    Read as a plain row and made a detached User (quizapp.reads.get): a page that only reads
    then never opens the ORM's session for it. A view that changes the user attaches it first
    (own_user).
    """
    ident, _, version = user_id.partition(".")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = reads.get(User, int(ident))
    if user is None or not user.active or (user.session_version or 0) != int(version):
        return None
    return user


def own_user() -> User:
    """The logged-in user, attached to the request's session: to change, then commit."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    return db.session.merge(user, load=False)


def init_app(app: Flask) -> None:
    """Let Flask-Login find the user of each request (after extensions.init_app)."""
    login_manager.user_loader(load_user)
