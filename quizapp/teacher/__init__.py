"""Teachers: banks, events, hand-written questions, files, extraction from texts, and quizzes."""

from flask import Blueprint

from ..roles import require_role

bp = Blueprint("teacher", __name__, url_prefix="/teacher")
require_role(bp, "teacher")

from . import (  # noqa: E402, F401  (register the routes on bp)
    classes_views,
    content_views,
    extract_views,
    file_views,
    print_views,
    quiz_views,
    views,
)
