"""Fake Zalo Official Account API: articles with views and shares, and OAuth.

Routes (the blueprint is mounted under ``/zalo``; the OA host and the OAuth host of real life are
two prefixes of one server):

=================================================  =============================================
``GET  openapi/v2.0/article/getdetail?id=``        one article: ``total_view``, ``total_share``,
                                                   ``create_date`` in epoch milliseconds
``GET  openapi/v2.0/article/getslice``             ``offset``/``limit`` (≤ 10, else -201),
                                                   ``type`` normal|video → ``data{total,medias}``
``POST oauth/v4/oa/access_token``                  form ``app_id``, ``grant_type=refresh_token``,
                                                   ``refresh_token``; header ``secret_key``
=================================================  =============================================

As Zalo does, every answer is HTTP 200, failures carry a negative ``error``: -216 for an
unknown or expired access token (``access_token`` header only, never the query), -14014 for an
unknown or **already used** refresh token (single-use), -14002 for a wrong app id or
secret, -201 for a bad parameter, -32 when a ``rate_limit`` fault is queued. Access tokens live
``token_ttl`` seconds of sandbox time; ``expires_in`` is a string, as in Zalo's fixtures. Faults:
``token_expired``, ``rate_limit``, ``server_error`` (HTTP 500), ``error`` (opts ``code``,
``message``). Serve it with ``loopback.KeepUnderscoreHeaders`` (the Sandbox and
``LoopbackServer`` do): werkzeug's server drops the ``access_token`` and ``secret_key`` headers
otherwise.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, Response, request

from sandbox.clock import Clock
from sandbox.loopback import UNDERSCORE_HEADERS, FaultQueue, RequestLog

FAULTS = ("token_expired", "rate_limit", "server_error", "error")
DEFAULT_EPOCH = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _header(name: str) -> str | None:
    kept = request.environ.get(UNDERSCORE_HEADERS) or {}
    return kept.get(name) or request.headers.get(name)


@dataclass
class ZaloSettings:
    app_id: str = "4318500000000000001"
    secret_key: str = "zalo-sandbox-secret"
    token_ttl: int = 90000  # 25 h
    max_slice: int = 10  # getslice's observed cap


@dataclass
class Article:
    id: str
    title: str
    created: float  # sandbox seconds
    total_view: int = 0
    total_share: int = 0
    type: str = "normal"
    status: str = "show"


class ZaloError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class ZaloFake:
    """Tokens (access → expiry, live and spent refresh tokens), articles, faults, request log."""

    def __init__(
        self,
        clock: Clock,
        settings: ZaloSettings | None = None,
        epoch: datetime = DEFAULT_EPOCH,
    ) -> None:
        self.clock = clock
        self.settings = settings or ZaloSettings()
        self.epoch = epoch
        self.faults = FaultQueue(FAULTS)
        self.log = RequestLog()
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._access: dict[str, float] = {}  # token → expiry (sandbox seconds)
            self._refresh: set[str] = set()
            self.spent: set[str] = set()
            self.articles: dict[str, Article] = {}
            self._serial = itertools.count(1)
            self.refreshes = 0
        self.faults.clear()
        self.log.clear()
        self.access_token, self.refresh_token = self.issue()

    # --- control ----------------------------------------------------------------------------

    def issue(self) -> tuple[str, str]:
        """A fresh token pair, as after the OA admin's consent."""
        with self._lock:
            n = next(self._serial)
            access, refresh = f"zalo-at-{n:04d}", f"zalo-rt-{n:04d}"
            self._access[access] = self.clock.now() + self.settings.token_ttl
            self._refresh.add(refresh)
        return access, refresh

    def credentials(self) -> dict[str, str]:
        """What an account registered for this OA holds (the pair issued last by ``issue``)."""
        s = self.settings
        return {
            "app_id": s.app_id,
            "secret_key": s.secret_key,
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
        }

    def expire_tokens(self) -> None:
        """Every access token dies now (refresh tokens stay valid)."""
        with self._lock:
            self._access.clear()

    def seed_article(
        self,
        article_id: str,
        *,
        created: float = 0.0,
        total_view: int = 0,
        total_share: int = 0,
        title: str = "",
        type: str = "normal",  # noqa: A002 - Zalo's own field name
    ) -> Article:
        article = Article(
            article_id, title or f"Bài viết {article_id}", created, total_view, total_share, type
        )
        with self._lock:
            self.articles[article_id] = article
        return article

    def fail_next(self, kind: str, times: int = 1, **opts: Any) -> None:
        self.faults.fail_next(kind, times, **opts)

    # --- HTTP -------------------------------------------------------------------------------

    def blueprint(self, name: str = "sandbox_zalo") -> Blueprint:
        bp = Blueprint(name, __name__)
        bp.add_url_rule("/oauth/v4/oa/access_token", "token", self._token, methods=["POST"])
        bp.add_url_rule(
            "/openapi/v2.0/article/getdetail", "detail", lambda: self._serve(self._detail)
        )
        bp.add_url_rule("/openapi/v2.0/article/getslice", "slice", lambda: self._serve(self._slice))
        return bp

    def _record(self) -> None:
        self.log.add(
            method=request.method,
            path=request.path,
            params={**request.args.to_dict(), **request.form.to_dict()},
            headers={**dict(request.headers), **(request.environ.get(UNDERSCORE_HEADERS) or {})},
            t=self.clock.now(),
        )

    def _serve(self, handler: Any) -> Response:
        self._record()
        fault = self.faults.take()
        try:
            if fault is not None and fault.kind == "server_error":
                return Response("Internal Server Error", status=500)
            if fault is not None and fault.kind == "token_expired":
                self.expire_tokens()
            self._authenticate(_header("access_token"))
            if fault is not None and fault.kind == "rate_limit":
                raise ZaloError(-32, "The request exceeded the rate limit")
            if fault is not None and fault.kind == "error":
                raise ZaloError(int(fault.opt("code", -201)), str(fault.opt("message", "error")))
            data = handler()
        except ZaloError as error:
            return _json({"error": error.code, "message": error.message})
        return _json({"error": 0, "message": "Success", "data": data})

    def _authenticate(self, token: str | None) -> None:
        with self._lock:
            expiry = self._access.get(token or "")
        if expiry is None or self.clock.now() >= expiry:
            raise ZaloError(-216, "Access token is invalid")

    def _token(self) -> Response:
        self._record()
        form, s = request.form, self.settings
        if form.get("app_id") != s.app_id or _header("secret_key") != s.secret_key:
            return _json({"error": -14002, "message": "Invalid app id or secret key"})
        if form.get("grant_type") != "refresh_token":
            return _json({"error": -14003, "message": "Unsupported grant type"})
        old = form.get("refresh_token", "")
        with self._lock:
            valid = old in self._refresh
            if valid:
                self._refresh.discard(old)  # single-use: spent by this answer
                self.spent.add(old)
                self.refreshes += 1
        if not valid:
            return _json({"error": -14014, "message": "Invalid refresh token"})
        access, refresh = self.issue()
        self.access_token, self.refresh_token = access, refresh
        return _json(
            {
                "access_token": access,
                "refresh_token": refresh,
                "expires_in": str(s.token_ttl),  # a string, as in Zalo's fixtures
            }
        )

    def _detail(self) -> dict[str, Any]:
        article = self.articles.get(request.args.get("id", ""))
        if article is None or article.created > self.clock.now():
            raise ZaloError(-201, "Article does not exist")
        return {**self._media(article), "related_medias": []}

    def _slice(self) -> dict[str, Any]:
        try:
            offset = int(request.args.get("offset", 0))
            limit = int(request.args.get("limit", 10))
        except ValueError as exc:
            raise ZaloError(-201, "Invalid parameter: offset and limit are numbers") from exc
        if limit > self.settings.max_slice or limit < 1 or offset < 0:
            raise ZaloError(-201, f"Invalid parameter: maximum limit is {self.settings.max_slice}")
        kind = request.args.get("type", "normal")
        now = self.clock.now()
        shown = sorted(
            (a for a in self.articles.values() if a.type == kind and a.created <= now),
            key=lambda a: -a.created,
        )
        return {
            "total": len(shown),
            "medias": [self._media(a) for a in shown[offset : offset + limit]],
        }

    def _media(self, article: Article) -> dict[str, Any]:
        created_ms = int((self.epoch.timestamp() + article.created) * 1000)
        return {
            "id": article.id,
            "type": article.type,
            "title": article.title,
            "status": article.status,
            "thumb": f"https://zalo.example/thumb/{article.id}.jpg",
            "create_date": created_ms,
            "update_date": created_ms,
            "total_view": article.total_view,
            "total_share": article.total_share,
            "link_view": f"https://zalo.me/article/{article.id}",
        }


def _json(body: Any) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=200, mimetype="application/json")


def create_app(fake: ZaloFake, prefix: str = "/zalo") -> Flask:
    """A WSGI app serving only this fake (tests); the Sandbox mounts ``fake.blueprint()``."""
    app = Flask(__name__)
    app.register_blueprint(fake.blueprint(), url_prefix=prefix)
    return app
