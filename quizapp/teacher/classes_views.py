"""The teacher's class pages: classes and their codes, members, assigned quizzes, and student
accounts made in bulk with a printable sheet of first-time passwords.

Who may manage a class is quizapp.access's rule, asked once by `_class`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from .. import access
from .. import classes as svc
from ..extensions import db
from ..formtools import as_code
from ..i18n import current_lang
from ..models import SchoolClass, User
from .blueprint import bp
from .classes_forms import ClassForm, RosterForm
from .forms import ButtonForm


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined]


def _class(class_id: int) -> SchoolClass:
    """A class the user manages. :raise 404: when there is none. :raise 403: when it is not theirs."""
    row = db.session.get(SchoolClass, class_id)
    if row is None:
        abort(404)
    if not access.may_manage_class(_user(), row):
        abort(403)
    return row


@bp.route("/classes", methods=["GET", "POST"])
def classes():  # type: ignore[no-untyped-def]
    """The teacher's classes, and a form to make one."""
    form = ClassForm()
    if form.validate_on_submit():
        row = svc.create_class(_user(), form.name.data)
        saved = Markup(_("The class is made. Its code is %(code)s."))  # our own text: safe
        flash(saved % {"code": as_code(row.code)}, "success")
        return redirect(url_for("teacher.class_page", class_id=row.id))
    rows = svc.teacher_classes(_user().id, include_archived=True)
    status = 422 if form.errors else 200
    return render_template(
        "teacher/classes.html", form=form, rows=rows, counts=svc.member_counts([r.id for r in rows])
    ), status


@bp.route("/classes/<int:class_id>", methods=["GET", "POST"])
def class_page(class_id: int):  # type: ignore[no-untyped-def]
    """A class: its name (to rename), its code, its members and its quizzes. :raise 403: :raise 404:"""
    row = _class(class_id)
    form = ClassForm(obj=row if request.method == "GET" else None)
    if form.validate_on_submit():
        svc.rename_class(row, form.name.data)
        flash(_("The class is renamed."), "success")
        return redirect(url_for("teacher.class_page", class_id=row.id))
    return render_template(
        "teacher/class.html",
        row=row,
        form=form,
        members=svc.members(row),
        quizzes=svc.class_quizzes(row),
        button=ButtonForm(),
        link=url_for("main.class_landing", code=row.code, _external=True),
    ), 422 if form.errors else 200


@bp.post("/classes/<int:class_id>/code")
def class_code(class_id: int):  # type: ignore[no-untyped-def]
    """Give the class a new code: the old one stops working; members stay. :raise 403: :raise 404:"""
    row = _class(class_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    code = svc.regenerate_code(row)
    flash(Markup(_("The class's new code is %(code)s.")) % {"code": as_code(code)}, "success")
    return redirect(url_for("teacher.class_page", class_id=row.id))


@bp.post("/classes/<int:class_id>/archive")
def class_archive(class_id: int):  # type: ignore[no-untyped-def]
    """Archive the class, or bring it back. :raise 403: :raise 404:"""
    row = _class(class_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    svc.set_archived(row, not row.archived)
    flash(_("The class is archived.") if row.archived else _("The class is back."), "success")
    return redirect(url_for("teacher.class_page", class_id=row.id))


@bp.post("/classes/<int:class_id>/members/<int:user_id>/remove")
def remove_member(class_id: int, user_id: int):  # type: ignore[no-untyped-def]
    """Take a student out of the class (the account stays). :raise 403: :raise 404:"""
    row = _class(class_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None or not svc.is_member(row, user_id):
        abort(404)
    svc.remove_member(row, user_id)
    flash(
        _("%(name)s (%(username)s) has left the class.", name=user.display_name, username=user.username),
        "success",
    )
    return redirect(url_for("teacher.class_page", class_id=row.id))


@bp.route("/classes/<int:class_id>/accounts", methods=["GET", "POST"])
def class_accounts(class_id: int):  # type: ignore[no-untyped-def]
    """Make student accounts from a roster (pasted or a CSV file), all or none, and show their
    first-time passwords once, on a sheet to print. :raise 403: :raise 404:"""
    row = _class(class_id)
    form = RosterForm()
    problems: list[svc.RosterProblem] = []
    if form.validate_on_submit():
        text = form.roster_text()
        if text is not None:
            roster = svc.parse_roster(text)
            problems = roster.problems
            if not problems:
                try:
                    made = svc.create_accounts(row, roster, locale=current_lang())
                except IntegrityError:  # a username was taken between the check and the save
                    flash(
                        _("A username was taken meanwhile: nothing was saved. Send the list again."), "danger"
                    )
                else:
                    flash(
                        ngettext("%(num)s account is made.", "%(num)s accounts are made.", len(made)),
                        "success",
                    )
                    sheet = render_template("teacher/class_sheet.html", row=row, made=made)
                    return sheet, 200, {"Cache-Control": "no-store"}  # the passwords are shown once
    status = 422 if form.is_submitted() else 200
    return render_template("teacher/class_accounts.html", row=row, form=form, problems=problems), status
