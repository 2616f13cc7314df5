"""Every platform's error table, one row per rule, and the guardrail that fatal codes stay fatal.

Each platform module declares an ``ErrorTable`` that ``classify_http`` walks; the platform tests
pin the answers their fakes give. Here each rule of each table gets one answer that it, and not an
earlier rule, decides, so a rule that no answer reaches (shadowed, or mistyped) fails a test. The
guardrail: a code or status that a table calls fatal (AuthExpired, TargetGone, PermanentError) is
never classified transient nor swallowed as a success, since a dead token retried forever would
hide that a human must act.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from collectors import bbb, facebook, meet, teams, youtube, zalo, zoom
from collectors.errors import (
    AuthExpired,
    CollectorError,
    ErrorTable,
    PermanentError,
    RateLimited,
    TargetGone,
    TransientError,
    classify_http,
    retry_after_header,
)

NOW = datetime(2026, 12, 3, 22, 0, tzinfo=UTC)


def graph(code: int, **extra: object) -> dict:
    return {"error": {"message": "x", "code": code, **extra}}


def google(reason: str) -> dict:
    return {"error": {"code": 400, "message": "x", "errors": [{"reason": reason}]}}


def microsoft(code: str) -> dict:
    return {"error": {"code": code, "message": "x"}}


def google_status(name: str) -> dict:
    return {"error": {"status": name, "message": "x"}}


def failed(key: str) -> Any:
    xml = f"<response><returncode>FAILED</returncode><messageKey>{key}</messageKey></response>"
    return bbb.parse_xml(xml.encode())


def oa(code: int, message: str = "x") -> dict:
    return {"error": code, "message": message}


# (table, index of the rule that decides, status, body); None: no rule, the fall-back decides.
RULE_ROWS: list[tuple[ErrorTable, int | None, int, Any, type[CollectorError] | None]] = [
    (facebook.ERROR_TABLE, 0, 400, graph(613), RateLimited),
    (facebook.ERROR_TABLE, 1, 400, graph(190, error_subcode=463), AuthExpired),
    (facebook.ERROR_TABLE, 2, 500, graph(999), TransientError),
    (facebook.ERROR_TABLE, 3, 400, graph(100, error_subcode=33), TargetGone),
    (facebook.ERROR_TABLE, None, 400, graph(100), PermanentError),
    (facebook.ERROR_TABLE, None, 200, {"id": "1"}, None),
    (youtube.ERROR_TABLE, 0, 403, google("quotaExceeded"), RateLimited),
    (youtube.ERROR_TABLE, 1, 429, None, RateLimited),
    (youtube.ERROR_TABLE, 2, 403, google("liveChatEnded"), TargetGone),
    (youtube.ERROR_TABLE, 3, 403, google("commentsDisabled"), TargetGone),
    (youtube.ERROR_TABLE, 4, 403, google("insufficientPermissions"), AuthExpired),
    (youtube.ERROR_TABLE, 5, 404, None, TargetGone),
    (youtube.ERROR_TABLE, 6, 503, None, TransientError),
    (youtube.ERROR_TABLE, None, 400, google("invalidPageToken"), PermanentError),
    (youtube.ERROR_TABLE, None, 200, google("backendError"), None),
    (zoom.ERROR_TABLE, 0, 429, {"code": 429}, RateLimited),
    (zoom.ERROR_TABLE, 1, 400, {"code": 4711, "message": "no scope"}, AuthExpired),
    (zoom.ERROR_TABLE, 2, 400, {"code": 3001}, TargetGone),
    (zoom.ERROR_TABLE, 3, 502, None, TransientError),
    (zoom.ERROR_TABLE, None, 400, {"code": 300}, PermanentError),
    (zoom.ERROR_TABLE, None, 200, {"code": 124}, None),
    (teams.ERROR_TABLE, 0, 429, microsoft("TooManyRequests"), RateLimited),
    (teams.ERROR_TABLE, 1, 400, microsoft("InvalidAuthenticationToken"), AuthExpired),
    (teams.ERROR_TABLE, 2, 404, microsoft("NotFound"), TargetGone),
    (teams.ERROR_TABLE, 3, 503, None, TransientError),
    (teams.ERROR_TABLE, None, 400, microsoft("BadRequest"), PermanentError),
    (meet.ERROR_TABLE, 0, 400, google_status("RESOURCE_EXHAUSTED"), RateLimited),
    (meet.ERROR_TABLE, 1, 400, google_status("UNAUTHENTICATED"), AuthExpired),
    (meet.ERROR_TABLE, 2, 404, google_status("NOT_FOUND"), TargetGone),
    (meet.ERROR_TABLE, 3, 500, google_status("INTERNAL"), TransientError),
    (meet.ERROR_TABLE, None, 400, google_status("INVALID_ARGUMENT"), PermanentError),
    (bbb.ERROR_TABLE, 0, 429, None, RateLimited),
    (bbb.ERROR_TABLE, 1, 403, None, AuthExpired),
    (bbb.ERROR_TABLE, 2, 503, failed("checksumError"), TransientError),
    (bbb.ERROR_TABLE, 3, 200, failed("checksumError"), AuthExpired),
    (bbb.ERROR_TABLE, 4, 200, failed("invalidMeetingIdentifier"), TargetGone),
    (bbb.ERROR_TABLE, None, 200, failed("missingParamMeetingID"), PermanentError),
    (bbb.ERROR_TABLE, None, 404, None, PermanentError),
    (zalo.ERROR_TABLE, 0, 429, oa(-216), RateLimited),
    (zalo.ERROR_TABLE, 1, 502, None, TransientError),
    (zalo.ERROR_TABLE, 2, 200, oa(-201, "Invalid access token"), zalo.TokenRejected),
    (zalo.ERROR_TABLE, 3, 200, oa(-14014), AuthExpired),
    (zalo.ERROR_TABLE, 4, 200, oa(-5, "Quota exceeded"), RateLimited),
    (zalo.ERROR_TABLE, 5, 200, oa(-201, "Article not found"), TargetGone),
    (zalo.ERROR_TABLE, None, 200, oa(-201, "Invalid parameter"), PermanentError),
    (zalo.ERROR_TABLE, None, 200, oa(0, "Success"), None),
]


def _row_id(row: tuple) -> str:
    table, index = row[0], row[1]
    return f"{table.platform}-{'fallback' if index is None else index}-{row[2]}"


@pytest.mark.parametrize(
    ("table", "index", "status", "body", "expected"), RULE_ROWS, ids=map(_row_id, RULE_ROWS)
)
def test_each_rule_decides_its_answer(
    table: ErrorTable, index: int | None, status: int, body: Any, expected: type | None
) -> None:
    rule = table.rule_for(status, table.read(status, body))
    assert rule is (None if index is None else table.rules[index])
    error = classify_http(status, body, {}, table, now=NOW)
    assert (type(error) if error is not None else None) is expected
    if error is not None:
        assert error.platform == table.platform
        assert error.status == status


TABLES = [facebook, youtube, zoom, teams, meet, bbb, zalo]


@pytest.mark.parametrize("module", TABLES, ids=lambda m: m.ERROR_TABLE.platform)
def test_every_rule_has_a_row(module: Any) -> None:
    table = module.ERROR_TABLE
    covered = {index for t, index, *_ in RULE_ROWS if t is table and index is not None}
    assert covered == set(range(len(table.rules)))


# The status a platform reports its codes with, and how its body carries one code.
CODE_BODIES: dict[str, tuple[tuple[int, ...], Callable[[Any], Any]]] = {
    "facebook": ((400, 500), graph),
    "youtube": ((400, 500), google),
    "zoom": ((400, 500), lambda code: {"code": code, "message": "x"}),
    "teams": ((400, 500), microsoft),
    "meet": ((400, 500), google_status),
    "bbb": ((200,), failed),
    "zalo": ((200, 400), oa),
}
FATAL = (AuthExpired, TargetGone, PermanentError)


@pytest.mark.parametrize("module", TABLES, ids=lambda m: m.ERROR_TABLE.platform)
def test_fatal_codes_and_statuses_are_never_transient(module: Any) -> None:
    """Guardrail: what a table calls fatal stays fatal, whatever other rule it could meet."""
    table: ErrorTable = module.ERROR_TABLE
    statuses, body_of = CODE_BODIES[table.platform]
    fatal_rules = [rule for rule in table.rules if issubclass(rule.error, FATAL)]
    assert fatal_rules
    for rule in fatal_rules:
        for code in rule.codes:
            for status in statuses:
                error = classify_http(status, body_of(code), {}, table)
                assert isinstance(error, FATAL), (code, status, error)
        for status in rule.statuses:
            error = classify_http(status, None, {}, table)
            assert isinstance(error, FATAL), (status, error)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("30", 30.0),
        ("-5", 0.0),
        ("2026-12-04T00:00:00Z", 7200.0),
        ("Thu, 03 Dec 2026 23:00:00 GMT", 3600.0),
        ("2026-12-03T21:00:00Z", 1.0),  # already past: clocks differ, wait a second
        ("soon", None),
        ("", None),
    ],
)
def test_retry_after_header(value: str, seconds: float | None) -> None:
    assert retry_after_header({"Retry-After": value}, NOW) == seconds


def test_no_retry_after_header() -> None:
    assert retry_after_header({}, NOW) is None
