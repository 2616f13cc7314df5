"""Graph API plumbing shared by the Facebook collectors: the error table, usage headers, times.

Error codes (``ERROR_TABLE``, in this order): 4, 17, 32, 341, 613, 80001 → RateLimited, waiting
what the usage headers ask; 190 (subcodes 458, 460, 463, 467…) and 102 → AuthExpired; 10 and
200–299 (missing permission) → AuthExpired; 1, 2, ``is_transient`` or a 5xx → TransientError; 100
with subcode 33 (object does not exist) → TargetGone; any other error → PermanentError. The code
lives in the ``error`` object of the body, also in HTTP 200 batch items. Usage headers:
``X-App-Usage`` and ``X-Business-Use-Case-Usage``, in percent of the hourly allowance, with
``estimated_time_to_regain_access`` in minutes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import requests

from collectors.base import TargetSpec
from collectors.errors import (
    SERVER_ERRORS,
    AuthExpired,
    ErrorTable,
    Failure,
    RateLimited,
    Rule,
    TargetGone,
    TransientError,
)
from collectors.http import ApiClient, access_token, bearer_headers

PLATFORM = "facebook"
RATE_LIMIT_CODES = {4, 17, 32, 341, 613, 80001}
AUTH_CODES = {190, 102, 10, *range(200, 300)}  # 200–299: a permission is missing
TRANSIENT_CODES = {1, 2}
DEFAULT_RATE_LIMIT_WAIT = 300.0  # seconds, when Meta does not say how long


def read_error(status: int, body: Any) -> Failure | None:
    """The ``error`` object of a Graph answer (or batch item); None when there is none."""
    error = body.get("error") if isinstance(body, dict) else None
    if error is None:
        return None
    message = str(error.get("message", "Graph API error"))
    return Failure(error.get("code"), message, error)


def regain_wait(headers: Mapping[str, str], now: datetime) -> float:
    """The wait Meta asks in its usage headers, else a default."""
    return float(usage_from_headers(headers).get("regain_seconds") or DEFAULT_RATE_LIMIT_WAIT)


def with_subcode(failure: Failure) -> str:
    """A token error's subcode tells whoever re-authorises what went wrong (expired, revoked…)."""
    subcode = failure.detail.get("error_subcode")
    return failure.message + (f" [subcode {subcode}]" if subcode else "")


ERROR_TABLE = ErrorTable(
    PLATFORM,
    read_error,
    (
        Rule(RateLimited, codes=RATE_LIMIT_CODES, wait=regain_wait),
        Rule(AuthExpired, codes=AUTH_CODES, describe=with_subcode),
        Rule(
            TransientError,
            statuses=SERVER_ERRORS,
            codes=TRANSIENT_CODES,
            when=lambda failure: bool(failure.detail.get("is_transient")),
            text="server error",
        ),
        Rule(
            TargetGone,  # code 100, subcode 33: the object does not exist
            when=lambda failure: failure.code == 100 and failure.detail.get("error_subcode") == 33,
        ),
    ),
)


def usage_from_headers(headers: Mapping[str, str]) -> dict[str, Any]:
    """Highest percentage in X-App-Usage / X-Business-Use-Case-Usage, and the wait Meta asks."""
    highest, regain = 0, 0
    app = _json_header(headers.get("X-App-Usage"))
    if isinstance(app, dict):
        highest = max(
            [highest, *(to_int(app.get(k)) for k in ("call_count", "total_cputime", "total_time"))]
        )
    business = _json_header(headers.get("X-Business-Use-Case-Usage"))
    if isinstance(business, dict):
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                highest = max(
                    [
                        highest,
                        *(
                            to_int(entry.get(k))
                            for k in ("call_count", "total_cputime", "total_time")
                        ),
                    ]
                )
                regain = max(regain, to_int(entry.get("estimated_time_to_regain_access")) * 60)
    if not app and not business:
        return {}
    return {"usage_pct": highest, "regain_seconds": regain}


def _json_header(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def to_int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")


def next_page(payload: Mapping[str, Any]) -> str | None:
    paging = payload.get("paging") or {}
    return paging.get("next") or None


def bearer(target: TargetSpec) -> dict[str, str]:
    return bearer_headers(target.credentials, PLATFORM)


def token(target: TargetSpec) -> str:
    return access_token(target.credentials, PLATFORM)


def make_client(session: requests.Session, base_url: str, **kw: Any) -> ApiClient:
    return ApiClient(session, base_url, ERROR_TABLE, **kw)
