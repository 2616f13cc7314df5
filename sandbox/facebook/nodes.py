"""Graph nodes: looking an id up (Page, LiveVideo, Video, Post, Comment) and rendering it with
the asked fields, expanding object fields and edges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sandbox.facebook.errors import GraphError
from sandbox.facebook.fields import FieldSpec, parse_fields
from sandbox.scenario import PastLive, ScriptedComment

if TYPE_CHECKING:
    from sandbox.facebook.calls import Call
    from sandbox.facebook.posts import SeededPost
    from sandbox.scenario import Scenario

DEFAULT_FIELDS = {
    "Page": "id,name",
    "LiveVideo": "id,title,description,status,creation_time,broadcast_start_time,permalink_url",
    "Video": "id,title,description,updated_time",
    "Post": "id,message,created_time",
    "Comment": "created_time,from,message,id",
}
OBJECT_DEFAULTS = {"from": "id,name", "video": "id", "parent": "created_time,from,message,id"}
EDGES = {
    "Page": ("live_videos", "insights"),
    "LiveVideo": ("comments", "reactions", "likes"),
    "Video": ("comments", "reactions", "likes", "video_insights"),
    "Post": ("comments", "reactions", "likes", "insights"),
    "Comment": ("comments", "reactions", "likes"),
}

_MISSING = object()


@dataclass(frozen=True)
class Node:
    type: str
    id: str
    past: PastLive | None = None  # None: the scripted live (or not a live-related node)
    comment: ScriptedComment | None = None
    post: SeededPost | None = None  # a seeded post, or a comment on one (``posts.py``)


class NodesMixin:
    """Node lookup and rendering; edges named as fields go to ``_edge``."""

    scenario: Scenario
    _posts: dict[str, SeededPost]
    _post_comments: dict[str, tuple[SeededPost, ScriptedComment]]

    def _node(self, object_id: str, t: float) -> Node | None:
        p = self.scenario.params
        if object_id in (p.page_id, "me"):
            return Node("Page", p.page_id)
        if object_id == p.live_video_id or object_id in p.mirror_live_ids:
            return Node("LiveVideo", object_id)
        if object_id == p.video_id:
            return Node("Video", object_id)
        if object_id == p.post_id:
            return Node("Post", object_id)
        for past in self.scenario.past_lives:
            if object_id == past.live_video_id:
                return Node("LiveVideo", object_id, past)
            if object_id == past.video_id:
                return Node("Video", object_id, past)
            if object_id == f"{p.page_id}_{past.video_id}":
                return Node("Post", object_id, past)
        post = self._posts.get(object_id)
        if post is not None and post.created <= t:
            return Node("Post", object_id, post=post)
        if object_id in self._post_comments:
            post, on_post = self._post_comments[object_id]
            return (
                Node("Comment", object_id, comment=on_post, post=post)
                if on_post.exists_at(t)
                else None
            )
        comment = self.scenario.comment(object_id)
        if comment is not None and self.scenario.comment_visible(comment, t):
            return Node("Comment", object_id, comment=comment)
        return None

    def _render(self, node: Node, specs: tuple[FieldSpec, ...] | None, call: Call) -> dict:
        """A node with the asked fields (or the type's defaults); Graph always adds ``id``."""
        if node.comment is not None and node.post is None:
            c = node.comment
            created = graph_time(self.scenario.datetime_at(c.created))
            by_page = c.author.id == self.scenario.params.page_id  # the Page's own reply
            call.served.note("comment", c.id, c.message_at(call.t), c.parent_id, created, by_page)
        out: dict[str, Any] = {}
        for spec in specs or parse_fields(DEFAULT_FIELDS[node.type]):
            if spec.name in EDGES[node.type]:
                out[spec.key] = self._edge(node, spec.name, spec.params(), spec.children, call)
                continue
            value = node.id if spec.name == "id" else self._object_field(node, spec, call)
            if value is _MISSING:
                value = getattr(self, f"_{node.type.lower()}_field")(node, spec.name, call)
            if value is _MISSING:
                raise GraphError(
                    100,
                    f"(#100) Tried accessing nonexisting field ({spec.name}) "
                    f"on node type ({node.type})",
                )
            if value is not None:
                out[spec.key] = value
        out.setdefault("id", node.id)
        return out

    def _object_field(self, node: Node, spec: FieldSpec, call: Call) -> Any:
        """Fields whose value is another object, expanded with ``{subfields}``."""
        if spec.name == "from" and node.type != "Page":
            author = node.comment.author if node.comment else self.scenario.page
            values = {"id": author.id, "name": author.name}
            names = [c.name for c in spec.children or parse_fields(OBJECT_DEFAULTS["from"])]
            if unknown := [n for n in names if n not in values]:
                raise GraphError(
                    100,
                    f"(#100) Tried accessing nonexisting field ({unknown[0]}) on node type (User)",
                )
            return {n: values[n] for n in names}
        if spec.name == "video" and node.type == "LiveVideo":
            video_id = node.past.video_id if node.past else self.scenario.params.video_id
            children = spec.children or parse_fields(OBJECT_DEFAULTS["video"])
            return self._render(Node("Video", video_id, node.past), children, call)
        if spec.name == "parent" and node.comment is not None:
            parent_id = node.comment.parent_id
            parent = self.scenario.comment(parent_id) if parent_id else None
            if parent_id and parent_id in self._post_comments:
                parent = self._post_comments[parent_id][1]
            if parent is None:
                return None  # top-level comments have no parent field at all
            children = spec.children or parse_fields(OBJECT_DEFAULTS["parent"])
            return self._render(
                Node("Comment", parent.id, comment=parent, post=node.post), children, call
            )
        return _MISSING

    def _page_field(self, node: Node, name: str, call: Call) -> Any:
        p = self.scenario.params
        return {
            "name": p.page_name,
            "link": f"https://www.facebook.com/{p.page_id}",
            "category": "Government Organization",
            "about": "Trang thông tin chính thức của BHXH tỉnh",
            "fan_count": 18_452,
            "followers_count": 19_230,
        }.get(name, _MISSING)

    def _livevideo_field(self, node: Node, name: str, call: Call) -> Any:
        s, p, t, past = self.scenario, self.scenario.params, call.t, node.past
        start = past.start if past else s.live_start
        phase = "ended" if past else s.phase("facebook", t)
        video_id = past.video_id if past else p.video_id
        if name == "status":
            return {"scheduled": p.scheduled_status, "live": "LIVE", "ended": "VOD"}[phase]
        if name == "live_views":
            views = s.viewers("facebook", t) if not past else 0
            call.served.note("live_views", views)
            return views
        if name == "total_views":
            views = past.views if past else s.views("facebook", t)
            if not past:
                call.served.note("total_views", views)
            return str(views)
        values = {
            "title": past.title if past else p.title,
            "description": p.description,
            "creation_time": graph_time(
                s.datetime_at(start - (900 if past else p.announced_before))
            ),
            "broadcast_start_time": graph_time(s.datetime_at(start))
            if phase != "scheduled"
            else None,
            "planned_start_time": graph_time(s.datetime_at(start))
            if phase == "scheduled"
            else None,
            "permalink_url": f"https://www.facebook.com/{p.page_id}/videos/{video_id}/",
            "embed_html": f'<iframe src="https://www.facebook.com/plugins/video.php?href='
            f'https%3A%2F%2Fwww.facebook.com%2F{p.page_id}%2Fvideos%2F{video_id}%2F" '
            'width="1280" height="720" frameborder="0" allowfullscreen="true"></iframe>',
            "is_manual_mode": False,
            "is_reference_only": False,
            "seconds_left": None,
            "stream_url": f"rtmps://live-api-s.facebook.com:443/rtmp/FB-{node.id}-0-sandbox",
            "secure_stream_url": f"rtmps://live-api-s.facebook.com:443/rtmp/FB-{node.id}-0-sandbox",
        }
        return values.get(name, _MISSING)

    def _video_field(self, node: Node, name: str, call: Call) -> Any:
        s, p, past = self.scenario, self.scenario.params, node.past
        start = past.start if past else s.live_start
        phase = "ended" if past else s.phase("facebook", call.t)
        end = start + past.duration if past else s.end_time("facebook")
        return {
            "title": past.title if past else p.title,
            "description": p.description,
            "created_time": graph_time(s.datetime_at(start - 900)),
            "updated_time": graph_time(
                s.datetime_at(min(call.t, end) if phase != "scheduled" else start - 900)
            ),
            "permalink_url": f"/{p.page_id}/videos/{node.id}/",
            "length": round(end - start, 3) if phase == "ended" else None,
            "live_status": {"scheduled": "SCHEDULED_LIVE", "live": "LIVE", "ended": "VOD"}[phase],
            "published": True,
        }.get(name, _MISSING)

    def _post_field(self, node: Node, name: str, call: Call) -> Any:
        if node.post is not None:
            return _seeded_post_field(node.post, name, self.scenario)
        s, p, past = self.scenario, self.scenario.params, node.past
        start = past.start if past else s.live_start
        if name == "shares":
            count = past.shares if past else s.share_count(call.t)
            if not past:
                call.served.note("shares", count)
            return {"count": count} if count else None
        return {
            "message": f"{past.title if past else p.title}\n{p.description}",
            "created_time": graph_time(s.datetime_at(start - 900)),
            "updated_time": graph_time(
                s.datetime_at(max(start - 900, min(call.t, s.scripted_end)))
            ),
            "permalink_url": f"https://www.facebook.com/{p.page_id}/posts/{node.id.split('_')[1]}",
            "status_type": "added_video",
            "is_published": True,
        }.get(name, _MISSING)

    def _comment_field(self, node: Node, name: str, call: Call) -> Any:
        comment, s = node.comment, self.scenario
        assert comment is not None
        return {
            "message": comment.message_at(call.t),
            "created_time": graph_time(s.datetime_at(comment.created)),
            "like_count": comment.like_count,
            "comment_count": sum(
                1
                for c in (node.post.comments if node.post else s.visible_comments(call.t))
                if c.parent_id == comment.id and c.exists_at(call.t)
            ),
            "permalink_url": f"https://www.facebook.com/{s.params.page_id}/videos/"
            f"{s.params.video_id}/?comment_id={comment.id.split('_')[1]}",
            "is_hidden": comment.hidden(call.t),
            "can_remove": True,
            "live_broadcast_timestamp": max(0, int(comment.created - s.live_start)),
            "attachment": None,
            "message_tags": None,
        }.get(name, _MISSING)


def _seeded_post_field(post: SeededPost, name: str, s: Scenario) -> Any:
    number = post.id.split("_")[1]
    if name == "shares":
        return {"count": post.shares} if post.shares else None  # omitted while 0
    return {
        "message": post.message,
        "created_time": graph_time(s.datetime_at(post.created)),
        "updated_time": graph_time(s.datetime_at(post.created)),
        "permalink_url": f"https://www.facebook.com/{s.params.page_id}/posts/{number}",
        "status_type": "added_video" if post.is_video else "mobile_status_update",
        "is_published": True,
    }.get(name, _MISSING)


def graph_time(moment: datetime) -> str:
    """How Graph writes a time: UTC with a ``+0000`` offset."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
