"""Graph API plumbing shared by the Facebook collectors: error codes, usage headers, times.

Error codes (platform-apis.md §1.12, §1.13): 4, 17, 32, 341, 613, 80001 → RateLimited; 190
(subcodes 458, 460, 463, 467…) and 102 → AuthExpired; 10 and 200–299 (missing permission) →
AuthExpired; 1, 2 or ``is_transient`` → TransientError; 100 with subcode 33 (object does not
exist) → TargetGone. Usage headers: ``X-App-Usage`` and ``X-Business-Use-Case-Usage``, in percent
of the hourly allowance, with ``estimated_time_to_regain_access`` in minutes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import requests

from collectors.base import TargetSpec
from collectors.errors import (
    AuthExpired,
    CollectorError,
    PermanentError,
    RateLimited,
    TargetGone,
    TransientError,
)
from collectors.http import ApiClient, access_token, bearer_headers

PLATFORM = "facebook"
RATE_LIMIT_CODES = {4, 17, 32, 341, 613, 80001}
AUTH_CODES = {190, 102, 10}
TRANSIENT_CODES = {1, 2}
DEFAULT_RATE_LIMIT_WAIT = 300.0  # seconds, when Meta does not say how long


def graph_error(
    status: int, body: Any, headers: Mapping[str, str] | None = None
) -> CollectorError | None:
    """The classified error of one Graph answer (or batch item), None for a success."""
    error = body.get("error") if isinstance(body, dict) else None
    if error is None:
        if status >= 500:
            return TransientError("server error", platform=PLATFORM, status=status)
        if status >= 400:
            return PermanentError("request refused", platform=PLATFORM, status=status)
        return None
    code = error.get("code")
    subcode = error.get("error_subcode")
    message = str(error.get("message", "Graph API error"))
    kw: dict[str, Any] = {"platform": PLATFORM, "status": status, "code": code}
    if code in RATE_LIMIT_CODES:
        wait = usage_from_headers(headers or {}).get("regain_seconds") or DEFAULT_RATE_LIMIT_WAIT
        return RateLimited(message, retry_after=float(wait), **kw)
    if code in AUTH_CODES or (isinstance(code, int) and 200 <= code <= 299):
        return AuthExpired(message + (f" [subcode {subcode}]" if subcode else ""), **kw)
    if code in TRANSIENT_CODES or error.get("is_transient") or status >= 500:
        return TransientError(message, **kw)
    if code == 100 and subcode == 33:
        return TargetGone(message, **kw)
    return PermanentError(message, **kw)


def classify(response: requests.Response, body: Any) -> CollectorError | None:
    if body is None and response.ok:
        return None  # the client reports the broken body
    return graph_error(response.status_code, body, response.headers)


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
    return ApiClient(session, base_url, classify, platform=PLATFORM, **kw)
