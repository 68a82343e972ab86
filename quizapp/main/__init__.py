"""The home page, the language switch, joining a class and choosing one's password."""

from . import account_views, views  # noqa: F401  (registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
