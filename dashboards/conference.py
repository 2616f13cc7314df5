"""Figures of a conference's live page: halls connected and people present over time.

Rows in (``[time, halls connected, people present]`` of each moment one of them moved), plain
Plotly figure dicts out. The page's script grows trace 0 in place as deltas come; the expected
total is a dashed line (layout shape 0) it moves when the halls' expectations change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dashboards import theme
from dashboards.theme import WORDS, Words

HallPoint = tuple[datetime, int, int]
Points = Sequence[HallPoint]
Figure = dict[str, Any]


def halls_figure(points: Points, expected: int, *, tz: ZoneInfo, words: Words = WORDS) -> Figure:
    """Halls connected over time against the halls expected."""
    return _step_figure(points, 1, expected, ("halls", theme.HALLS), tz, words)


def people_figure(points: Points, expected: int, *, tz: ZoneInfo, words: Words = WORDS) -> Figure:
    """People present (the halls' latest head counts added up) against the people expected."""
    return _step_figure(points, 2, expected, ("people", theme.BRAND), tz, words)


def _step_figure(
    points: Sequence[HallPoint],
    column: int,
    expected: int,
    look: tuple[str, str],
    tz: ZoneInfo,
    words: theme.Words,
) -> dict[str, Any]:
    key, colour = look
    x = [theme.local_time(p[0], tz) for p in points]
    y = [int(p[column]) for p in points]
    line = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": words[key],
        "x": x,
        "y": y,
        "line": {"color": colour, "width": 3, "shape": "hv"},
        "marker": {"size": 5},
    }
    goal = {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": expected,
        "y1": expected,
        "line": {"color": theme.MUTED, "width": 2, "dash": "dash"},
    }
    # Shapes count in Plotly's autorange, so the expected line is always in view.
    extra: dict[str, Any] = {"xaxis": {"type": "date", "gridcolor": theme.GRID}, "shapes": [goal]}
    figure_layout = theme.layout(words[key + "_title"], **extra)
    return {
        "data": [line],
        "layout": theme.show_empty(figure_layout, words) if not y else figure_layout,
    }
