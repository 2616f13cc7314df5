"""``ScenarioParams`` (everything that shapes the script) and the script's constants."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

Platform = Literal["facebook", "youtube"]
PLATFORMS: tuple[Platform, ...] = ("facebook", "youtube")
Phase = Literal["scheduled", "live", "ended"]

REACTION_TYPES = ("LIKE", "LOVE", "CARE", "HAHA", "WOW", "SAD", "ANGRY")
# Shares of all reactions by type; every type appears at least once.
REACTION_WEIGHTS = (0.58, 0.2, 0.08, 0.04, 0.04, 0.03, 0.03)
BUCKET = 5  # seconds per step of the viewer curve
DAY = 86_400
WEEK = 7 * DAY
# After the end, counters and insights keep settling: fraction of the remaining growth reached
# this many seconds after the end (collectors re-read at +1 h, +24 h and +7 d).
SETTLE_KNOTS = ((0, 0.0), (3600, 0.25), (DAY, 0.75), (WEEK, 1.0))
LIVE_SHARE_OF_VIEWS = 0.6  # share of the final views reached by the end of the scripted live
LATE_SHARE = 0.2  # share of the reactions and shares that come after the end (a week's tail)
SCHEDULED_STEP = 104_729  # the scheduled live's ids: the scripted live's plus this
HOSTILE_MESSAGES = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


@dataclass(frozen=True)
class ScenarioParams:
    """Everything that shapes the script; the same params always give the same script."""

    seed: int = 1
    epoch: datetime = datetime(2026, 11, 25, 12, 58, tzinfo=UTC)  # 19:58 in Hà Nội
    start_offset: float = 60.0  # the live starts this long after t = 0, so discovery shows
    duration: float = 3600.0
    title: str = "Livestream tư vấn BHXH tự nguyện"
    description: str = "Giải đáp chính sách BHXH tự nguyện, BHYT hộ gia đình cùng BHXH tỉnh"
    page_id: str = "104729318856412"
    page_name: str = "BHXH tỉnh Nghệ An"
    live_video_id: str = "1029384756102938"
    video_id: str = "5566778899001122"
    youtube_video_id: str = "bhxhTNLive1"
    youtube_clip_id: str = "bhxhClip001"  # a plain upload of the channel: never a live
    youtube_channel_id: str = "UCbhxhNgheAn0000000000aa"
    live_chat_id: str = "Cg0KC2JoeGhUTkxpdmUxKicKGFVDYmh4aE5naGVBbjAwMDAwMDAwMDBhYRILYmh4aA"
    comment_count: int = 300
    chat_count: int = 240
    peak_viewers: int = 420
    final_views: int = 1700
    final_reactions: int = 640
    final_shares: int = 139
    youtube_peak_viewers: int = 140
    youtube_final_views: int = 900
    youtube_final_likes: int = 120
    youtube_final_comments: int = 14
    past_lives: int = 3
    # How much is counted by the end of the live: the share of the final views (the rest settles
    # over the week after it) and the share of reactions and shares that come later.
    live_share_of_views: float = LIVE_SHARE_OF_VIEWS
    late_share: float = LATE_SHARE
    deleted_comments: int | None = None  # deleted by their authors; None: one in 75, at least 3
    # Hidden by the page's moderators (Graph lists them to the page, is_hidden true); None: one
    # in 100, at least 2.
    hidden_comments: int | None = None
    # Written under the replay in the two days after the scripted end (a number left there is a
    # lead like any other), one of them deleted by its author hours later; None: one in 25 of the
    # live's comments, at least 2. Drawn apart from the live's script, which they leave unchanged.
    replay_comments: int | None = None
    # Top-level comments under the YouTube replay (the video's comment section), shaped like
    # Facebook's but YouTube's own audience, and the channel answering the first; None: one in
    # 25 of the chat's messages, at least 2. Drawn apart from everything else, which they leave
    # unchanged.
    youtube_replay_comments: int | None = None
    # Viewers who go on answering the first of them, after the channel and the first viewer:
    # with those two, more replies than a thread carries (five), so only ``comments.list`` lists
    # the last ones; the last leaves a phone number. Drawn apart too.
    youtube_long_thread: int = 5
    # Extra live ids playing the same script (benchmarks of many simultaneous lives on one page).
    mirror_lives: int = 0
    # A second live the page has scheduled (``scheduled_params``): its planned start, in seconds
    # from t = 0; None: the page has none. Off by default so every other script stays as it is.
    scheduled_in: float | None = None
    # What Graph reads as this live's status before its start, and how long before the start
    # the page created it.
    scheduled_status: str = "SCHEDULED_LIVE"
    announced_before: float = 900.0

    @property
    def mirror_live_ids(self) -> tuple[str, ...]:
        return tuple(f"{self.live_video_id}m{n}" for n in range(1, self.mirror_lives + 1))

    def scheduled_params(self) -> ScenarioParams | None:
        """The page's scheduled live: the same script machinery, its own seed and ids, a shorter
        script (cheap to draw), created an hour before t = 0 and not yet published, so a
        newcomer can paste it on a new event; None when the page has none."""
        if self.scheduled_in is None:
            return None
        return replace(
            self,
            seed=self.seed + 1,
            start_offset=self.scheduled_in,
            title="Livestream hỏi đáp BHYT hộ gia đình",
            live_video_id=str(int(self.live_video_id) + SCHEDULED_STEP),
            video_id=str(int(self.video_id) + SCHEDULED_STEP),
            youtube_video_id=f"{self.youtube_video_id[:10]}S",
            live_chat_id=f"{self.live_chat_id}S",
            comment_count=max(20, self.comment_count // 5),
            chat_count=max(20, self.chat_count // 5),
            past_lives=0,
            mirror_lives=0,
            scheduled_in=None,
            scheduled_status="SCHEDULED_UNPUBLISHED",
            announced_before=self.scheduled_in + 3600.0,
        )

    @property
    def post_id(self) -> str:
        """The Page post carrying the live video (unverified mapping): page_video."""
        return f"{self.page_id}_{self.video_id}"
