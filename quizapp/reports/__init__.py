"""Score reports: per quiz, question, student and event, with charts and CSV. Teachers see their
own quizzes' reports; admins see all."""

from flask import Blueprint

from ..roles import require_role

bp = Blueprint("reports", __name__, url_prefix="/reports")
require_role(bp, "teacher")

from . import views  # noqa: E402, F401  (registers the routes on bp)
