"""Error pages in the user's language."""

from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException


def register(app: Flask) -> None:
    """Render HTTP errors with the site's layout."""

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):  # type: ignore[no-untyped-def]
        return render_template("error.html", error=err), err.code

    @app.errorhandler(DataError)
    def data_error(err: DataError):  # type: ignore[no-untyped-def]
        # A value the database refuses (a NUL character, a number out of range) came from the
        # request: a bad request, not a crash. Nothing of it is kept.
        from .extensions import db

        db.session.rollback()
        return http_error(BadRequest())
