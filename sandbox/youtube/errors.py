"""``GoogleError``: the Google JSON error envelope, the quota and rate-limit errors, and
the parameter checks that answer with it."""

from __future__ import annotations

from typing import Any

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


class GoogleError(Exception):
    """The Google JSON error envelope."""

    def __init__(
        self, status: int, reason: str, message: str, domain: str = "global", **extra: str
    ) -> None:
        super().__init__(message)
        self.status, self.reason, self.message, self.domain, self.extra = (
            status,
            reason,
            message,
            domain,
            extra,
        )

    def body(self) -> dict[str, Any]:
        detail = {"message": self.message, "domain": self.domain, "reason": self.reason}
        detail.update(self.extra)
        return {
            "error": {
                "code": self.status,
                "message": self.message,
                "errors": [detail],
                "status": STATUS_NAMES.get(self.status, "UNKNOWN"),
            }
        }


def quota_exceeded() -> GoogleError:
    return GoogleError(
        403,
        "quotaExceeded",
        "The request cannot be completed because you have exceeded your "
        '<a href="/youtube/v3/getting-started#quota">quota</a>.',
        "youtube.quota",
    )


def rate_limit_exceeded() -> GoogleError:
    return GoogleError(
        403,
        "rateLimitExceeded",
        "The request was sent too soon after the previous one. This API call is rate limited "
        "to prevent clients from making requests too quickly.",
        "youtube.liveChat",
    )


def required_param(params: dict[str, str], name: str) -> str:
    """The value of a required query parameter; 400 ``required`` when it is missing or empty."""
    value = params.get(name)
    if not value:
        raise GoogleError(
            400,
            "required",
            f"Required parameter: {name}",
            location=name,
            locationType="parameter",
        )
    return value


def requested_parts(params: dict[str, str], allowed: frozenset[str]) -> set[str]:
    """The ``part=`` list; 400 ``unknownPart`` for a part this method does not have."""
    parts = {p.strip() for p in required_param(params, "part").split(",") if p.strip()}
    for part in parts - allowed:
        raise GoogleError(
            400, "unknownPart", f"'{part}'", location="part", locationType="parameter"
        )
    return parts


def int_in_range(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer parameter (``maxResults``); 400 ``invalidValue`` outside [low, high]."""
    raw = params.get(name, str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise GoogleError(
            400,
            "invalidValue",
            f"Invalid value '{raw}'. Values must be within the range: [{low}, {high}]",
            location=name,
            locationType="parameter",
        )
    return int(raw)


def one_of(params: dict[str, str], name: str, allowed: tuple[str, ...]) -> str:
    """An enumerated parameter (``order``, ``textFormat``); the first allowed value by default,
    400 ``invalidValue`` for any other."""
    value = params.get(name, allowed[0])
    if value not in allowed:
        raise GoogleError(
            400,
            "invalidValue",
            f"Invalid value '{value}'. Expected one of: {', '.join(allowed)}",
            location=name,
            locationType="parameter",
        )
    return value
