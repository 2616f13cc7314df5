"""What may be done to an account, for the pages and the CLI alike: create, edit, deactivate,
reactivate, set or reset a password. Each function changes the session's objects and writes its
audit row; the caller commits (or rolls back on ``UserError``), so nothing is half-written.

Administrators act inside their own unit's subtree (``app.scoping``); the pages check that before
calling. An administrator cannot lock themselves out: their own role, unit and active flag are
changed by another administrator or the CLI, never by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit
from app.auth.passwords import (
    WeakPassword,
    generate_password,
    hash_password,
    verify_password,
)
from app.extensions import db
from app.models import OrgUnit, Role, User


class UserError(ValueError):
    """A refused change: ``field`` names the form field, ``message`` says why (translated)."""

    def __init__(self, field: str, message: object) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Changes:
    email: str
    display_name: str
    role: Role
    unit: OrgUnit


def by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _check_email(email: str, user: User | None) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise UserError("email", _l("Invalid email address."))
    other = by_email(email)
    if other is not None and other is not user:
        raise UserError("email", _l("An account with this e-mail already exists."))
    return email


def _hash(password: str, email: str, field: str = "password") -> str:
    try:
        return hash_password(password, email)
    except WeakPassword as exc:
        raise UserError(field, str(exc)) from exc


def create_user(actor: User | None, changes: Changes, password: str) -> User:
    """A new account; ``actor`` None when created from the command line."""
    email = _check_email(changes.email, None)
    user = User(
        email=email,
        display_name=changes.display_name.strip(),
        role=changes.role,
        org_unit=changes.unit,
        password_hash=_hash(password, email),
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor, "user", user.id, role=changes.role.value,
                 org_unit=changes.unit.code)  # fmt: skip
    return user


def update_user(actor: User, user: User, changes: Changes) -> list[str]:
    """Apply the edit form; returns the names of the fields that changed (audited)."""
    email = _check_email(changes.email, user)
    if user.id == actor.id and (changes.role != user.role or changes.unit.id != user.org_unit.id):
        raise UserError("role", _l("You cannot change your own role or unit; ask another "
                                   "administrator."))  # fmt: skip
    wanted = {"email": email, "display_name": changes.display_name.strip(),
              "role": changes.role, "org_unit": changes.unit}  # fmt: skip
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if changed:
        detail = {"role": changes.role.value, "org_unit": changes.unit.code}
        audit.record("user.update", actor, "user", user.id, fields=changed, **detail)
    return changed


def deactivate(actor: User | None, user: User) -> None:
    """No more log-ins: sessions, remember cookies and the API token stop working at once."""
    if actor is not None and actor.id == user.id:
        raise UserError("action", _l("You cannot deactivate your own account."))
    user.deactivate()
    user.api_token_hash = None
    audit.record("user.deactivate", actor, "user", user.id)


def reactivate(actor: User | None, user: User) -> None:
    user.active = True
    audit.record("user.reactivate", actor, "user", user.id)


def set_password(actor: User | None, user: User, password: str) -> None:
    """A password chosen by an administrator (CLI): every session of the user ends."""
    user.set_password_hash(_hash(password, user.email))
    audit.record("user.password_reset", actor, "user", user.id)


def reset_password(actor: User | None, user: User) -> str:
    """A generated password, returned to be shown once; every session of the user ends."""
    password = generate_password(user.email)
    user.set_password_hash(hash_password(password, user.email))
    audit.record("user.password_reset", actor, "user", user.id, generated=True)
    return password


def change_own_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password first; other browsers are signed out."""
    if not verify_password(user.password_hash, current):
        raise UserError("current", _l("The current password is not right."))
    if current == new:
        raise UserError("new", _l("Choose a password different from the current one."))
    user.set_password_hash(_hash(new, user.email, "new"))
    audit.record("user.password_change", user, "user", user.id)
