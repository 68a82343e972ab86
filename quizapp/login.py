"""Who is logged in: the user a session's cookie names, or nobody (Flask-Login's user loader)."""

from __future__ import annotations

import functools

from flask import Flask
from sqlalchemy import bindparam, select

from .extensions import db, login_manager
from .models import User


def load_user(user_id: str) -> User | None:
    """The active user a cookie names, or None.

    "id.version": a cookie from a session that was logged out carries an old version.
    """
    ident, _, version = user_id.partition(".")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.execute(_user_query(), {"id": int(ident)}).scalar()
    if user is None or not user.active or (user.session_version or 0) != int(version):
        return None
    return user


@functools.cache
def _user_query():  # type: ignore[no-untyped-def]
    """The user by id: one SELECT, its statement built once a process (Session.get builds its own
    on every request, which cost more than the database's work)."""
    return select(User).where(User.id == bindparam("id"))


def init_app(app: Flask) -> None:
    """Let Flask-Login find the user of each request (after extensions.init_app)."""
    login_manager.user_loader(load_user)
