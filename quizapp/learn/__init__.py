"""Learning organised around events: explore a bank, see mastery by event, review what was missed."""

from flask import Blueprint

bp = Blueprint("learn", __name__, url_prefix="/learn")

from . import views  # noqa: E402, F401  (registers the routes on bp)
