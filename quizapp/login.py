"""Who is logged in: the user a session's cookie names, or nobody (Flask-Login's user loader)."""

from __future__ import annotations

import functools

from flask import Flask
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import make_transient_to_detached

from . import reads
from .extensions import db, login_manager
from .models import User

_USER = User.__table__


def load_user(user_id: str) -> User | None:
    """The active user a cookie names, or None.

    "id.version": a cookie from a session that was logged out carries an old version.

    Read as a plain row (quizapp.reads) and made a detached User, as if the ORM had loaded it and
    its session had closed: a page that only reads then never opens the ORM's session for it. A
    view that changes the user attaches it first (own_user).
    """
    ident, _, version = user_id.partition(".")
    if not ident.isdigit() or not version.isdigit():
        return None
    row = reads.first(_user_query(), {"id": int(ident)})
    if row is None:
        return None
    user = User(**dict(zip(_COLUMNS, row, strict=True)))
    make_transient_to_detached(user)  # its columns are as loaded: nothing to write
    if not user.active or (user.session_version or 0) != int(version):
        return None
    return user


#: The User's attribute names, in the order of its table's columns.
_COLUMNS = tuple(User.__mapper__.get_property_by_column(column).key for column in _USER.columns)


@functools.cache
def _user_query():  # type: ignore[no-untyped-def]
    """The user by id: one SELECT of every column, built once a process."""
    return select(*_USER.columns).where(_USER.c.id == bindparam("id"))


def own_user() -> User:
    """The logged-in user, attached to the request's session: to change, then commit."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    return db.session.merge(user, load=False)


def init_app(app: Flask) -> None:
    """Let Flask-Login find the user of each request (after extensions.init_app)."""
    login_manager.user_loader(load_user)
