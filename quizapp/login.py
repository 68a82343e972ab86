"""Who is logged in: the user a session's cookie names, or nobody (Flask-Login's user loader)."""

from __future__ import annotations

import functools

from flask import Flask
from flask_login import current_user
from sqlalchemy import bindparam, select

from . import reads
from .extensions import db, login_manager
from .models import User


def load_user(user_id: str) -> User | None:
    """The active user a cookie names, or None.

    "id.version": a cookie from a session that was logged out carries an old version.

    Read as a plain row and made a detached User (quizapp.reads.entity): a page that only reads
    then never opens the ORM's session for it. A view that changes the user attaches it first
    (own_user).
    """
    ident, _, version = user_id.partition(".")
    if not ident.isdigit() or not version.isdigit():
        return None
    row = reads.first(_user_query(), {"id": int(ident)})
    if row is None:
        return None
    user = reads.entity(User, row)
    if not user.active or (user.session_version or 0) != int(version):
        return None
    return user


@functools.cache
def _user_query():  # type: ignore[no-untyped-def]
    """The user by id: one SELECT of its columns, built once a process."""
    return select(*reads.columns_of(User)).where(User.__table__.c.id == bindparam("id"))


def own_user() -> User:
    """The logged-in user, attached to the request's session: to change, then commit."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    return db.session.merge(user, load=False)


def init_app(app: Flask) -> None:
    """Let Flask-Login find the user of each request (after extensions.init_app)."""
    login_manager.user_loader(load_user)
