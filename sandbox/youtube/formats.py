"""How the Data API writes times and etags."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def _yt_time(moment: datetime, millis: bool = False) -> str:
    moment = moment.astimezone(UTC)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _etag() -> str:
    return secrets.token_urlsafe(20)
