"""The reports blueprint; its routes are registered by the package, which imports its views."""

from flask import Blueprint

from ..roles import require_role

bp = Blueprint("reports", __name__, url_prefix="/reports")
require_role(bp, "teacher")
