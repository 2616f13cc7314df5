"""Figures of the live page: viewers over time with the peak, reactions by type, comments a minute.

Rows in, plain Plotly figure dicts out. The page embeds them as JSON on first render and its
script grows the same traces in place, so trace order is part of the contract with
``app/static/js/live.js``: the viewers figure has the line as trace 0 and the peak marker as
trace 1 (named with the words' "peak", which the script writes again beside each new peak); the
other two figures have one bar trace each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dashboards import theme

Point = tuple[datetime, int]


def viewers_figure(
    points: Sequence[Point], *, tz: ZoneInfo, words: theme.Words = theme.WORDS
) -> dict[str, Any]:
    """Live viewers summed over the event's targets, with the highest point marked."""
    x = [theme.local_time(t, tz) for t, _ in points]
    y = [int(n) for _, n in points]
    peak_x: list[str] = []
    peak_y: list[int] = []
    peak_text: list[str] = []
    if y:
        i = max(range(len(y)), key=lambda k: (y[k], -k))  # the first time the peak was reached
        peak_x, peak_y, peak_text = (
            [x[i]],
            [y[i]],
            [f"{words['peak']}: {theme.count_text(y[i], words)}"],
        )
    line = {
        "type": "scatter",
        "mode": "lines",
        "name": words["viewers"],
        "x": x,
        "y": y,
        "line": {"color": theme.BRAND, "width": 3, "shape": "hv"},
        "fill": "tozeroy",
        "fillcolor": "rgba(11,110,79,0.12)",
    }
    peak = {
        "type": "scatter",
        "mode": "markers+text",
        "name": words["peak"],
        "x": peak_x,
        "y": peak_y,
        "text": peak_text,
        "textposition": "top center",
        "marker": {"color": theme.PEAK, "size": 12, "symbol": "star"},
        "cliponaxis": False,
    }
    extra: dict[str, Any] = {"xaxis": {"type": "date", "gridcolor": theme.GRID}}
    figure_layout = theme.layout(words["viewers_title"], **extra)
    return {
        "data": [line, peak],
        "layout": theme.show_empty(figure_layout, words) if not y else figure_layout,
    }


def reactions_figure(
    reactions: Mapping[str, int], *, words: theme.Words = theme.WORDS
) -> dict[str, Any]:
    """One bar per reaction type in a fixed order, zero bars included (the types never move)."""
    kinds = theme.REACTION_ORDER
    values = [int(reactions.get(k, 0) or 0) for k in kinds]
    bar = {
        "type": "bar",
        "name": words["reactions_title"],
        "x": [words[f"reaction.{k}"] for k in kinds],
        "y": values,
        "marker": {"color": [theme.REACTION_COLOURS[k] for k in kinds]},
        "text": [theme.count_text(v, words) if v else "" for v in values],  # no bar, no number
        # Above each bar, never inside: a short bar ("3" beside "1.700") has no room for its number,
        # and drawn past the plot's edge rather than clipped.
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": list(kinds),
    }
    figure_layout = theme.layout(words["reactions_title"])
    return {
        "data": [bar],
        "layout": figure_layout if any(values) else theme.show_empty(figure_layout, words),
    }


def comments_per_minute_figure(
    points: Sequence[Point], *, tz: ZoneInfo, words: theme.Words = theme.WORDS
) -> dict[str, Any]:
    """Comments received in each minute; minutes without comments are simply absent."""
    x = [theme.local_time(t, tz) for t, _ in points]
    y = [int(n) for _, n in points]
    bar = {
        "type": "bar",
        "name": words["comments"],
        "x": x,
        "y": y,
        "marker": {"color": theme.COMMENTS},
    }
    # Whole minutes on the axis (the page script steps a short one by the minute).
    minutes = {
        "type": "date",
        "gridcolor": theme.GRID,
        "tickformat": "%H:%M",
        "hoverformat": "%H:%M",
    }
    extra: dict[str, Any] = {"xaxis": minutes, "bargap": 0.1}
    figure_layout = theme.layout(words["comments_title"], **extra)
    return {
        "data": [bar],
        "layout": theme.show_empty(figure_layout, words) if not y else figure_layout,
    }
