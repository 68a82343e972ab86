"""Admins: users, roles, disabled accounts, and the log of admin actions."""

from flask import Blueprint

from ..roles import require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")
require_role(bp, "admin")

from . import views  # noqa: E402, F401  (registers the routes on bp)
