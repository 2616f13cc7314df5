"""A seeded, scripted fanpage livestream: what is true on Facebook and YouTube at scenario time t.

The script is a BHXH province office's "Livestream tư vấn BHXH tự nguyện", simulcast to its
Facebook Page and YouTube channel. It follows platform-apis.md: §1.3 (a LiveVideo and its
*different* Video id; status SCHEDULED_LIVE → LIVE → VOD, ``live_views`` instantaneous and 0 after
the end), §1.4 (comments with replies, edits and deletions), §1.6 (every reaction type), §1.7
(shares), §1.8 (video insights that keep settling for ~7 days), §2.1–2.2 (YouTube viewers, counts
and live chat) and §0.2 (no peak field anywhere: only instantaneous viewers).

Time ``t`` is seconds since the sandbox started; ``params.epoch`` is the wall-clock instant of
t = 0. The script is immutable except for one thing the control surface may change: the live can
be ended early per platform (``end_live``).
"""

from __future__ import annotations

import bisect
import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
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
    # Extra live ids playing the same script (benchmarks of many simultaneous lives on one page).
    mirror_lives: int = 0

    @property
    def mirror_live_ids(self) -> tuple[str, ...]:
        return tuple(f"{self.live_video_id}m{n}" for n in range(1, self.mirror_lives + 1))

    @property
    def post_id(self) -> str:
        """The Page post carrying the live video (unverified mapping, §1.7): page_video."""
        return f"{self.page_id}_{self.video_id}"


@dataclass(frozen=True)
class Author:
    id: str
    name: str


@dataclass(frozen=True)
class ScriptedComment:
    """One Facebook comment: when it appears, what it says over time, when it disappears."""

    seq: int  # chronological rank; also the key behind paging cursors
    id: str
    created: int
    author: Author
    message: str
    parent_id: str | None = None
    edits: tuple[tuple[int, str], ...] = ()
    deleted_at: int | None = None
    like_count: int = 0

    def message_at(self, t: float) -> str:
        message = self.message
        for at, text in self.edits:
            if at <= t:
                message = text
        return message

    def exists_at(self, t: float) -> bool:
        return self.created <= t and (self.deleted_at is None or t < self.deleted_at)


@dataclass(frozen=True)
class ChatMessage:
    """One YouTube live chat item (§2.2); deletions are items of their own."""

    seq: int
    id: str
    published: float
    author: Author  # id is the channel id
    text: str
    type: str = "textMessageEvent"
    deleted_id: str | None = None


@dataclass(frozen=True)
class PastLive:
    """An earlier broadcast of the same Page, long since VOD, so listing and filters matter."""

    live_video_id: str
    video_id: str
    title: str
    start: float  # scenario seconds (negative: days ago)
    duration: float
    views: int
    reactions: dict[str, int] = field(default_factory=dict)
    shares: int = 0


