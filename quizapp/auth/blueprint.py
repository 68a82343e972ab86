"""The auth blueprint; its routes are registered by the package, which imports its views."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")
