"""Shared look of every figure: colours, fonts and the Vietnamese labels charts carry.

Chart titles and labels are Vietnamese whatever the page language: they are read on projectors in
the offices, and plotly.js has no message catalogue of ours to translate from. Numbers and dates on
the axes follow the page's Plotly locale (``app/static/js/charts.js``: "vi" gives 1.700, 0,62 and
"03/12/2026"). Count axes carry ``tickformat ",d"``, which the page script also reads as "whole
steps only"; an empty figure hides its axes and says so in words.
"""

from __future__ import annotations

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
REACTION_LABELS = {
    "like": "Thích",
    "love": "Yêu thích",
    "care": "Thương thương",
    "haha": "Haha",
    "wow": "Wow",
    "sad": "Buồn",
    "angry": "Phẫn nộ",
}
REACTION_COLOURS = {
    "like": "#1877f2",
    "love": "#e0245e",
    "care": "#f7b125",
    "haha": "#f7b125",
    "wow": "#f7b125",
    "sad": "#f7b125",
    "angry": "#e9710f",
}
LABELS = {
    "viewers": "Người xem",
    "viewers_title": "Người xem trực tiếp",
    "peak": "Đỉnh",
    "reactions_title": "Cảm xúc theo loại",
    "comments_title": "Bình luận mỗi phút",
    "comments": "Bình luận",
    "time": "Giờ",
    "empty": "Chưa có số liệu",
    "halls": "Điểm cầu đã kết nối",
    "halls_title": "Điểm cầu đã kết nối theo thời gian",
    "people": "Người có mặt",
    "people_title": "Người có mặt theo thời gian",
    "expected": "Dự kiến",
}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# An axis of counts: from zero, whole numbers with the locale's thousands separator.
COUNT_AXIS: dict[str, Any] = {"rangemode": "tozero", "tickformat": ",d"}


def local_time(value: datetime, tz: ZoneInfo) -> str:
    """Plotly has no time zones: hand it the wall-clock time of the display zone, no offset."""
    return value.astimezone(tz).strftime(TIME_FORMAT)


def count_text(value: int) -> str:
    """A count written the Vietnamese way (1.700) for text drawn on a chart."""
    return f"{int(value):,}".replace(",", ".")


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


def empty_note() -> dict[str, Any]:
    """The annotation an empty chart shows instead of a blank frame."""
    return {
        "text": LABELS["empty"],
        "showarrow": False,
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "font": {"size": 15, "color": MUTED},
    }


def show_empty(layout: dict[str, Any]) -> dict[str, Any]:
    """Make ``layout`` an empty chart: the note instead of axes ("−1 −1 0 1 1", "0.95T").

    The page script shows the axes again and drops the note when the first data arrives.
    """
    layout["annotations"] = [empty_note()]
    for name in ("xaxis", "yaxis"):
        layout[name] = {**layout.get(name, {}), "visible": False}
    return layout
