"""Live class mode: the teacher's projector page, the students' phones, their streams."""

from . import views  # noqa: F401  (registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
