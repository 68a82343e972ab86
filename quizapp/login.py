"""Who is logged in: the user a session's cookie names, or nobody (Flask-Login's user loader)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, has_request_context, request
from flask_login import current_user

from . import reads
from .extensions import db, login_manager
from .models import User

#: A page's first reads, which need only its URL's values and the user's id (not the user's row):
#: a function of the two giving (statement, parameters) pairs, as quizapp.reads.ahead takes them.
FirstReads = Callable[[dict[str, Any], int], Sequence[tuple[Any, dict[str, Any]]]]

#: Each endpoint's first reads, sent with the user's row in one round trip (see read_with_user).
_WITH_USER: dict[str, FirstReads] = {}


def read_with_user(*endpoints: str) -> Callable[[FirstReads], FirstReads]:
    """Register a function giving the first reads of these endpoints' pages: on PostgreSQL they go
    to the database with the logged-in user's row (quizapp.reads.ahead), so that a student's
    question page, its results and home page wait for one round trip where they waited for two.
    Each read must be the one the view then makes: the same statement and the same parameters.
    The view still checks what it reads (an attempt's owner): a row read ahead and not asked
    for is dropped when the request ends."""

    def register(reads_of: FirstReads) -> FirstReads:
        for endpoint in endpoints:
            _WITH_USER[endpoint] = reads_of
        return reads_of

    return register


def _read_ahead_with_user(user_id: int) -> None:
    if not has_request_context():
        return
    reads_of = _WITH_USER.get(request.endpoint or "")
    if reads_of is not None:
        reads.ahead(reads.get_read(User, user_id), *reads_of(request.view_args or {}, user_id))


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
    _read_ahead_with_user(int(ident))
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
