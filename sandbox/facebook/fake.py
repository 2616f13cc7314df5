"""``FacebookFake``: the fake Graph API's state and its Flask blueprint; the calls themselves are
answered by the mixins it is built from."""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from flask import Blueprint, Response, request

from sandbox.broadcast import BroadcastFake
from sandbox.facebook.auth import AuthMixin, bearer_token
from sandbox.facebook.batch import BatchMixin
from sandbox.facebook.calls import Answer, Call
from sandbox.facebook.comments import CommentsMixin
from sandbox.facebook.edges import EdgesMixin
from sandbox.facebook.errors import GraphError
from sandbox.facebook.insights import InsightsMixin
from sandbox.facebook.nodes import NodesMixin
from sandbox.facebook.paging import PagingMixin
from sandbox.facebook.posts import PostsMixin
from sandbox.facebook.routing import RoutingMixin
from sandbox.facebook.scheduled import ScheduledMixin
from sandbox.facebook.settings import FacebookSettings
from sandbox.facebook.tokens import TokensMixin
from sandbox.facebook.usage import UsageMixin
from sandbox.faults import UsageMeter

if TYPE_CHECKING:
    from sandbox.broadcast import Broadcast

VERSION = re.compile(r"^v\d+\.\d+$")


class FacebookFake(
    BroadcastFake,
    AuthMixin,
    TokensMixin,
    UsageMixin,
    RoutingMixin,
    NodesMixin,
    EdgesMixin,
    CommentsMixin,
    PagingMixin,
    InsightsMixin,
    BatchMixin,
    PostsMixin,
    ScheduledMixin,
):
    """The Graph API of the scenario's Page; state lives here, requests come through Flask."""

    def __init__(self, broadcast: Broadcast, settings: FacebookSettings | None = None) -> None:
        super().__init__(broadcast)
        self.settings = settings or FacebookSettings()
        self.app_usage = UsageMeter(self.settings.app_calls_per_hour)
        self.page_usage = UsageMeter(self.settings.page_calls_per_hour)
        self._lock = threading.Lock()
        scheduled = broadcast.scenario.scheduled
        self.scheduled = (
            FacebookFake(replace(broadcast, scenario=scheduled), self.settings)
            if scheduled is not None
            else None
        )
        self.reset()

    # --- state ------------------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.token = self.settings.page_token
            self._retired: set[str] = set()
            self._expired = False
            self._renewals = 0
            self._continued_pages = 0
            self._cursor_serial = 0
            self._reset_posts()
        self.app_usage.reset()
        self.page_usage.reset()

    # --- HTTP -------------------------------------------------------------------------------

    def blueprint(self) -> Blueprint:
        bp = Blueprint("sandbox_facebook", __name__, url_prefix="/facebook")
        methods = ["GET", "POST", "DELETE"]
        bp.add_url_rule(
            "/<version>",
            defaults={"path": ""},
            view_func=self._http,
            methods=methods,
            strict_slashes=False,
        )
        bp.add_url_rule("/<version>/<path:path>", view_func=self._http, methods=methods)
        return bp

    def _http(self, version: str, path: str) -> Response:
        t = self.clock.now()
        params = {**request.args.to_dict(), **request.form.to_dict()}
        self.log.add(
            platform="facebook",
            method=request.method,
            path=request.path,
            params=params,
            headers=dict(request.headers),
            t=t,
            batch_item=False,
        )
        base = f"{request.host_url.rstrip('/')}/facebook/{version}"
        query_token = request.args.get("access_token") or request.form.get("access_token")
        token = query_token or bearer_token(request.headers.get("Authorization"))
        if not VERSION.match(version):
            answer = Answer.from_error(GraphError(2500, f"Unknown path components: /{version}"))
        elif request.method == "POST" and not path.strip("/"):
            answer = self._batch(params, token, t, base, version)
        else:
            served = self.truth.pending()
            call = Call(
                request.method, path.strip("/"), params, token, bool(query_token), t, base, served
            )
            answer = self.call(call)
            if answer.intact:
                self.truth.commit(served)
        if answer.delay:
            time.sleep(answer.delay)
        text = json.dumps(answer.body)
        if answer.malformed:
            text = text[: max(1, len(text) // 2)]
        response = Response(text, status=answer.status, mimetype="application/json")
        response.headers["facebook-api-version"] = self.settings.api_version
        response.headers["x-fb-trace-id"] = secrets.token_urlsafe(8)
        response.headers.update(self._usage_headers(t, answer.usage_override))
        return response
