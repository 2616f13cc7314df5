"""One call's way through the fake: auth, throttling, faults, then the node or edge it names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.facebook.calls import Answer, Call
from sandbox.facebook.errors import THROTTLE_MESSAGES, GraphError, unsupported_request
from sandbox.facebook.fields import FieldSyntaxError, parse_fields
from sandbox.facebook.nodes import EDGES
from sandbox.facebook.tokens import TOKEN_PATHS

if TYPE_CHECKING:
    from sandbox.faults import Faults, UsageMeter
    from sandbox.scenario import Scenario

PAGED_EDGES = ("comments", "live_videos")


class RoutingMixin:
    """``call``: answers one ``Call``, whether it came over HTTP or in a batch."""

    scenario: Scenario
    faults: Faults
    app_usage: UsageMeter
    page_usage: UsageMeter

    def call(self, call: Call) -> Answer:
        """Auth, throttling, faults, then the read itself; every step may answer an error."""
        if call.path in TOKEN_PATHS:
            return self._token_call(call)  # type: ignore[attr-defined]  # TokensMixin
        try:
            self._authenticate(call.token)
            self._throttle(call.t)
            ids = [i for i in call.params.get("ids", "").split(",") if i] if not call.path else []
            weight = max(1, len(ids))
            self.app_usage.record(call.t, weight)
            self.page_usage.record(call.t, weight)
            segments = call.path.split("/") if call.path else []
            paged = len(segments) == 2 and segments[1] in PAGED_EDGES
            call.fault = self.faults.take("facebook", paged)
            early = self._apply_fault(call)
            if early is not None:
                return early
            answer = Answer(200, self._route(call, segments, ids))
        except GraphError as error:
            return Answer.from_error(error)
        except FieldSyntaxError as error:
            return Answer.from_error(GraphError(100, str(error)))
        if call.fault is not None and call.fault.kind == "malformed_json":
            answer.malformed = True
        if call.fault is not None and call.fault.kind == "timeout":
            answer.delay = float(call.fault.opt("seconds", 2.0))
        return answer

    def _apply_fault(self, call: Call) -> Answer | None:
        fault = call.fault
        if fault is None:
            return None
        kind = fault.kind
        if kind == "rate_limit":
            code = int(fault.opt("code", 4))
            answer = Answer.from_error(GraphError(code, THROTTLE_MESSAGES[code], transient=True))
            page_level = code in (32, 80001)
            answer.usage_override = (
                {"page": 100, "minutes": int(fault.opt("minutes", 5))}
                if page_level
                else {"app": 100}
            )
            return answer
        if kind == "server_error":
            if int(fault.opt("status", 500)) == 503:
                message = "An unexpected error has occurred. Please retry your request later."
                return Answer.from_error(GraphError(2, message, status=503, transient=True))
            return Answer.from_error(GraphError(1, "An unknown error has occurred.", status=500))
        if kind == "token_expired":
            self.expire_token()
            self._authenticate(call.token)
        if kind == "timeout" and call.in_batch:
            return Answer(200, None)
        if kind == "end_live":
            self.scenario.end_live("facebook", call.t)
        if kind == "usage_near_limit":
            percent = int(fault.opt("percent", 95))
            target = fault.opt("target", "both")
            if target in ("app", "both"):
                self.app_usage.fill(call.t, percent)
            if target in ("page", "both"):
                self.page_usage.fill(call.t, percent)
        return None

    def _route(self, call: Call, segments: list[str], ids: list[str]) -> Any:
        if call.method != "GET":
            raise unsupported_request(call.method.lower(), call.path)
        specs = parse_fields(call.params["fields"]) if call.params.get("fields") else None
        if not segments:
            if not ids:
                raise GraphError(100, "(#100) Missing 'ids' parameter")
            owners = {i: self._owner(i, call.t) for i in ids}
            missing = [i for i, owner in owners.items() if owner is None]
            if missing:
                message = (
                    f"(#803) Some of the aliases you requested do not exist: {','.join(missing)}"
                )
                raise GraphError(803, message, status=404)
            return {i: o[0]._render(o[1], specs, call) for i, o in owners.items() if o}
        if len(segments) > 2:
            raise GraphError(2500, f"Unknown path components: /{'/'.join(segments[2:])}")
        owner = self._owner(segments[0], call.t)
        if owner is None:
            raise unsupported_request("get", segments[0])
        if owner[0] is not self:  # the page's scheduled live (``scheduled``)
            return owner[0]._route(call, segments, ids)
        node = owner[1]
        if len(segments) == 1:
            return self._render(node, specs, call)
        edge = segments[1]
        if edge not in EDGES[node.type]:
            raise GraphError(2500, f"Unknown path components: /{edge}")
        params = {k: v for k, v in call.params.items() if k not in ("access_token", "fields")}
        return self._edge(node, edge, params, specs, call, fault=call.fault)
