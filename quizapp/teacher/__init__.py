"""Teachers: banks, events, hand-written questions, files, extraction from texts, and quizzes."""

from flask import Blueprint

from ..roles import require_role

bp = Blueprint("teacher", __name__, url_prefix="/teacher")
require_role(bp, "teacher")

from . import classes_views, extract_views, print_views, views  # noqa: E402, F401  (register the routes on bp)
