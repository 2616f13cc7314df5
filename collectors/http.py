"""The HTTP seam: a ``requests.Session`` with timeouts and urllib3 retries; classified errors.

Idempotent GETs are retried a few times inside one request on connection errors, read timeouts and
5xx answers (urllib3 ``Retry`` with short jittered back-off). Everything else — rate limits above
all — is classified by the platform's ``ErrorTable`` and raised, never slept on: the runner
decides when to come back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from collectors.errors import AuthExpired, ErrorTable, TransientError, classify_http

DEFAULT_TIMEOUT = (3.05, 15.0)  # connect, read (seconds)
RETRY_STATUSES = (500, 502, 503, 504)


def make_session(
    *, retries: int = 2, backoff: float = 0.3, pool_size: int = 20, user_agent: str = "LanToa/1.0"
) -> requests.Session:
    """A session whose GETs retry transient failures; POSTs (Graph batch) are never retried here."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        backoff_jitter=backoff / 2 if backoff else 0.0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=False,  # a rate limit is the runner's business, not a sleep
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_connections=pool_size, pool_maxsize=pool_size)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session


@dataclass
class Reply:
    """A successful answer: the parsed body and the headers (usage headers live there)."""

    body: Any
    headers: Mapping[str, str]
    status: int


class ApiClient:
    """Sends requests to one platform's base URL and raises classified errors."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        errors: ErrorTable,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.errors = errors
        self.platform = errors.platform
        self.timeout = timeout
        self.calls = 0

    def url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return f"{self.base_url}/{path_or_url.lstrip('/')}"

    def get(self, path: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Reply:
        return self.request("GET", path, params=params, **kw)

    def post(self, path: str, data: Mapping[str, Any] | None = None, **kw: Any) -> Reply:
        return self.request("POST", path, data=data, **kw)

    def request(self, method: str, path: str, **kw: Any) -> Reply:
        self.calls += 1
        try:
            response = self.session.request(method, self.url(path), timeout=self.timeout, **kw)
        except requests.RequestException as exc:
            raise TransientError(
                f"no answer: {type(exc).__name__}", platform=self.platform
            ) from exc
        body = parse_json(response)
        error = classify_http(response.status_code, body, response.headers, self.errors)
        if error is not None:
            raise error
        if body is None:
            raise TransientError(
                "answer is not valid JSON", platform=self.platform, status=response.status_code
            )
        return Reply(body, response.headers, response.status_code)


def access_token(credentials: Mapping[str, Any], platform: str) -> str:
    """The account's OAuth token; without one a human must (re-)authorise the account."""
    token = credentials.get("access_token")
    if not token:
        raise AuthExpired("the account has no access_token", platform=platform)
    return str(token)


def bearer_headers(credentials: Mapping[str, Any], platform: str) -> dict[str, str]:
    """Tokens travel in a header, never in a query string that ends up in logs."""
    return {"Authorization": f"Bearer {access_token(credentials, platform)}"}


def parse_json(response: requests.Response) -> Any:
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return None
