"""The ``/{id}/comments`` edge: filter, order, since/until and summary, paged by cursor."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sandbox.facebook.edges import edge_summary
from sandbox.facebook.errors import GraphError
from sandbox.facebook.fields import FieldSpec, parse_fields
from sandbox.facebook.nodes import DEFAULT_FIELDS, Node

if TYPE_CHECKING:
    from sandbox.facebook.calls import Call
    from sandbox.faults import Fault
    from sandbox.scenario import Scenario


class CommentsMixin:
    """The comments edge of a live, video, post or comment."""

    scenario: Scenario

    def _comments(
        self,
        node: Node,
        params: dict[str, str],
        children: tuple[FieldSpec, ...] | None,
        call: Call,
        fault: Fault | None,
    ) -> dict[str, Any]:
        flt = params.get("filter", "toplevel")
        order = params.get("order", "chronological")
        if flt not in ("toplevel", "stream"):
            raise GraphError(
                100, "(#100) filter must be one of the following values: toplevel, stream"
            )
        if order not in ("chronological", "reverse_chronological", "ranked"):
            raise GraphError(
                100,
                "(#100) order must be one of the following values: chronological, "
                "reverse_chronological, ranked",
            )
        if node.post is not None:
            visible = node.post.visible_comments(call.t)
        else:
            visible = [] if node.past else self.scenario.visible_comments(call.t)
        if node.type == "Comment":
            items = [c for c in visible if c.parent_id == node.id]
        else:
            items = [c for c in visible if flt == "stream" or c.parent_id is None]
        total = len(items)
        if "since" in params:
            since = self.scenario.seconds_at(_parse_time(params["since"], "since"))
            items = [c for c in items if c.created >= since]
        if "until" in params:
            until = self.scenario.seconds_at(_parse_time(params["until"], "until"))
            items = [c for c in items if c.created <= until]
        reverse = order == "reverse_chronological"
        if reverse:
            items.reverse()
        page = self._page_of(
            items,
            [c.seq for c in items],
            params,
            call,
            path=f"{node.id}/comments",
            children=children,
            fault=fault,
            descending=reverse,
        )
        specs = children or parse_fields(DEFAULT_FIELDS["Comment"])
        page["data"] = [
            self._render(Node("Comment", c.id, comment=c, post=node.post), specs, call)
            for c in page["data"]
        ]
        summary = params.get("summary")
        if summary and summary != "false":
            full = {
                "order": "chronological" if flt == "stream" else order,
                "total_count": total,
                "can_comment": True,
            }
            page["summary"] = edge_summary(full, summary)
        return page


def _parse_time(raw: str, name: str) -> datetime:
    """``since``/``until``: a Unix timestamp or an ISO 8601 time (naive means UTC)."""
    text = raw.strip()
    try:
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return datetime.fromtimestamp(float(text), tz=UTC)
        text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text.replace("Z", "+00:00"))
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise GraphError(100, f"(#100) Invalid {name} parameter: {raw}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
