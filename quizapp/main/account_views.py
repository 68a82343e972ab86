"""A student's side of classes: a class's page (join with its code), and choosing one's own
password, which an account made with a first-time password must do before anything else."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from .. import classes as svc
from ..extensions import db
from ..login import own_user
from ..models import SchoolClass
from .blueprint import bp
from .forms import JoinClassForm, NewPasswordForm

#: What a user who must change their password may still reach: that page, logging out, switching
#: language, and static files.
_ALLOWED_BEFORE_CHANGE = {"main.change_password", "auth.logout", "main.set_language", "static"}


@bp.before_app_request
def _first_password_first():  # type: ignore[no-untyped-def]
    """An account with a first-time password goes to "choose your password" until it has."""
    if request.endpoint in _ALLOWED_BEFORE_CHANGE or request.endpoint is None:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("main.change_password"))
    return None


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():  # type: ignore[no-untyped-def]
    """Choose a new password. Every other session of the account ends (its version changes)."""
    form = NewPasswordForm()
    user = own_user()
    if form.validate_on_submit() and user.check_password(form.password.data):
        # The first-time password typed again would leave the printed sheet's password working.
        form.password.errors.append(_("The new password must differ from the one you have now."))
    elif form.validate_on_submit():
        user.set_password(form.password.data)
        user.must_change_password = False
        user.session_version = (user.session_version or 0) + 1
        db.session.commit()
        login_user(user)  # this session carries the new version; the others stop working
        flash(_("Your password is changed."), "success")
        return redirect(url_for("main.home"))
    forced = current_user.must_change_password
    return render_template("main/password.html", form=form, forced=forced), 422 if form.errors else 200


def _class(code: str) -> SchoolClass:
    """The class with this code (not archived). :raise 404: for an unknown code."""
    row = svc.class_by_code(code)
    if row is None:
        abort(404)
    return row


@bp.get("/class/<code>")
@login_required
def class_landing(code: str):  # type: ignore[no-untyped-def]
    """A class, found by its code, with a button to join. :raise 404: for an unknown code."""
    row = _class(code)
    member = svc.is_member(row, current_user.id)
    return render_template("main/class.html", row=row, member=member, form=JoinClassForm())


@bp.post("/class/<code>/join")
@login_required
def join_class(code: str):  # type: ignore[no-untyped-def]
    """Join the class (twice changes nothing). :raise 404: for an unknown code."""
    row = _class(code)
    if not JoinClassForm().validate_on_submit():
        abort(400)
    if svc.join(row, current_user.id):
        flash(_("You have joined the class %(name)s.", name=row.name), "success")
    return redirect(url_for("main.home"))
