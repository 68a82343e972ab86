"""The page a closed-book quiz puts in front of its bank while a student sits it."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from .. import attempts as svc


def closed_book(bank_id: int):  # type: ignore[no-untyped-def]
    """The "closed during your quiz" page (403) when the user has an open attempt at a closed-book
    quiz on the bank, saying when it opens again; None otherwise. Explore, practice, mastery and
    review all ask here."""
    if not current_user.is_authenticated:
        return None
    attempt = svc.closed_book_attempt(current_user.id, bank_id)
    if attempt is None:
        return None
    return render_template("quiz/closed_book.html", attempt=attempt), 403
