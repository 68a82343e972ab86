"""Taking quizzes: practice, join by code, one question per page, results."""

from . import views  # noqa: F401  (registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
