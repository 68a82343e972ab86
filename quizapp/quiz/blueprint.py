"""The quiz blueprint; its routes are registered by the package, which imports its views."""

from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/quiz")
