"""Teachers: banks, events, hand-written questions, files, extraction from texts, and quizzes."""

from . import (  # noqa: F401  (register the routes on bp)
    classes_views,
    content_views,
    extract_views,
    file_views,
    print_views,
    quiz_views,
    views,
)
from .blueprint import bp

__all__ = ["bp"]
