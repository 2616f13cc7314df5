"""``Scenario``: the generated script and what is true on each platform at scenario time ``t``
(phase, viewers, views settling after the end, visible comments and chat)."""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import replace
from datetime import datetime, timedelta

from sandbox.scenario.audience import Audience
from sandbox.scenario.insights import insight_values
from sandbox.scenario.params import (
    SETTLE_KNOTS,
    Phase,
    Platform,
    ScenarioParams,
)
from sandbox.scenario.records import Author, ChatMessage, ScriptedComment
from sandbox.scenario.script import (
    script_chat,
    script_comments,
    script_past_lives,
    script_reactions,
    script_replay_comments,
    script_youtube_replay,
)


class Scenario:
    """The script plus per-platform end times; every accessor takes the scenario time ``t``."""

    def __init__(self, params: ScenarioParams | None = None, **overrides: object) -> None:
        params = params or ScenarioParams()
        self.params = replace(params, **overrides) if overrides else params
        p = self.params
        rng = random.Random(p.seed)
        self.page = Author(p.page_id, p.page_name)
        self.audience = Audience(rng, p)
        self.comments: tuple[ScriptedComment, ...] = script_comments(rng, self.audience, p)
        self.replay_comments = script_replay_comments(p, self.scripted_end, len(self.comments))
        self._comments_by_id = {c.id: c for c in (*self.comments, *self.replay_comments)}
        self._created = [c.created for c in self.comments]
        self.chat: tuple[ChatMessage, ...] = script_chat(rng, self.audience, p)
        self._published = [m.published for m in self.chat]
        self.youtube_replay = script_youtube_replay(p, self.scripted_end)
        self.reaction_times = script_reactions(rng, self.audience, p)
        self.share_times = self.audience.event_times(rng, p.final_shares, p.late_share)
        self.past_lives = script_past_lives(rng, p)
        self._ended_at: dict[str, float] = {}
        scheduled = p.scheduled_params()
        # The page's scheduled live, played by the same machinery on the same clock.
        self.scheduled = Scenario(scheduled) if scheduled is not None else None

    # --- time -----------------------------------------------------------------------------

    def datetime_at(self, t: float) -> datetime:
        return self.params.epoch + timedelta(seconds=t)

    def seconds_at(self, moment: datetime) -> float:
        return (moment - self.params.epoch).total_seconds()

    @property
    def live_start(self) -> float:
        return self.params.start_offset

    @property
    def scripted_end(self) -> float:
        return self.params.start_offset + self.params.duration

    def end_time(self, platform: Platform) -> float:
        return min(self._ended_at.get(platform, math.inf), self.scripted_end)

    def end_live(self, platform: Platform, t: float) -> None:
        """End the broadcast abruptly at ``t`` (never later than the script, never before start)."""
        self._ended_at[platform] = max(min(t, self.end_time(platform)), self.live_start)

    def reset(self) -> None:
        self._ended_at.clear()
        if self.scheduled is not None:
            self.scheduled.reset()

    def phase(self, platform: Platform, t: float) -> Phase:
        if t < self.live_start:
            return "scheduled"
        return "live" if t < self.end_time(platform) else "ended"

    # --- viewers and views ----------------------------------------------------------------

    def viewers(self, platform: Platform, t: float) -> int:
        """Instantaneous concurrent viewers; 0 unless live."""
        if self.phase(platform, t) != "live":
            return 0
        return self.audience.viewers_at(platform, t)

    def settle(self, platform: Platform, t: float) -> float:
        """Share of the final counters reached at ``t``: 0 → ``live_share_of_views`` (0.6) over
        the live, → 1 at +7 days."""
        if t <= self.live_start:
            return 0.0
        end = self.end_time(platform)
        watched, total = self.audience.watched, self.audience.watched_total(platform)
        share = self.params.live_share_of_views
        at_end = share * watched(platform, end) / total
        if t < end:
            return share * watched(platform, t) / total
        return at_end + (1.0 - at_end) * _piecewise(SETTLE_KNOTS, t - end)

    def views(self, platform: Platform, t: float) -> int:
        final = (
            self.params.final_views if platform == "facebook" else self.params.youtube_final_views
        )
        # A viewer counts as a view once seen, so a live ended early (whose settled share is
        # small) still shows at least its peak audience.
        peak = self.audience.peak_until(platform, min(t, self.end_time(platform) - 0.001))
        return max(math.floor(final * self.settle(platform, t)), peak)

    # --- Facebook content -----------------------------------------------------------------

    def visible_comments(self, t: float) -> list[ScriptedComment]:
        """Comments that exist at ``t``, oldest first: the live's (none written after an abrupt
        end), then those written under the replay since."""
        cut = min(t, self.end_time("facebook"))
        upto = bisect.bisect_right(self._created, cut)
        live = [c for c in self.comments[:upto] if c.exists_at(t)]
        return live + [c for c in self.replay_comments if c.exists_at(t)]

    def shown_comments(self, t: float) -> list[ScriptedComment]:
        """The comments the public sees at ``t``: those that exist, less those the page hid."""
        return [c for c in self.visible_comments(t) if not c.hidden(t)]

    def comment(self, comment_id: str) -> ScriptedComment | None:
        return self._comments_by_id.get(comment_id)

    def comment_visible(self, comment: ScriptedComment, t: float) -> bool:
        on_replay = comment.created > self.scripted_end
        return comment.exists_at(t) and (on_replay or comment.created <= self.end_time("facebook"))

    def reaction_counts(self, t: float) -> dict[str, int]:
        return {kind: bisect.bisect_right(ts, t) for kind, ts in self.reaction_times.items()}

    def share_count(self, t: float) -> int:
        return bisect.bisect_right(self.share_times, t)

    def video_insights(self, t: float) -> dict[str, object]:
        """Lifetime Video Insights at ``t``; final only a week after the end."""
        return insight_values(
            self.params.final_views,
            self.settle("facebook", t),
            self.reaction_counts(t),
            comments=len(self.visible_comments(t)),
            shares=self.share_count(t),
        )

    # --- YouTube content ------------------------------------------------------------------

    def youtube_statistics(self, t: float) -> dict[str, int]:
        f = self.settle("youtube", t)
        p = self.params
        return {
            "viewCount": math.floor(p.youtube_final_views * f),
            "likeCount": math.floor(p.youtube_final_likes * f),
            "favoriteCount": 0,
            "commentCount": math.floor(p.youtube_final_comments * f),
        }

    def visible_chat(self, t: float) -> list[ChatMessage]:
        """Chat items published by ``t`` (none after an abrupt end), then the chat-ended item."""
        end = self.end_time("youtube")
        upto = bisect.bisect_right(self._published, min(t, end))
        items = list(self.chat[:upto])
        if t >= end:
            items.append(
                ChatMessage(
                    seq=len(self.chat),
                    id=f"LCC.ended.{self.params.youtube_video_id}",
                    published=end,
                    author=Author(self.params.youtube_channel_id, self.params.page_name),
                    text="",
                    type="chatEndedEvent",
                )
            )
        return items

    def youtube_comments(self, t: float) -> list[ScriptedComment]:
        """The comments under the YouTube replay at ``t``, oldest first: those that exist, and
        never a reply whose thread is gone (deleting a comment deletes its replies)."""
        shown = [c for c in self.youtube_replay if c.exists_at(t)]
        tops = {c.id for c in shown if c.parent_id is None}
        return [c for c in shown if c.parent_id is None or c.parent_id in tops]

    # --- summary --------------------------------------------------------------------------

    def state_at(self, t: float) -> dict[str, object]:
        """A plain summary of what is true at ``t`` (the control surface's ``state``)."""
        return {
            "t": round(t, 3),
            "time": self.datetime_at(t).isoformat(),
            "facebook": {
                "phase": self.phase("facebook", t),
                "live_views": self.viewers("facebook", t),
                "total_views": self.views("facebook", t),
                "comments": len(self.visible_comments(t)),
                "reactions": self.reaction_counts(t),
                "shares": self.share_count(t),
            },
            "youtube": {
                "phase": self.phase("youtube", t),
                "concurrent_viewers": self.viewers("youtube", t),
                "statistics": self.youtube_statistics(t),
                "chat_messages": len(self.visible_chat(t)),
            },
        }


def _piecewise(knots: tuple[tuple[float, float], ...], x: float) -> float:
    if x <= knots[0][0]:
        return knots[0][1]
    for (x0, y0), (x1, y1) in zip(knots, knots[1:], strict=False):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return knots[-1][1]
