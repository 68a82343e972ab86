"""The learn blueprint; its routes are registered by the package, which imports its views."""

from flask import Blueprint

bp = Blueprint("learn", __name__, url_prefix="/learn")
