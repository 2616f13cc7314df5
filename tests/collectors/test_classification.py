"""The error tables: each platform code lands in the right class of the taxonomy.

Facebook: 4, 17, 32, 613, 80001 throttle; 190 with subcodes 458, 460, 463, 467 means the token is
dead; 1 and 2 are temporary. YouTube: quotaExceeded waits for the Pacific-time reset,
rateLimitExceeded a few seconds, liveChatEnded ends the chat. A fatal code must never be swallowed
as transient (a guardrail, as in Airbyte's Zoom tests).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from collectors import facebook, youtube
from collectors.errors import (
    AuthExpired,
    PermanentError,
    RateLimited,
    TargetGone,
    TransientError,
    classify_http,
)


def graph(code: int, subcode: int | None = None, **extra: object) -> dict:
    error = {"message": "x", "type": "OAuthException", "code": code, "fbtrace_id": "A"}
    if subcode is not None:
        error["error_subcode"] = subcode
    error.update(extra)
    return {"error": error}


@pytest.mark.parametrize(
    ("code", "subcode", "expected"),
    [
        (4, None, RateLimited),
        (17, None, RateLimited),
        (32, None, RateLimited),
        (613, 1996, RateLimited),
        (80001, None, RateLimited),
        (190, 458, AuthExpired),
        (190, 460, AuthExpired),
        (190, 463, AuthExpired),
        (190, 467, AuthExpired),
        (102, None, AuthExpired),
        (200, None, AuthExpired),
        (1, None, TransientError),
        (2, None, TransientError),
        (100, 33, TargetGone),
        (100, None, PermanentError),
    ],
)
def test_graph_codes(code: int, subcode: int | None, expected: type) -> None:
    error = classify_http(400, graph(code, subcode), {}, facebook.ERROR_TABLE)
    assert type(error) is expected
    assert error.code == code


def test_graph_transient_flag_and_5xx() -> None:
    transient = classify_http(400, graph(999, is_transient=True), {}, facebook.ERROR_TABLE)
    assert isinstance(transient, TransientError)
    assert isinstance(
        classify_http(503, {"no": "error key"}, {}, facebook.ERROR_TABLE), TransientError
    )
    assert classify_http(200, {"id": "1"}, {}, facebook.ERROR_TABLE) is None


def test_throttle_waits_as_long_as_meta_says() -> None:
    usage = {"123": [{"type": "pages", "call_count": 100, "total_cputime": 20, "total_time": 20,
                      "estimated_time_to_regain_access": 7}]}  # fmt: skip
    headers = {"X-Business-Use-Case-Usage": json.dumps(usage)}
    error = classify_http(400, graph(80001), headers, facebook.ERROR_TABLE)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 7 * 60


def test_usage_headers_report_the_highest_percentage() -> None:
    headers = {
        "X-App-Usage": json.dumps({"call_count": 28, "total_cputime": 61, "total_time": 25}),
        "X-Business-Use-Case-Usage": json.dumps(
            {
                "9": [
                    {
                        "type": "pages",
                        "call_count": 45,
                        "total_cputime": 2,
                        "total_time": 3,
                        "estimated_time_to_regain_access": 0,
                    }
                ]
            }  # fmt: skip
        ),
    }
    assert facebook.usage_from_headers(headers) == {"usage_pct": 61, "regain_seconds": 0}
    assert facebook.usage_from_headers({"X-App-Usage": "not json"}) == {}


def google(status: int, reason: str) -> tuple[int, dict]:
    return status, {"error": {"code": status, "message": reason, "errors": [{"reason": reason}]}}


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        (403, "quotaExceeded", RateLimited),
        (403, "rateLimitExceeded", RateLimited),
        (403, "liveChatEnded", TargetGone),
        (404, "liveChatNotFound", TargetGone),
        (403, "liveChatDisabled", TargetGone),
        (401, "authError", AuthExpired),
        (403, "forbidden", AuthExpired),
        (404, "videoNotFound", TargetGone),
        (500, "backendError", TransientError),
        (400, "invalidPageToken", PermanentError),
    ],
)
def test_google_reasons(status: int, reason: str, expected: type) -> None:
    code, body = google(status, reason)
    assert type(classify_http(code, body, {}, youtube.ERROR_TABLE)) is expected


def test_quota_waits_until_midnight_pacific() -> None:
    noon_utc = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # 04:00 in Los Angeles (PST)
    error = classify_http(*google(403, "quotaExceeded"), {}, youtube.ERROR_TABLE, now=noon_utc)
    assert error.retry_after == 20 * 3600


@pytest.mark.parametrize("code", [190, 102, 200])
def test_fatal_codes_are_never_transient(code: int) -> None:
    """Guardrail: a dead token retried forever would hide that a human must act."""
    assert not isinstance(classify_http(400, graph(code), {}, facebook.ERROR_TABLE), TransientError)
