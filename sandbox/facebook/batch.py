"""Batch requests: ``POST /`` with ``batch=[{"method","relative_url"}, …]``."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from sandbox.facebook.calls import Answer, Call
from sandbox.facebook.errors import GraphError

if TYPE_CHECKING:
    from sandbox.facebook.settings import FacebookSettings
    from sandbox.loopback import RequestLog
    from sandbox.truth import GroundTruth


class BatchMixin:
    """Each batch item is logged and answered as its own ``Call``."""

    settings: FacebookSettings
    truth: GroundTruth
    log: RequestLog

    def _batch(
        self, params: dict[str, str], token: str | None, t: float, base: str, version: str
    ) -> Answer:
        """``POST /`` with ``batch=[{"method","relative_url"}, …]``."""
        try:
            self._authenticate(token)
            ops = json.loads(params.get("batch") or "null")
            if not isinstance(ops, list) or not all(isinstance(op, dict) for op in ops):
                raise GraphError(100, "(#100) The parameter batch must be a JSON array of objects")
            if not ops:
                raise GraphError(100, "(#100) The parameter batch is required")
            if len(ops) > self.settings.max_batch:
                raise GraphError(
                    100,
                    "(#100) Too many requests in batch message. Maximum batch size is "
                    f"{self.settings.max_batch}",
                )
        except GraphError as error:
            return Answer.from_error(error)
        except json.JSONDecodeError:
            return Answer.from_error(
                GraphError(100, "(#100) The parameter batch must be valid JSON")
            )
        include_headers = params.get("include_headers", "true") != "false"
        results: list[dict[str, Any] | None] = []
        for op in ops:
            results.append(self._batch_item(op, token, t, base, version, include_headers))
        return Answer(200, results)

    def _batch_item(
        self,
        op: dict[str, Any],
        token: str | None,
        t: float,
        base: str,
        version: str,
        include_headers: bool,
    ) -> dict[str, Any] | None:
        relative = str(op.get("relative_url", ""))
        split = urlsplit(relative)
        path = re.sub(r"^/?(v\d+\.\d+/)?", "", split.path).strip("/")
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        if isinstance(op.get("body"), str):
            params.update(parse_qsl(op["body"]))
        item_token = params.pop("access_token", None)
        method = str(op.get("method", "GET")).upper()
        self.log.add(
            platform="facebook",
            method=method,
            path=f"/facebook/{version}/{path}",
            params=params,
            headers={},
            t=t,
            batch_item=True,
        )
        served = self.truth.pending()
        answer = self.call(
            Call(
                method,
                path,
                params,
                item_token or token,
                bool(item_token),
                t,
                base,
                served,
                in_batch=True,
            )
        )
        if answer.body is None:
            return None
        body = json.dumps(answer.body)
        if answer.malformed:
            body = body[: max(1, len(body) // 2)]
        elif answer.intact:
            self.truth.commit(served)
        item: dict[str, Any] = {"code": answer.status}
        if include_headers:
            item["headers"] = [
                {"name": "Content-Type", "value": "application/json; charset=UTF-8"},
                {"name": "facebook-api-version", "value": self.settings.api_version},
            ]
        item["body"] = body
        return item
