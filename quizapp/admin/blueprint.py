"""The admin blueprint; its routes are registered by the package, which imports its views."""

from flask import Blueprint

from ..roles import require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")
require_role(bp, "admin")
