"""The live blueprint; its routes are registered by the package, which imports its views."""

from flask import Blueprint

bp = Blueprint("live", __name__, url_prefix="/live")