class Scenario:
    """The script plus per-platform end times; every accessor takes the scenario time ``t``."""

    def __init__(self, params: ScenarioParams | None = None, **overrides: object) -> None:
        params = params or ScenarioParams()
        self.params = replace(params, **overrides) if overrides else params
        p = self.params
        rng = random.Random(p.seed)
        self.page = Author(p.page_id, p.page_name)
        self._curves = {
            "facebook": _viewer_curve(rng, p.duration, p.peak_viewers),
            "youtube": _viewer_curve(rng, p.duration, p.youtube_peak_viewers),
        }
        self._cumulative = {name: _cumulative(curve) for name, curve in self._curves.items()}
        self.comments: tuple[ScriptedComment, ...] = _script_comments(rng, self)
        self._comments_by_id = {c.id: c for c in self.comments}
        self._created = [c.created for c in self.comments]
        self.chat: tuple[ChatMessage, ...] = _script_chat(rng, self)
        self._published = [m.published for m in self.chat]
        self.reaction_times = _reaction_times(rng, self)
        self.share_times = self._event_times(rng, p.final_shares)
        self.past_lives = _past_lives(rng, p)
        self._ended_at: dict[str, float] = {}

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

    def phase(self, platform: Platform, t: float) -> Phase:
        if t < self.live_start:
            return "scheduled"
        return "live" if t < self.end_time(platform) else "ended"

    # --- viewers and views ----------------------------------------------------------------

    def viewers(self, platform: Platform, t: float) -> int:
        """Instantaneous concurrent viewers; 0 unless live (§0.2, §1.3, §2.1)."""
        if self.phase(platform, t) != "live":
            return 0
        curve = self._curves[platform]
        return curve[min(int((t - self.live_start) // BUCKET), len(curve) - 1)]

    def settle(self, platform: Platform, t: float) -> float:
        """Share of the final counters reached at ``t``: 0 → 0.6 over the live, → 1 at +7 days."""
        if t <= self.live_start:
            return 0.0
        end = self.end_time(platform)
        at_end = LIVE_SHARE_OF_VIEWS * self._watched(platform, end) / self._watched_total(platform)
        if t < end:
            return LIVE_SHARE_OF_VIEWS * self._watched(platform, t) / self._watched_total(platform)
        return at_end + (1.0 - at_end) * _piecewise(SETTLE_KNOTS, t - end)

    def views(self, platform: Platform, t: float) -> int:
        final = (
            self.params.final_views if platform == "facebook" else self.params.youtube_final_views
        )
        return math.floor(final * self.settle(platform, t))

    def _watched(self, platform: Platform, t: float) -> float:
        """Viewer-seconds watched from the start of the live until ``t``."""
        cumulative = self._cumulative[platform]
        x = max(0.0, min(t - self.live_start, self.params.duration)) / BUCKET
        i = min(int(x), len(cumulative) - 2)
        return cumulative[i] + (cumulative[i + 1] - cumulative[i]) * (x - i)

    def _watched_total(self, platform: Platform) -> float:
        return max(self._cumulative[platform][-1], 1.0)

    def _event_times(self, rng: random.Random, count: int) -> list[float]:
        """Times of ``count`` events: 80 % during the live (where viewers are), then a tail."""
        times = []
        for _ in range(count):
            roll = rng.random()
            if roll < 0.8:
                times.append(self._live_weighted_time(rng))
            elif roll < 0.95:
                times.append(self.scripted_end + rng.uniform(1, DAY))
            else:
                times.append(self.scripted_end + rng.uniform(DAY, WEEK - 60))
        return sorted(times)

    def _live_weighted_time(self, rng: random.Random, margin: float = 0.0) -> float:
        """A moment of the scripted live drawn in proportion to the Facebook viewers then."""
        cumulative = self._cumulative["facebook"]
        target = rng.uniform(0, cumulative[-1])
        i = max(0, bisect.bisect_left(cumulative, target) - 1)
        t = self.live_start + (i + rng.random()) * BUCKET
        return min(max(t, self.live_start + margin), self.scripted_end - max(margin, 0.001))

    # --- Facebook content -----------------------------------------------------------------

    def visible_comments(self, t: float) -> list[ScriptedComment]:
        """Comments that exist at ``t``, oldest first; none written after an abrupt end."""
        cut = min(t, self.end_time("facebook"))
        upto = bisect.bisect_right(self._created, cut)
        return [c for c in self.comments[:upto] if c.exists_at(t)]

    def comment(self, comment_id: str) -> ScriptedComment | None:
        return self._comments_by_id.get(comment_id)

    def comment_visible(self, comment: ScriptedComment, t: float) -> bool:
        return comment.exists_at(t) and comment.created <= self.end_time("facebook")

    def reaction_counts(self, t: float) -> dict[str, int]:
        return {kind: bisect.bisect_right(ts, t) for kind, ts in self.reaction_times.items()}

    def share_count(self, t: float) -> int:
        return bisect.bisect_right(self.share_times, t)

    def video_insights(self, t: float) -> dict[str, object]:
        """Lifetime Video Insights (§1.8) at ``t``; final only a week after the end."""
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


# --- insight values -----------------------------------------------------------------------

# Final value of each count-like metric as a share of the final views (invented but plausible).
VIEW_RATIOS = {
    "total_video_views": 1.0,
    "total_video_views_unique": 0.71,
    "total_video_views_live": 0.58,
    "total_video_views_live_autoplayed": 0.21,
    "total_video_views_live_clicked_to_play": 0.37,
    "total_video_impressions": 3.2,
    "total_video_impressions_unique": 2.1,
    "total_video_complete_views": 0.12,
    "total_video_10s_views": 0.45,
    "total_video_15s_views": 0.38,
    "total_video_30s_views": 0.27,
    "total_video_60s_excludes_shorter_views": 0.19,
}
AVERAGE_WATCH_MS = 84_000
LIVE_WATCH_SHARE = 0.7
# Keys inside total_video_reactions_by_type_total are an assumption (§1.14).
INSIGHT_REACTION_KEYS = {
    "LIKE": "like",
    "LOVE": "love",
    "CARE": "care",
    "HAHA": "haha",
    "WOW": "wow",
    "SAD": "sorry",
    "ANGRY": "anger",
}


def insight_values(
    final_views: int, settled: float, reactions: dict[str, int], *, comments: int, shares: int
) -> dict[str, object]:
    """Every lifetime video metric the sandbox knows, from one settle fraction."""
    values: dict[str, object] = {
        name: math.floor(final_views * ratio * settled) for name, ratio in VIEW_RATIOS.items()
    }
    total_ms = math.floor(final_views * AVERAGE_WATCH_MS * settled)
    values["total_video_view_total_time"] = total_ms
    values["total_video_view_total_time_live"] = math.floor(total_ms * LIVE_WATCH_SHARE)
    values["total_video_avg_time_watched"] = total_ms // max(int(values["total_video_views"]), 1)
    values["total_video_reactions_by_type_total"] = {
        INSIGHT_REACTION_KEYS[kind]: count for kind, count in reactions.items()
    }
    values["total_video_stories_by_action_type"] = {
        "like": sum(reactions.values()),
        "comment": comments,
        "share": shares,
    }
    return values


# --- script generation --------------------------------------------------------------------


def _piecewise(knots: tuple[tuple[float, float], ...], x: float) -> float:
    if x <= knots[0][0]:
        return knots[0][1]
    for (x0, y0), (x1, y1) in zip(knots, knots[1:], strict=False):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return knots[-1][1]


def _viewer_curve(rng: random.Random, duration: float, peak: int) -> list[int]:
    """Concurrent viewers per 5 s: ramp up, a noisy plateau, a decline to ~40 % of the peak."""
    steps = max(2, math.ceil(duration / BUCKET) + 1)
    wobble = 0.0
    curve = []
    for i in range(steps):
        x = i / (steps - 1)
        if x < 0.15:
            s = x / 0.15
            level = 0.04 + 0.96 * s * s * (3 - 2 * s)
        elif x < 0.8:
            level = 0.93 + 0.05 * math.sin(x * 19.0)
        else:
            level = 0.98 - 0.58 * (x - 0.8) / 0.2
        wobble = 0.85 * wobble + rng.gauss(0, 0.015)
        curve.append(max(1, round(peak * level * (1 + wobble))))
    return curve


def _cumulative(curve: list[int]) -> list[float]:
    total = [0.0]
    for viewers in curve:
        total.append(total[-1] + viewers * BUCKET)
    return total


def _reaction_times(rng: random.Random, scenario: Scenario) -> dict[str, list[float]]:
    total = scenario.params.final_reactions
    counts = [max(1, round(total * w)) for w in REACTION_WEIGHTS]
    return {
        kind: scenario._event_times(rng, n) for kind, n in zip(REACTION_TYPES, counts, strict=True)
    }


def _past_lives(rng: random.Random, p: ScenarioParams) -> tuple[PastLive, ...]:
    lives = []
    for n in range(1, p.past_lives + 1):
        views = rng.randint(600, 2400)
        lives.append(
            PastLive(
                live_video_id=str(int(p.live_video_id) - 7919 * n),
                video_id=str(int(p.video_id) - 6271 * n),
                title=f"Livestream tư vấn BHXH tự nguyện kỳ {p.past_lives + 1 - n}",
                start=-30 * DAY * n,
                duration=rng.choice((2700.0, 3600.0, 4500.0)),
                views=views,
                reactions={
                    kind: max(1, round(views * 0.35 * w))
                    for kind, w in zip(REACTION_TYPES, REACTION_WEIGHTS, strict=True)
                },
                shares=rng.randint(20, 150),
            )
        )
    return tuple(lives)


# Vietnamese content. Names and messages are invented; phone numbers are random but well formed.
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu", "Hồng", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hoa",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhung",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
    "Hiền",
    "Loan",
    "Thắng",
    "Cường",
]
QUESTIONS = (
    "Cho em hỏi mức đóng BHXH tự nguyện thấp nhất là bao nhiêu ạ?",
    "Tư vấn giúp em với ạ",
    "Mẹ em 55 tuổi rồi còn tham gia BHXH tự nguyện được không ạ?",
    "Đóng BHXH tự nguyện bao nhiêu năm thì được hưởng lương hưu ạ?",
    "Hộ nghèo được nhà nước hỗ trợ bao nhiêu phần trăm ạ?",
    "Em muốn đăng ký cho cả nhà thì làm thủ tục ở đâu ạ?",
    "BHYT hộ gia đình năm nay bao nhiêu tiền một người ạ?",
    "Có đóng một lần cho nhiều năm được không ạ?",
    "Em nghỉ việc ở công ty rồi thì chuyển sang đóng tự nguyện thế nào ạ?",
    "Cán bộ ơi cho hỏi đóng qua VssID được không?",
    "Tham gia BHXH tự nguyện có được cấp thẻ BHYT không ạ?",
)
QUESTIONS_PLAIN = (
    "cho minh hoi dang ky o dau",
    "tu van giup em voi",
    "dong bhxh tu nguyen moi thang bao nhieu vay ad",
    "em o xa thi dong online duoc k a",
    "muc ho tro cho ho can ngheo la bao nhieu",
)
PHONE_LINES = (
    "Em cần tư vấn, sđt {phone}",
    "{phone} gọi lại giúp em nhé",
    "Tư vấn cho chị qua số {phone} với",
    "sdt cua em {phone} nho can bo goi lai",
    "Zalo {phone} ạ",
    "Nhà em ở xã Nghi Phong, số điện thoại {phone}",
)
EMOJI = ("👍👍", "❤️", "👍", "❤️❤️❤️", "😍", "👏👏👏", "🥰")
GREETINGS = (
    "Chào cán bộ BHXH ạ",
    "Xin chào mọi người",
    "Em chào anh chị ạ",
    "Chào buổi tối cả nhà",
    "Hóng livestream",
    "Chào ad",
    "Em vào rồi ạ",
    "Xem từ Quỳnh Lưu đây ạ",
)
THANKS = (
    "Cảm ơn chương trình rất bổ ích",
    "Thông tin hay quá",
    "Cảm ơn cán bộ đã giải đáp",
    "Rất hữu ích ạ",
    "Cám ơn ad",
)
REMARKS = (
    "Nhà em đóng được 3 năm rồi",
    "Mọi người nên tham gia sớm nhé",
    "Âm thanh hơi nhỏ ạ",
    "Hình bị giật quá",
    "Chia sẻ cho bà con cùng biết",
)
PAGE_REPLIES = (
    "Chào bạn, mức đóng thấp nhất bằng 22% mức chuẩn hộ nghèo khu vực nông thôn; "
    "bạn để lại số điện thoại để cán bộ tư vấn nhé.",
    "BHXH tỉnh đã ghi nhận, cán bộ sẽ liên hệ bạn trong thời gian sớm nhất ạ.",
    "Bạn có thể đăng ký tại UBND xã hoặc đại lý thu gần nhất nhé.",
    "Cảm ơn bạn đã quan tâm theo dõi chương trình!",
)
USER_REPLIES = ("Mình cũng muốn hỏi câu này", "+1", "Em cũng vậy ạ", "Đúng rồi đó bạn")
CATEGORIES = (
    ("question", 0.24),
    ("question_plain", 0.1),
    ("phone", 0.12),
    ("emoji", 0.12),
    ("greeting", 0.18),
    ("thanks", 0.12),
    ("remark", 0.12),
)
MOBILE_PREFIXES = ("091", "094", "098", "097", "096", "086", "088", "032", "035", "038", "070")


def phone_spellings(rng: random.Random) -> list[str]:
    """One random mobile number written each way people type them, old 11-digit form included."""
    prefix = rng.choice(MOBILE_PREFIXES)
    rest = f"{rng.randint(0, 9_999_999):07d}"
    local = prefix + rest  # 10 digits starting with 0
    old = f"016{rng.randint(2, 9)}{rng.randint(0, 9_999_999):07d}"
    return [
        f"{local[:4]} {local[4:7]} {local[7:]}",
        f"{local[:4]}.{local[4:7]}.{local[7:]}",
        f"+84 {local[1:]}",
        f"84{local[1:]}",
        old,
        local,
        f"{local[:4]}-{local[4:7]}-{local[7:]}",
    ]


def _people(rng: random.Random, count: int, id_of: Callable[[int], str]) -> list[Author]:
    people = []
    for n in range(count):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if n % 9 == 4:  # some people type their names without diacritics
            name = _plain(name)
        people.append(Author(id_of(n), name))
    return people


def _plain(text: str) -> str:
    stripped = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")


def _message(rng: random.Random, category: str, phone_index: int) -> str:
    if category == "phone":
        spelling = phone_spellings(rng)[phone_index % 7]
        return rng.choice(PHONE_LINES).format(phone=spelling)
    pool = {
        "question": QUESTIONS,
        "question_plain": QUESTIONS_PLAIN,
        "emoji": EMOJI,
        "greeting": GREETINGS,
        "thanks": THANKS,
        "remark": REMARKS,
    }[category]
    return rng.choice(pool)


def _categories(rng: random.Random, count: int) -> list[str]:
    names = [name for name, _ in CATEGORIES]
    weights = [w for _, w in CATEGORIES]
    return rng.choices(names, weights=weights, k=count)


def _script_comments(rng: random.Random, scenario: Scenario) -> tuple[ScriptedComment, ...]:
    p = scenario.params
    people = _people(
        rng, max(20, p.comment_count // 3), lambda n: str(100_000_000_000_001 + n * 37)
    )
    replies = p.comment_count * 3 // 20
    top = p.comment_count - replies
    drafts: list[dict] = []
    phones = 0
    for n, category in enumerate(_categories(rng, top)):
        hostile = {top // 3: HOSTILE_MESSAGES[0], 2 * top // 3: HOSTILE_MESSAGES[1]}
        message = hostile.get(n, "") if top >= 6 else ""
        category = "hostile" if message else category
        if category == "phone":
            phones += 1
        draft = {
            "created": int(scenario._live_weighted_time(rng, margin=2)),
            "author": rng.choice(people),
            "category": category,
            "message": message or _message(rng, category, phones),
            "parent": None,
        }
        drafts.append(draft)
    askers = [d for d in drafts if d["category"] in ("question", "question_plain", "phone")]
    for _ in range(replies if askers else 0):
        parent = rng.choice(askers)
        by_page = rng.random() < 0.6
        created = min(parent["created"] + rng.randint(20, 400), int(scenario.scripted_end) - 1)
        drafts.append(
            {
                "created": max(created, parent["created"] + 1),
                "author": scenario.page if by_page else rng.choice(people),
                "category": "reply",
                "message": rng.choice(PAGE_REPLIES if by_page else USER_REPLIES),
                "parent": parent,
            }
        )
    drafts.sort(key=lambda d: (d["created"], d["parent"] is not None))
    for seq, draft in enumerate(drafts):
        draft["id"] = f"{p.video_id}_{1_204_000_000_000_000 + 104_729 * (seq + 1)}"
    _script_edits_and_deletions(rng, drafts)
    return tuple(
        ScriptedComment(
            seq=seq,
            id=d["id"],
            created=d["created"],
            author=d["author"],
            message=d["message"],
            parent_id=d["parent"]["id"] if d["parent"] else None,
            edits=d.get("edits", ()),
            deleted_at=d.get("deleted_at"),
            like_count=rng.choice((0, 0, 0, 1, 1, 2, 3, 5)),
        )
        for seq, d in enumerate(drafts)
    )


def _script_edits_and_deletions(rng: random.Random, drafts: list[dict]) -> None:
    """A few comments get edited (a phone number added) and a few get deleted."""
    parents = {id(d["parent"]) for d in drafts if d["parent"]}
    plain = [
        d
        for d in drafts
        if d["parent"] is None and d["category"] not in ("hostile",) and id(d) not in parents
    ]
    rng.shuffle(plain)
    edits = max(3, len(drafts) // 60)
    deletions = max(3, len(drafts) // 75)
    for n, draft in enumerate(plain[:edits]):
        spelling = phone_spellings(rng)[n % 7]
        draft["edits"] = (
            (draft["created"] + rng.randint(30, 600), f"{draft['message']} - sđt em {spelling}"),
        )
    for draft in plain[edits : edits + deletions]:
        draft["deleted_at"] = draft["created"] + rng.randint(60, 900)


def _script_chat(rng: random.Random, scenario: Scenario) -> tuple[ChatMessage, ...]:
    p = scenario.params
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    people = _people(
        rng, max(10, p.chat_count // 4), lambda n: "UC" + "".join(rng.choices(alphabet, k=22))
    )
    drafts = []
    phones = 0
    for category in _categories(rng, p.chat_count):
        if category == "phone":
            phones += 1
        published = scenario._live_weighted_time(rng, margin=1)
        drafts.append((round(published, 3), rng.choice(people), _message(rng, category, phones)))
    drafts.sort(key=lambda d: d[0])
    messages: list[ChatMessage] = []
    for published, author, text in drafts:
        token = "".join(rng.choices(alphabet, k=40))
        messages.append(ChatMessage(len(messages), f"LCC.{token}", published, author, text))
    owner = Author(p.youtube_channel_id, p.page_name)
    # Moderators delete a couple of messages later on; deletions are chat items of their own.
    for victim in rng.sample(messages[: len(messages) // 2], k=min(2, len(messages) // 2)):
        at = min(victim.published + rng.uniform(20, 300), scenario.scripted_end - 0.5)
        token = "".join(rng.choices(alphabet, k=40))
        messages.append(
            ChatMessage(
                0, f"LCC.{token}", round(at, 3), owner, "", "messageDeletedEvent", victim.id
            )
        )
    messages.sort(key=lambda m: m.published)
    return tuple(replace(m, seq=n) for n, m in enumerate(messages))
