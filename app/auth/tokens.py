"""Per-user API tokens for /api/v1/: random, shown once, stored as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from app.extensions import db
from app.models import User, utcnow

PREFIX = "lt_"


def digest(token: str) -> str:
    """What is stored of a token (and looked up, in the unique index of the hashes)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user: User) -> str:
    """Give the user a new token (replacing any old one) and return it in clear, once."""
    token = PREFIX + secrets.token_urlsafe(32)
    user.api_token_hash = digest(token)
    user.api_token_created_at = utcnow()
    return token


def user_for_token(token: str) -> User | None:
    if not token.startswith(PREFIX):
        return None
    user = db.session.scalar(select(User).where(User.api_token_hash == digest(token)))
    return user if user is not None and user.active else None
