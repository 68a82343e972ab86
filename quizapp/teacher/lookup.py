"""The one place that decides which bank or quiz a teacher's page may show or change.

The blueprint's before_request lets in teachers and admins only; here a bank or quiz that does not
exist is a 404, and someone else's a 403.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from .. import reads
from ..extensions import db
from ..models import Bank, Quiz, User
from . import services as svc


def the_user() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined]


def find_bank(bank_id: int, edit: bool = False) -> Bank:
    """A bank the user may see (or edit). :raise 404: when there is none. :raise 403: when not theirs."""
    return _allowed_bank(db.session.get(Bank, bank_id), edit)


def view_bank(bank_id: int) -> Bank:
    """A bank the user may see, for a page that only reads it: a detached Bank read as a plain row
    (quizapp.reads), the ORM's session left unopened. :raise 404, 403: as find_bank."""
    return _allowed_bank(reads.get(Bank, bank_id), edit=False)


def _allowed_bank(row: Bank | None, edit: bool) -> Bank:
    if row is None or row.deleted:
        abort(404)
    allowed = svc.may_edit if edit else svc.may_view
    if not allowed(the_user(), row):
        abort(403)
    return row


def find_quiz(quiz_id: int) -> Quiz:
    """A quiz of the user's. :raise 404: when there is none. :raise 403: when it is someone else's."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.practice:
        abort(404)
    if not svc.may_edit_quiz(the_user(), quiz):
        abort(403)
    return quiz
