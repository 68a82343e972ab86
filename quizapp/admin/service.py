"""Admin actions on accounts. Each function records what it did in the audit log and commits once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select

from ..extensions import db
from ..models import ROLES, AuditLog, User


class UsernameTaken(Exception):
    """Another account has this username (compared without case)."""


class OwnAccount(Exception):
    """An admin may not demote or disable their own account (the site would lose its admin)."""


def _record(actor: User, action: str, target: User, **details: Any) -> None:
    db.session.add(
        AuditLog(
            actor_id=actor.id, action=action, target=f"user:{target.id} {target.username}", details=details
        )
    )


def users_query(search: str = "") -> Select:
    """Accounts whose username or name contains `search` (any case), by username."""
    stmt = select(User).order_by(func.lower(User.username))
    if search.strip():
        pattern = (
            "%" + search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        stmt = stmt.where(
            or_(
                func.lower(User.username).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    return stmt


def create_teacher(actor: User, username: str, display_name: str, password: str) -> User:
    """Make a teacher's account. :raise UsernameTaken: when the username is in use."""
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise UsernameTaken(username)
    user = User(username=username, display_name=display_name, role="teacher")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _record(actor, "create_teacher", user, display_name=display_name)
    db.session.commit()
    return user


def set_role(actor: User, user: User, role: str) -> bool:
    """Give an account a role; False when it already had it.

    :raise ValueError: for an unknown role. :raise OwnAccount: when an admin demotes themself.
    """
    if role not in ROLES:
        raise ValueError(role)
    if user.role == role:
        return False
    if user.id == actor.id:
        raise OwnAccount(user.id)
    before = user.role
    user.role = role
    _record(actor, "set_role", user, before=before, after=role)
    db.session.commit()
    return True


def set_active(actor: User, user: User, active: bool) -> bool:
    """Enable or disable an account (a disabled one cannot log in; its history stays).

    False when nothing changed. :raise OwnAccount: when an admin disables themself.
    """
    if user.active == active:
        return False
    if user.id == actor.id:
        raise OwnAccount(user.id)
    user.active = active
    _record(actor, "enable" if active else "disable", user)
    db.session.commit()
    return True


def audit_query() -> Select:
    """The audit log, newest first."""
    return select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
