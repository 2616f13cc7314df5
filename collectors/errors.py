"""The classified errors every collector raises, so the runner can react without knowing platforms.

::

    CollectorError                 base; carries platform, HTTP status, platform code, message
    ├── RateLimited(retry_after)   429, Facebook codes 4/17/32/613/80001, YouTube quotaExceeded,
    │                              rateLimitExceeded: wait, no failure counted
    ├── AuthExpired                Facebook 190/102, 401 after one refresh, missing permission:
    │                              a human must re-authorise the account
    ├── TargetGone                 the object no longer exists, or its live chat has ended
    ├── TransientError             5xx, timeouts, connection resets, malformed bodies,
    │                              Facebook codes 1/2: try again soon
    └── PermanentError             any other 4xx: a bad field, an unsupported request — a bug or
                                   an API change; the target is paused until someone looks

What the runner does with each: RateLimited moves the next poll to ``retry_after``; TransientError
counts a failure and backs off; AuthExpired pauses every target of the account; PermanentError
pauses the target; TargetGone finishes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class CollectorError(Exception):
    """Base of the taxonomy. ``code`` is the platform's own error code or reason, if any.

    ``credentials_update`` carries tokens the platform rotated before the failure (a Zalo refresh
    token is single-use): the runner stores them even though the run failed, or they are lost.
    """

    credentials_update: Mapping[str, Any] | None = None

    def __init__(
        self,
        message: str,
        *,
        platform: str = "",
        status: int | None = None,
        code: str | int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.platform = platform
        self.status = status
        self.code = code

    def __str__(self) -> str:
        where = f"{self.platform} " if self.platform else ""
        code = f" (code {self.code})" if self.code not in (None, "") else ""
        status = f" HTTP {self.status}" if self.status else ""
        return f"{where}{self.message}{code}{status}"


class RateLimited(CollectorError):
    """The platform asks us to slow down; ``retry_after`` seconds if it said how long."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after


class AuthExpired(CollectorError):
    """The credentials no longer work; collecting resumes after re-authorisation."""


class TargetGone(CollectorError):
    """The platform object is gone or finished; stop collecting it."""


class TransientError(CollectorError):
    """A passing fault (server error, timeout, broken body); retry later."""


class PermanentError(CollectorError):
    """A request the platform will never accept as sent."""
