"""Role checks, done once per blueprint (before_request), so that a new route cannot forget them."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from .extensions import login_manager


def require_role(bp: Blueprint, *roles: str) -> None:
    """Every route of the blueprint needs a logged-in user holding one of the roles (admins hold all).

    :raise 403: for a user without the role (a visitor is sent to the log-in page).
    """

    @bp.before_request
    def _check_role():  # type: ignore[no-untyped-def]
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.has_role(*roles):
            abort(403)
        return None
