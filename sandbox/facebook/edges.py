"""Edges of a node other than comments and insights: reactions and likes, and the
Page's ``live_videos`` with ``broadcast_status``; ``_edge`` dispatches them all."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sandbox.facebook.errors import GraphError
from sandbox.facebook.fields import FieldSpec, parse_fields
from sandbox.facebook.nodes import DEFAULT_FIELDS, Node
from sandbox.scenario import REACTION_TYPES

if TYPE_CHECKING:
    from sandbox.facebook.calls import Call
    from sandbox.faults import Fault
    from sandbox.scenario import Scenario

REACTION_PARAM_TYPES = (*REACTION_TYPES, "NONE", "THANKFUL", "PRIDE", "FIRE", "HUNDRED")


class EdgesMixin:
    """``_edge`` and the reactions, likes and ``live_videos`` edges."""

    scenario: Scenario

    def _edge(
        self,
        node: Node,
        edge: str,
        params: dict[str, str],
        children: tuple[FieldSpec, ...] | None,
        call: Call,
        fault: Fault | None = None,
    ) -> dict[str, Any]:
        if edge == "comments":
            return self._comments(node, params, children, call, fault)
        if edge in ("reactions", "likes"):
            return self._reactions(node, edge, params, call)
        if edge == "live_videos":
            return self._live_videos(node, params, children, call, fault)
        return self._insights(node, edge, params, call)

    def _reactions(
        self, node: Node, edge: str, params: dict[str, str], call: Call
    ) -> dict[str, Any]:
        kind = params.get("type")
        if edge == "reactions" and kind and kind not in REACTION_PARAM_TYPES:
            raise GraphError(
                100,
                "(#100) type must be one of the following values: "
                + ", ".join(REACTION_PARAM_TYPES),
            )
        counts = self._reaction_counts(node, call.t)
        if edge == "likes":  # "like" counts include both LIKE and CARE
            total = counts.get("LIKE", 0) + counts.get("CARE", 0)
        else:
            total = counts.get(kind, 0) if kind else sum(counts.values())
        answer: dict[str, Any] = {"data": []}  # other people's reactions are never listed
        summary = params.get("summary")
        if summary and summary != "false":
            full: dict[str, Any] = {"total_count": total}
            full.update(
                {"viewer_reaction": "NONE"}
                if edge == "reactions"
                else {"can_like": True, "has_liked": False}
            )
            answer["summary"] = edge_summary(full, summary)
            if (
                edge == "reactions"
                and node.type in ("LiveVideo", "Video", "Post")
                and not node.past
                and node.post is None
            ):
                call.served.note("reactions", kind, total)
        return answer

    def _reaction_counts(self, node: Node, t: float) -> dict[str, int]:
        if node.comment is not None:
            return {"LIKE": node.comment.like_count}
        if node.post is not None:
            return dict(node.post.reactions)
        if node.past is not None:
            return dict(node.past.reactions)
        if node.type == "Page":
            return {}
        return self.scenario.reaction_counts(t)

    def _live_videos(
        self,
        node: Node,
        params: dict[str, str],
        children: tuple[FieldSpec, ...] | None,
        call: Call,
        fault: Fault | None,
    ) -> dict[str, Any]:
        p = self.scenario.params
        wanted = _status_filter(params.get("broadcast_status"))
        scheduled = self.scenario.scheduled
        lives = (
            [Node("LiveVideo", p.live_video_id)]
            + ([Node("LiveVideo", scheduled.params.live_video_id)] if scheduled else [])
            + [Node("LiveVideo", past.live_video_id, past) for past in self.scenario.past_lives]
        )  # newest created first, as Graph lists them (the scheduled one was created earlier)
        keep = [
            n
            for n, live in enumerate(lives)
            if wanted is None
            or self._fake_for(live)._livevideo_field(live, "status", call) in wanted
        ]
        page = self._page_of(
            [lives[n] for n in keep],
            keep,  # a live's rank in the full list is its stable paging key
            params,
            call,
            path=f"{node.id}/live_videos",
            children=children,
            fault=fault,
            descending=False,
        )
        specs = children or parse_fields(DEFAULT_FIELDS["LiveVideo"])
        page["data"] = [self._fake_for(live)._render(live, specs, call) for live in page["data"]]
        return page


def edge_summary(full: dict[str, Any], asked: str) -> dict[str, Any]:
    """``summary=true`` gives every summary field; ``summary(total_count)`` gives those named."""
    if asked == "true" or asked == "1":
        return full
    names = [n.strip() for n in asked.split(",")]
    return {k: v for k, v in full.items() if k in names} or full


def _status_filter(raw: str | None) -> set[str] | None:
    if not raw:
        return None
    try:
        values = json.loads(raw) if raw.strip().startswith("[") else raw.split(",")
    except json.JSONDecodeError as exc:
        raise GraphError(100, "(#100) broadcast_status must be an array") from exc
    allowed = {
        "UNPUBLISHED", "LIVE", "LIVE_STOPPED", "PROCESSING", "VOD", "SCHEDULED_UNPUBLISHED",
        "SCHEDULED_LIVE", "SCHEDULED_EXPIRED", "SCHEDULED_CANCELED",
    }  # fmt: skip
    chosen = {str(v).strip().upper() for v in values}
    if not chosen <= allowed:
        raise GraphError(
            100,
            "(#100) broadcast_status[0] must be one of the following values: "
            + ", ".join(sorted(allowed)),
        )
    return chosen
