"""Shared look of every figure: colours, fonts, and the words charts carry.

Every figure builder takes ``words``: the titles, trace names and category names of the charts,
keyed as in ``WORDS``, which holds them in Vietnamese (the default language). The app hands in the
same keys translated into the page's language from its message catalogue, so an English page gets
English charts; dashboards stay pure and never read a locale. Numbers and dates on the axes follow
the page's Plotly locale (``app/static/js/charts.js``: "vi" gives 1.700, 0,62 and "03/12/2026");
text the server writes itself (the peak's label, a bar's count) takes ``words["separators"]``,
Plotly's decimal-then-thousands pair. Count axes carry ``tickformat ",d"``, which the page script
also reads as "whole steps only"; an empty figure hides its axes and says so in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

FONT = 'system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif'
INK = "#1d2733"
MUTED = "#5b6b7c"
GRID = "#e3e8ee"
BRAND = "#0b6e4f"
PEAK = "#b45309"
COMMENTS = "#2563eb"
HALLS = "#1d4ed8"

REACTION_ORDER = ("like", "love", "care", "haha", "wow", "sad", "angry")
REACTION_COLOURS = {
    "like": "#1877f2",
    "love": "#e0245e",
    "care": "#f7b125",
    "haha": "#f7b125",
    "wow": "#f7b125",
    "sad": "#f7b125",
    "angry": "#e9710f",
}
Words = Mapping[str, str]
# Every word a chart draws, in Vietnamese. Keys with a dot name a code: "reaction.like",
# "channel.post", "reach.views", "funnel.identified", "metric.comments".
WORDS: dict[str, str] = {
    "separators": ",.",  # Plotly's pair: decimal comma, thousands dot
    "empty": "Chưa có số liệu",
    # The live page
    "viewers": "Người xem",
    "viewers_title": "Người xem trực tiếp",
    "peak": "Đỉnh",
    "reactions_title": "Cảm xúc theo loại",
    "comments_title": "Bình luận mỗi phút",
    "comments": "Bình luận",
    "reaction.like": "Thích",
    "reaction.love": "Yêu thích",
    "reaction.care": "Thương thương",
    "reaction.haha": "Haha",
    "reaction.wow": "Wow",
    "reaction.sad": "Buồn",
    "reaction.angry": "Phẫn nộ",
    # A conference's live page
    "halls": "Điểm cầu đã kết nối",
    "halls_title": "Điểm cầu đã kết nối theo thời gian",
    "people": "Số người có mặt",
    "people_title": "Số người có mặt theo thời gian",
    # The channels' comparison and a campaign
    "enrolments_title": "Người tham gia mới theo kênh",
    "enrolments": "Người tham gia",
    "cost_title": "Chi phí / người tham gia (đồng)",
    "cost": "Đồng",
    "trend_title": "Người tham gia theo tháng",
    "reach_title": "Tiếp cận theo kênh — {kind}",
    "funnel_title": "Phễu chiến dịch",
    "progress_title": "Tiến độ so với chỉ tiêu",
    "cumulative": "Lũy kế",
    "goal": "Chỉ tiêu",
    "week": "Tuần",
    "channel.livestream": "Livestream",
    "channel.post": "Bài viết",
    "channel.online_conference": "Hội nghị trực tuyến",
    "channel.conference": "Hội nghị trực tiếp",
    "channel.small_group": "Truyền thông nhóm nhỏ",
    "channel.leaflet": "Tờ rơi",
    "channel.loudspeaker": "Loa truyền thanh",
    "channel.poster": "Áp phích",
    "reach.views": "Lượt xem",
    "reach.people": "Người có mặt",
    "reach.copies": "Bản phát",
    "reach.broadcasts": "Lượt phát",
    "funnel.unit": "Số người",
    "funnel.identified": "Người được định danh",
    "funnel.enrolled": "Người đã tham gia",
    # A finished livestream beside the earlier ones
    "comparison_title": "{metric}: buổi này và các buổi trước",  # the unit is said above it
    "median": "Trung vị các buổi trước",
    "metric.views": "Lượt xem",
    "metric.peak_viewers": "Người xem cùng lúc cao nhất",
    "metric.interactions": "Tương tác",
    "metric.comments": "Bình luận",
    "metric.leads": "Bình luận quan tâm",
    "metric.enrolments": "Lượt tham gia BHXH và BHYT được ghi công",
}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# An axis of counts: from zero, whole numbers with the locale's thousands separator.
COUNT_AXIS: dict[str, Any] = {"rangemode": "tozero", "tickformat": ",d"}


def local_time(value: datetime, tz: ZoneInfo) -> str:
    """Plotly has no time zones: hand it the wall-clock time of the display zone, no offset."""
    return value.astimezone(tz).strftime(TIME_FORMAT)


def count_text(value: int, words: Words) -> str:
    """A count written with the language's thousands separator (1.700; 1,700) for chart text."""
    return f"{int(value):,}".replace(",", words["separators"][1])


def layout(title: str, **extra: Any) -> dict[str, Any]:
    """The common layout: compact margins, system font, no mode bar clutter, fixed height."""
    base: dict[str, Any] = {
        "title": {"text": title, "font": {"size": 16}},
        "font": {"family": FONT, "color": INK, "size": 13},
        "margin": {"l": 64, "r": 24, "t": 40, "b": 48},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        "xaxis": {"gridcolor": GRID, "automargin": True},
        "yaxis": {**COUNT_AXIS, "gridcolor": GRID, "automargin": True},
    }
    base.update(extra)
    return base


def empty_note(words: Words) -> dict[str, Any]:
    """The annotation an empty chart shows instead of a blank frame."""
    return {
        "text": words["empty"],
        "showarrow": False,
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "font": {"size": 15, "color": MUTED},
    }


def show_empty(layout: dict[str, Any], words: Words) -> dict[str, Any]:
    """Make ``layout`` an empty chart: the note instead of axes ("−1 −1 0 1 1", "0.95T").

    The page script shows the axes again and drops the note when the first data arrives.
    """
    layout["annotations"] = [empty_note(words)]
    for name in ("xaxis", "yaxis"):
        layout[name] = {**layout.get(name, {}), "visible": False}
    return layout
