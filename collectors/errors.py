"""The classified errors every collector raises, and the one ladder that picks them.

::

    CollectorError                 base; carries platform, HTTP status, platform code, message
    ├── RateLimited(retry_after)   429, Facebook codes 4/17/32/613/80001, YouTube quotaExceeded,
    │                              rateLimitExceeded: wait, no failure counted
    ├── AuthExpired                Facebook 190/102, 401 after one refresh, missing permission
    │                              (Zoom 4700): a human must re-authorise the account
    ├── TargetGone                 the object no longer exists (404, Zoom 3001), or its live chat
    │                              has ended
    ├── TransientError             5xx, timeouts, connection resets, malformed bodies,
    │                              Facebook codes 1/2 and ``is_transient``: try again soon
    └── PermanentError             any other 4xx: a bad field, an unsupported request — a bug or
                                   an API change; the target is paused until someone looks

What the runner does with each: RateLimited moves the next poll to ``retry_after``; TransientError
counts a failure and backs off; AuthExpired pauses every target of the account; PermanentError
pauses the target; TargetGone finishes it.

Which answer is which error is data: each platform module declares an ``ErrorTable`` — where its
body keeps the code (``read``) and an ordered list of ``Rule`` s (statuses, codes, a condition the
sets cannot say, how long to wait) — and ``classify_http`` walks it. The first rule that matches
wins; an answer no rule matches is a ``PermanentError`` if it failed, a success otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
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


# --- classification -----------------------------------------------------------------------------

SERVER_ERRORS = range(500, 1000)  # every 5xx, and any non-standard status above it

# How long a rate limit asks to wait, from the answer's headers and the time it came.
Wait = Callable[[Mapping[str, str], datetime], float | None]


@dataclass(frozen=True)
class Failure:
    """What an answer's body says went wrong, as the platform module reads it.

    ``detail`` keeps whatever else a rule asks about (a Facebook subcode, an ``is_transient`` flag).
    """

    code: str | int | None
    message: str
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """One line of a platform's table: the answers it matches and the error they become.

    A rule matches when the status is in ``statuses``, the body's code is in ``codes``, or ``when``
    holds for the body's failure. ``text`` is the message when the body names no failure
    (``{status}`` is filled in); ``describe`` words it from the failure when the message alone is
    not enough; ``wait`` says how long a ``RateLimited`` should wait.
    """

    error: type[CollectorError]
    statuses: Collection[int] = ()
    codes: Collection[str | int] = ()
    when: Callable[[Failure], bool] | None = None
    wait: Wait | None = None
    text: str = "HTTP {status}"
    describe: Callable[[Failure], str] | None = None

    def matches(self, status: int, failure: Failure | None) -> bool:
        if status in self.statuses:
            return True
        if failure is None:
            return False
        return failure.code in self.codes or (self.when is not None and self.when(failure))


@dataclass(frozen=True)
class ErrorTable:
    """A platform's classification: where its body keeps the failure, and the rules in order.

    ``read(status, body)`` returns the body's failure, or None when the body names none (a
    success, or an error the status alone describes).
    """

    platform: str
    read: Callable[[int, Any], Failure | None]
    rules: tuple[Rule, ...]

    def rule_for(self, status: int, failure: Failure | None) -> Rule | None:
        return next((rule for rule in self.rules if rule.matches(status, failure)), None)


# What an answer that failed and that no rule of its table matches becomes.
REFUSED = Rule(PermanentError, text="request refused")


def error_object(code_key: str) -> Callable[[int, Any], Failure | None]:
    """The reader of ``{"error": {code_key: …, "message": …}}`` bodies (Microsoft and Google APIs).

    Any 2xx or 3xx answer is a success, whatever its body.
    """

    def read(status: int, body: Any) -> Failure | None:
        if status < 400:
            return None
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        return Failure(error.get(code_key), str(error.get("message") or f"HTTP {status}"))

    return read


def classify_http(
    status: int,
    body: Any,
    headers: Mapping[str, str] | None,
    table: ErrorTable,
    *,
    now: datetime | None = None,
) -> CollectorError | None:
    """The classified error of one answer (``body`` already parsed), None for a success.

    ``now`` is when the answer came, for waits that run to a clock time (a daily quota reset).
    """
    failure = table.read(status, body)
    rule = table.rule_for(status, failure)
    if rule is None:
        if failure is None and status < 400:
            return None
        rule = REFUSED
    if failure is None:
        text = rule.text.format(status=status)
    else:
        text = rule.describe(failure) if rule.describe else failure.message
    kw: dict[str, Any] = {
        "platform": table.platform,
        "status": status,
        "code": failure.code if failure is not None else None,
    }
    if issubclass(rule.error, RateLimited):
        seconds = rule.wait(headers or {}, now or datetime.now(UTC)) if rule.wait else None
        return rule.error(text, retry_after=seconds, **kw)  # type: ignore[call-arg]
    return rule.error(text, **kw)


def wait_for(seconds: float) -> Wait:
    """A wait that is always ``seconds``, for platforms that never say how long."""
    return lambda headers, now: seconds


def retry_after_header(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds ``Retry-After`` asks: delay-seconds, an HTTP date or an ISO timestamp; else None.

    A number below zero waits nothing; a time in the past (clocks differ) waits one second.
    """
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    when = _parse_when(value)
    return None if when is None else max((when - now).total_seconds(), 1.0)


def _parse_when(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
