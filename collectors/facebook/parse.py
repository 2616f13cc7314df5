"""Parsing Graph answers into records: the live video node, its comments, video insights."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from collectors.base import REACTION_TYPES, CommentRecord, Sample
from collectors.facebook.graph import parse_time, to_int

# Keys Meta uses inside total_video_reactions_by_type_total → ours.
INSIGHT_REACTION_KEYS = {"like": "like", "love": "love", "care": "care", "haha": "haha",
                         "wow": "wow", "sorry": "sad", "sad": "sad", "anger": "angry",
                         "angry": "angry"}  # fmt: skip
COMMENT_FIELDS = "id,message,created_time,from{id,name},parent{id},is_hidden"


def reaction_fields() -> list[str]:
    """Reactions by type in one read: one aliased ``reactions.type(X)`` count per type."""
    return [
        f"reactions.type({kind.upper()}).limit(0).summary(total_count).as(reactions_{kind})"
        for kind in REACTION_TYPES
    ]


def reactions_of(node: Mapping[str, Any]) -> dict[str, int] | None:
    """The by-type counts of a node read with ``reaction_fields()``; None if none came back."""
    reactions = {kind: _summary(node.get(f"reactions_{kind}")) for kind in REACTION_TYPES}
    if all(v is None for v in reactions.values()):
        return None
    return {k: v or 0 for k, v in reactions.items()}


def live_fields() -> str:
    """One field-expanded read of a live: status, viewers, comment count, reactions by type."""
    aliases = reaction_fields()
    return ",".join(
        [
            "id",
            "status",
            "live_views",
            "title",
            "broadcast_start_time",
            "permalink_url",
            "video{id,length}",  # the length, once ended, dates the end
            "comments.filter(stream).limit(0).summary(true)",
            "reactions.limit(0).summary(total_count)",
            *aliases,
        ]
    )


def parse_live(node: Mapping[str, Any], sampled_at: datetime) -> tuple[Sample, str, str | None]:
    """The sample, status and underlying video id of a live node read with ``live_fields()``."""
    status = str(node.get("status", ""))
    total = _summary(node.get("reactions"))
    sample = Sample(
        sampled_at=sampled_at,
        live_viewers=to_int(node.get("live_views")) if status == "LIVE" else None,
        reactions=reactions_of(node),
        reactions_total=total,
        comments=_summary(node.get("comments")),
    )
    video = node.get("video") or {}
    return sample, status, video.get("id")


def parse_names(node: Mapping[str, Any]) -> dict[str, str]:
    """The live's ``title`` and ``url`` (its permalink, which Graph may give as a path on
    facebook.com), as ``Batch`` names them; one left out or empty is not there."""
    said = {"title": node.get("title"), "url": node.get("permalink_url")}
    return {name: str(value) for name, value in said.items() if value}


def parse_start(node: Mapping[str, Any]) -> datetime | None:
    """When the live went on air, as Graph states it (``broadcast_start_time``)."""
    return parse_time(node.get("broadcast_start_time"))


def parse_end(node: Mapping[str, Any]) -> datetime | None:
    """When an ended live ended, as Graph states it: its start plus its Video's length (seconds).

    None when Graph gives either one no value (a live still processing may have no length yet).
    """
    start = parse_start(node)
    length = (node.get("video") or {}).get("length")
    if start is None or not isinstance(length, int | float) or length < 0:
        return None
    return start + timedelta(seconds=float(length))


def summary_count(edge: Any) -> int | None:
    """``summary.total_count`` of an edge read with ``.summary(...)``; None if absent."""
    return _summary(edge)


def _summary(edge: Any) -> int | None:
    if not isinstance(edge, dict) or not isinstance(edge.get("summary"), dict):
        return None
    return to_int(edge["summary"].get("total_count"))


def parse_comments(
    payload: Mapping[str, Any], page_id: str | None = None
) -> tuple[CommentRecord, ...]:
    """Comments of a ``/comments`` page; the page's own (``from.id`` is ``page_id``) say so.

    A comment the page's moderators hid (``is_hidden``, listed to the page alone) is left out,
    as if deleted: the public no longer sees it, so neither the feeds nor the counts do.
    """
    records = []
    for item in payload.get("data") or []:
        created = parse_time(item.get("created_time"))
        if not item.get("id") or created is None or item.get("is_hidden"):
            continue
        author = item.get("from") or {}
        parent = item.get("parent") or {}
        records.append(
            CommentRecord(
                external_id=str(item["id"]),
                message=str(item.get("message") or ""),
                created_at=created,
                author_name=str(author.get("name") or ""),
                author_external_id=author.get("id"),
                parent_external_id=parent.get("id"),
                by_owner=bool(page_id) and str(author.get("id") or "") == page_id,
            )
        )
    return tuple(records)


def parse_insight_values(payload: Mapping[str, Any]) -> dict[str, Any]:
    """``{metric: lifetime value}`` from an InsightsResult (``data[].values[].value``)."""
    values: dict[str, Any] = {}
    for item in payload.get("data") or []:
        points = item.get("values") or [{}]
        values[str(item.get("name"))] = points[-1].get("value")
    return values


def parse_insights(
    values: Mapping[str, Any], sampled_at: datetime, offsets: Iterable[int]
) -> Sample:
    """The sample of one read of a live's video insights (``parse_insight_values``).

    ``views`` is None when ``total_video_views`` did not come back (refused, or not served): not
    read is not zero. ``offsets`` are the settling reads this read answers (seconds after the end).
    """
    values = dict(values)
    reactions = None
    by_type = values.pop("total_video_reactions_by_type_total", None)
    if isinstance(by_type, dict):
        reactions = dict.fromkeys(REACTION_TYPES, 0)
        for key, count in by_type.items():
            if key in INSIGHT_REACTION_KEYS:
                reactions[INSIGHT_REACTION_KEYS[key]] += to_int(count)
    stories = values.pop("total_video_stories_by_action_type", None)
    total = sum(reactions.values()) if reactions else None
    if total is None and isinstance(stories, dict) and "like" in stories:
        total = to_int(stories["like"])  # the stand-in when by-type reactions are refused
    views = values.get("total_video_views")
    extra: dict[str, Any] = {k: v for k, v in values.items() if isinstance(v, int | float)}
    extra["insights_offset_seconds"] = max(offsets, default=0)
    return Sample(
        sampled_at=sampled_at,
        views=to_int(views) if views is not None else None,
        reactions=reactions,
        reactions_total=total,
        extra=extra,
    )
