"""The home page, the language switch, joining a class and choosing one's password."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from . import account_views, views  # noqa: E402, F401  (registers the routes on bp)
