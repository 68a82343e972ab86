"""The teacher blueprint; its routes are registered by the package, which imports its views."""

from flask import Blueprint

from ..roles import require_role

bp = Blueprint("teacher", __name__, url_prefix="/teacher")
require_role(bp, "teacher")
