"""Learning organised around events: explore a bank, see mastery by event, review what was missed."""

from . import views  # noqa: F401  (registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
