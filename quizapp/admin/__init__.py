"""Admins: users, roles, disabled accounts, and the log of admin actions."""

from . import views  # noqa: F401  (registers the routes on bp)
from .blueprint import bp

__all__ = ["bp"]
