"""Admin actions on accounts. Each function records what it did in the audit log and commits once.

There is always at least one active admin. A demotion or a disabling first locks every active
admin's row (see `_lock_admins`), then checks under that lock that an active admin remains: two
admins demoting or disabling each other at the same moment take turns, and the second is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select, update

from ..extensions import db
from ..models import ROLES, AuditLog, User


class UsernameTaken(Exception):
    """Another account has this username (compared without case)."""


class OwnAccount(Exception):
    """An admin may not demote or disable their own account (the site would lose its admin)."""


class LastAdmin(Exception):
    """The change would leave the site without an active admin (or the actor is no longer one)."""


def _lock_admins() -> set[int]:
    """Lock the active admins' rows until the commit and return their ids, as they are now.

    A write that changes nothing, as in attempts.py: on PostgreSQL it holds each admin's row lock
    (like SELECT ... FOR UPDATE, and a row changed meanwhile is read again after the wait); on SQLite
    it takes the database's write lock, begun by the write itself so no earlier read goes stale.
    Every demotion and disabling takes it in the same order (by id): they queue, never deadlock.
    """
    admins = (User.role == "admin", User.active.is_(True))
    db.session.execute(
        update(User).where(*admins).values(id=User.id).execution_options(synchronize_session=False)
    )
    return set(db.session.scalars(select(User.id).where(*admins).order_by(User.id)))


def _lock_for_change(actor: User, user: User) -> set[int]:
    """Take the admins' lock, reload both accounts (either may have changed while the lock was
    awaited) and return the active admins' ids.

    :raise LastAdmin: when the actor is no longer an active admin: an admin demoted or disabled by
        another at the same moment acts no more (so two cannot remove each other).
    """
    admins = _lock_admins()
    db.session.refresh(actor)
    db.session.refresh(user)
    if actor.id not in admins:
        db.session.rollback()
        raise LastAdmin(actor.id)
    return admins


def _refuse(error: Exception) -> None:
    db.session.rollback()  # ends the transaction, and with it the lock
    raise error


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
    :raise LastAdmin: when no active admin would remain (checked under a lock: see the module).
    """
    if role not in ROLES:
        raise ValueError(role)
    admins = _lock_for_change(actor, user)
    if user.role == role:
        db.session.rollback()
        return False
    if user.id == actor.id:
        _refuse(OwnAccount(user.id))
    if user.role == "admin" and not admins - {user.id}:
        _refuse(LastAdmin(user.id))
    before = user.role
    user.role = role
    _record(actor, "set_role", user, before=before, after=role)
    db.session.commit()
    return True


def set_active(actor: User, user: User, active: bool) -> bool:
    """Enable or disable an account (a disabled one cannot log in; its history stays).

    Disabling ends every session and remember-me cookie of the account at once, for good: its
    session version moves on, so an old cookie stays dead after the account is enabled again.
    False when nothing changed. :raise OwnAccount: when an admin disables themself.
    :raise LastAdmin: when no active admin would remain (checked under a lock: see the module).
    """
    admins = _lock_for_change(actor, user)
    if user.active == active:
        db.session.rollback()
        return False
    if user.id == actor.id:
        _refuse(OwnAccount(user.id))
    if not active and not admins - {user.id}:
        _refuse(LastAdmin(user.id))
    user.active = active
    if not active:
        user.session_version = (user.session_version or 0) + 1
    _record(actor, "enable" if active else "disable", user)
    db.session.commit()
    return True


def audit_query() -> Select:
    """The audit log, newest first."""
    return select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
