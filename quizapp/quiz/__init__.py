"""Taking quizzes: practice, join by code, one question per page, results."""

from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/quiz")

from . import views  # noqa: E402, F401  (registers the routes on bp)
