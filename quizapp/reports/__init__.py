"""Score reports: per quiz, question, student and event, with charts and CSV. Teachers see their
own quizzes' reports; admins see all."""

from . import views  # noqa: F401  (registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
