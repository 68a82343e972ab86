"""Admin pages: accounts (search, new teachers, roles, disable and enable) and the audit log. The
admin role is checked once for the whole blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..login import own_user
from ..models import User
from . import service as svc
from .blueprint import bp
from .forms import ActiveForm, RoleForm, TeacherForm, role_labels

PER_PAGE = 50
LAST_ADMIN = _l(
    "Not done: the site keeps at least one active administrator, and only an active administrator "
    "changes accounts."
)


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _back() -> str:
    return url_for("admin.users", q=request.args.get("q") or None)


def _page() -> int:
    """The ?page= asked for, kept within what both databases can count: a huge number is an empty
    page, never an overflow (500)."""
    return max(1, min(request.args.get("page", 1, type=int) or 1, 1_000_000))


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """The admin's front page is the list of accounts."""
    return redirect(url_for("admin.users"))


@bp.get("/users")
def users():  # type: ignore[no-untyped-def]
    """Accounts, searched by username or name, 50 a page."""
    search = request.args.get("q", "")[:100]
    page = db.paginate(svc.users_query(search), page=_page(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "admin/users.html",
        page=page,
        search=search,
        roles=role_labels(),
        role_form=RoleForm(),
        active_form=ActiveForm(),
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_teacher():  # type: ignore[no-untyped-def]
    """Create a teacher's account."""
    form = TeacherForm()
    if form.validate_on_submit():
        try:
            user = svc.create_teacher(
                own_user(), form.username.data.strip(), form.display_name.data.strip(), form.password.data
            )
        except svc.UsernameTaken:
            form.username.errors.append(_("This username is taken."))
        else:
            flash(_("The teacher %(name)s can now log in.", name=user.display_name), "success")
            return redirect(url_for("admin.users", q=user.username))
    status = 422 if form.errors else 200
    return render_template("admin/new_teacher.html", form=form), status


@bp.post("/users/<int:user_id>/role")
def set_role(user_id: int):  # type: ignore[no-untyped-def]
    """Change an account's role. :raise 404: unknown account. :raise 400: bad form."""
    user = _user(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        changed = svc.set_role(own_user(), user, form.role.data)
    except svc.OwnAccount:
        flash(_("You cannot change your own role."), "danger")
    except svc.LastAdmin:
        flash(str(LAST_ADMIN), "danger")
    else:
        if changed:
            flash(
                _("%(user)s is now: %(role)s.", user=user.username, role=role_labels()[user.role]), "success"
            )
    return redirect(_back())


@bp.route("/users/<int:user_id>/active", methods=["GET", "POST"])
def set_active(user_id: int):  # type: ignore[no-untyped-def]
    """Disable or enable an account; GET is the page that asks before disabling (the list links
    there). :raise 404: unknown account. :raise 400: bad form."""
    user = _user(user_id)
    if request.method == "GET":
        return render_template(
            "confirm.html",
            heading=_("Disable this account?"),
            subject=user.username,
            subject_ltr=True,
            text=_(
                "They can no longer log in. Their attempts and history are kept, and you can enable "
                "the account again."
            ),
            action=url_for("admin.set_active", user_id=user.id, q=request.args.get("q") or None),
            fields={"active": "0"},
            button=_("Disable"),
            cancel=_back(),
            form=ActiveForm(),
        )
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    active = form.active.data == "1"
    try:
        changed = svc.set_active(own_user(), user, active)
    except svc.OwnAccount:
        flash(_("You cannot disable your own account."), "danger")
    except svc.LastAdmin:
        flash(str(LAST_ADMIN), "danger")
    else:
        if changed and active:
            flash(_("%(user)s can log in again.", user=user.username), "success")
        elif changed:
            flash(_("%(user)s can no longer log in; their history is kept.", user=user.username), "success")
    return redirect(_back())


@bp.get("/audit")
def audit():  # type: ignore[no-untyped-def]
    """Every admin action, newest first, 50 a page."""
    page = db.paginate(svc.audit_query(), page=_page(), per_page=PER_PAGE, error_out=False)
    return render_template("admin/audit.html", page=page, roles=role_labels())
