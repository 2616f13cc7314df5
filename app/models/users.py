"""Users with a role and an org unit, and the audit log."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamps, utcnow
from app.models.enums import Role, str_enum
from app.models.org import OrgUnit


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, Timestamps, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.VIEWER)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    # SHA-256 of the API token; the token itself is printed once and never stored.
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    api_token_created_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Part of the session and of the remember-me cookie: a new value signs the user out on every
    # browser at once (log-out, password change, deactivation).
    session_token: Mapped[str | None] = mapped_column(String(64), default=new_session_token)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def has_role(self, role: Role) -> bool:
        return self.role.rank >= role.rank

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: id and session token."""
        if self.session_token is None:
            self.revoke_sessions()
        return f"{self.id}:{self.session_token}"

    def revoke_sessions(self) -> None:
        """Make every session and remember cookie issued so far stop working."""
        self.session_token = new_session_token()

    def set_password_hash(self, password_hash: str) -> None:
        """A new password signs the user out everywhere else."""
        self.password_hash = password_hash
        self.revoke_sessions()

    def deactivate(self) -> None:
        self.active = False
        self.revoke_sessions()


class AuditLog(Base):
    """Who read, exported or changed personal data or access rights, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60), default="")
    object_id: Mapped[str] = mapped_column(String(60), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User | None] = relationship()
