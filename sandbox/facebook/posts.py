"""Fanpage posts of their own (not a live's post): seeded by tests and the demo.

A seeded post answers like any Graph post: its node fields (``created_time``, ``shares`` omitted
while 0, ``status_type``), ``reactions`` by type, ``comments`` with replies and cursor paging,
and lifetime ``insights`` with the views-style metrics (``post_media_view``,
``post_total_media_view_unique``) and the video ones. ``retire_metric`` makes a metric Meta still
served answer "invalid metric" (error 100) from now on, as the June 2026 batch will, so tests can
check that the other metrics of the request survive.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sandbox.scenario.records import Author, ScriptedComment
from sandbox.scenario.vocabulary import PAGE_REPLIES

if TYPE_CHECKING:
    from sandbox.scenario import Scenario

COMMENTERS = (
    Author("100071", "Nguyễn Thị Hoa"),
    Author("100072", "Trần Văn Bình"),
    Author("100073", "Lê Thị Mai"),
    Author("100074", "Phạm Quốc Dũng"),
)


@dataclass
class SeededPost:
    """A post's ground truth; times are scenario seconds (``created`` may be negative)."""

    id: str
    created: float
    message: str = ""
    reactions: dict[str, int] = field(default_factory=dict)  # Graph type names: LIKE, LOVE…
    shares: int = 0
    media_view: int = 0
    media_view_unique: int = 0
    video_views: int = 0
    is_video: bool = False
    comments: list[ScriptedComment] = field(default_factory=list)

    def visible_comments(self, t: float) -> list[ScriptedComment]:
        return [c for c in self.comments if c.exists_at(t)]

    def insight_values(self) -> dict[str, object]:
        return {
            "post_media_view": self.media_view,
            "post_total_media_view_unique": self.media_view_unique,
            "post_reactions_by_type_total": {k.lower(): v for k, v in self.reactions.items()},
            "post_video_views": self.video_views,
            "post_video_views_unique": self.video_views * 2 // 3,
            "post_video_avg_time_watched": 41_000 if self.is_video else 0,
        }


class PostsMixin:
    """Seeding posts and retiring metrics; lookups used by nodes, edges and insights."""

    scenario: Scenario
    _lock: threading.Lock
    _posts: dict[str, SeededPost]
    _post_comments: dict[str, tuple[SeededPost, ScriptedComment]]
    _retired_metrics: set[str]

    def _reset_posts(self) -> None:
        self._posts, self._post_comments, self._retired_metrics = {}, {}, set()

    def seed_post(
        self,
        number: str,
        *,
        created: float = 0.0,
        comments: int = 0,
        replies_every: int = 5,
        comment_every: float = 30.0,
        **values: object,
    ) -> SeededPost:
        """Add post ``{page}_{number}`` published at ``created`` with ``comments`` comments.

        Comments appear one every ``comment_every`` seconds after publication; every
        ``replies_every``-th one is the Page replying to the comment before it. Other keyword
        arguments set the post's counters (``reactions={"LIKE": 10}``, ``shares``, ``media_view``…).
        """
        post_id = f"{self.scenario.params.page_id}_{number}"
        post = SeededPost(post_id, created, **values)  # type: ignore[arg-type]
        for n in range(comments):
            parent = (
                post.comments[-1].id if replies_every and n and n % replies_every == 0 else None
            )
            author, message = COMMENTERS[n % len(COMMENTERS)], f"Bình luận {n + 1}: cho em hỏi ạ"
            if parent is not None:
                author, message = self.scenario.page, PAGE_REPLIES[n % len(PAGE_REPLIES)]
            post.comments.append(
                ScriptedComment(
                    seq=n,
                    id=f"{number}_{9000 + n}",
                    created=int(created + comment_every * (n + 1)),
                    author=author,
                    message=message,
                    parent_id=parent,
                )
            )
        with self._lock:
            self._posts[post_id] = post
            for comment in post.comments:
                self._post_comments[comment.id] = (post, comment)
        return post

    def change_post_comment(self, comment_id: str, **changes: object) -> ScriptedComment:
        """Rewrite a seeded post's comment from now on: ``deleted_at=t`` (its author deleted
        it), ``hidden_at=t`` or ``hidden_at=None`` (the page hid it, or unhid it)."""
        with self._lock:
            post, comment = self._post_comments[comment_id]
            changed = replace(comment, **changes)  # type: ignore[arg-type]
            post.comments[post.comments.index(comment)] = changed
            self._post_comments[comment_id] = (post, changed)
        return changed

    def retire_metric(self, name: str) -> None:
        """From now on, asking for ``name`` answers error 100 "invalid metric"."""
        with self._lock:
            self._retired_metrics.add(name)

    def _seeded_post(self, object_id: str) -> SeededPost | None:
        return self._posts.get(object_id)

    def _seeded_comment(self, object_id: str) -> tuple[SeededPost, ScriptedComment] | None:
        return self._post_comments.get(object_id)
