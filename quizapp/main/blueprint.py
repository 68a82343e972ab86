"""The main blueprint; its routes are registered by the package, which imports its views."""

from flask import Blueprint

bp = Blueprint("main", __name__)
