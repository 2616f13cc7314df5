"""How the Data API writes times and etags."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def youtube_time(moment: datetime, millis: bool = False) -> str:
    """RFC 3339 in UTC with a ``Z``; chat messages carry milliseconds."""
    moment = moment.astimezone(UTC)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def etag() -> str:
    """A fresh opaque etag (the sandbox never answers 304, so any new value will do)."""
    return secrets.token_urlsafe(20)
