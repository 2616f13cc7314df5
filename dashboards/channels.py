"""Figures of the managers' comparison: channels side by side, the trend by month, a campaign.

Rows in (the dicts of ``Figures.as_dict()``: channel, reach, reach_kind, enrolments, …), plain
Plotly figure dicts out. Reach is only ever drawn for one ``reach_kind`` per figure: views,
people, copies and broadcasts are different things and share no axis. Numbers take the separators
of the page's Plotly locale (1.700 and 0,5 in Vietnamese), so the layout sets no ``separators``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from dashboards import theme

Row = Mapping[str, Any]
CHANNEL_COLOURS = {
    "livestream": "#0b6e4f",
    "post": "#2563eb",
    "online_conference": "#7c3aed",
    "conference": "#b45309",
    "small_group": "#be185d",
    "leaflet": "#64748b",
    "loudspeaker": "#0e7490",
    "poster": "#a16207",
}
# Each channel has its own marker and dash, so lines that meet or cross stay apart; channels of
# the same figures every month are one line named by all of them (``trend_figure``).
CHANNEL_STROKES = {
    "livestream": ("circle", "solid"),
    "post": ("square", "solid"),
    "online_conference": ("diamond", "dash"),
    "conference": ("triangle-up", "dot"),
    "small_group": ("x", "dashdot"),
    "leaflet": ("cross", "longdash"),
    "loudspeaker": ("star", "longdashdot"),
    "poster": ("hexagon", "dot"),
}
EMPTY_HEIGHT = 150  # px: the title and the "no data yet" note
# The funnel's stages, all counting people, each among the one before: the people identified at
# the campaign's events, then those of them whose new enrolment is attributed to the events.
# Views, interactions and people present are other units (or other people) and stay out of it.
FUNNEL_STAGES = ("identified", "enrolled")


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return theme.layout(title, **extra)


def _label(channel: str, words: theme.Words) -> str:
    return words.get(f"channel.{channel}", channel)


def _bar(
    rows: Sequence[Row], key: str, name: str, words: theme.Words, *, decimals: int = 0
) -> dict[str, Any]:
    values = [row.get(key) for row in rows]
    return {
        "type": "bar",
        "name": name,
        "x": [_label(row["channel"], words) for row in rows],
        "y": [v if v is not None else 0 for v in values],
        "customdata": [row["channel"] for row in rows],
        "marker": {"color": [CHANNEL_COLOURS.get(row["channel"], theme.BRAND) for row in rows]},
        "texttemplate": f"%{{y:,.{decimals}f}}",
        "textposition": "auto",
    }


def _with_empty(figure: dict[str, Any], empty: bool, words: theme.Words) -> dict[str, Any]:
    """An empty figure says so in a short box: a report page is drawn once, nothing will fill
    it, and four 450 px blanks would push the tables below out of sight."""
    if empty:
        theme.show_empty(figure["layout"], words)
        figure["layout"]["height"] = EMPTY_HEIGHT
    return figure


def enrolments_figure(rows: Sequence[Row], *, words: theme.Words = theme.WORDS) -> dict[str, Any]:
    """Enrolments attributed per channel (offline channels identify nobody: left out)."""
    online = [r for r in rows if r.get("enrolments") is not None]
    bar = _bar(online, "enrolments", words["enrolments"], words, decimals=0)
    figure = {"data": [bar], "layout": _layout(words["enrolments_title"])}
    return _with_empty(figure, not any(bar["y"]), words)


def cost_per_enrolment_figure(
    rows: Sequence[Row], *, words: theme.Words = theme.WORDS
) -> dict[str, Any]:
    """Cost per enrolment per channel; channels without enrolments, or without any cost entered,
    get no bar, not a zero."""
    priced = [r for r in rows if r.get("cost_per_enrolment") is not None]
    bar = _bar(priced, "cost_per_enrolment", words["cost"], words)
    figure = {"data": [bar], "layout": _layout(words["cost_title"])}
    return _with_empty(figure, not priced, words)


def reach_figure(
    rows: Sequence[Row], kind: str, *, words: theme.Words = theme.WORDS
) -> dict[str, Any]:
    """Reach of the channels whose reach counts ``kind`` — and only those."""
    name = words.get(f"reach.{kind}")
    if name is None:  # reach kinds are the app's (reports.facts), each named in words
        raise ValueError(f"kind: no words for {kind!r}")
    same = [r for r in rows if r["reach_kind"] == kind]
    bar = _bar(same, "reach", name, words)
    title = words["reach_title"].format(kind=name.lower())
    figure = {"data": [bar], "layout": _layout(title)}
    return _with_empty(figure, not any(bar["y"]), words)


def trend_figure(
    months: Sequence[tuple[date, Row]], *, words: theme.Words = theme.WORDS
) -> dict[str, Any]:
    """Enrolments by month, one line per channel that has any, in the channels' order.

    Channels with the same figures every month are one line named by all of them: two lines
    drawn on one another showed one line under two names, whatever their markers and dashes.
    """
    by_channel: dict[str, dict[date, float]] = {}
    for month, row in months:
        if row.get("enrolments") is None:
            continue
        by_channel.setdefault(row["channel"], {})[month] = float(row["enrolments"])
    all_months = sorted({m for m, _ in months})
    x = [m.strftime("%Y-%m-01") for m in all_months]
    order = list(CHANNEL_COLOURS)
    lines: dict[tuple[float, ...], list[str]] = {}
    for channel in sorted(by_channel, key=lambda c: order.index(c) if c in order else len(order)):
        y = tuple(by_channel[channel].get(m, 0.0) for m in all_months)
        if any(y):
            lines.setdefault(y, []).append(channel)
    traces = []
    for y, named in lines.items():
        first = named[0]
        symbol, dash = CHANNEL_STROKES.get(first, ("circle", "solid"))
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": ", ".join(_label(c, words) for c in named),
                "x": x,
                "y": list(y),
                "line": {
                    "color": CHANNEL_COLOURS.get(first, theme.BRAND),
                    "width": 2,
                    "dash": dash,
                },  # fmt: skip
                "marker": {"symbol": symbol, "size": 9},
            }
        )
    extra = {
        "showlegend": True,
        "hovermode": "x unified",  # every channel's figure of the month, also where lines meet
        "xaxis": {"type": "date", "tickformat": "%m/%Y", "dtick": "M1", "gridcolor": theme.GRID},
    }
    figure = {"data": traces, "layout": _layout(words["trend_title"], **extra)}
    # The legend in lines under the plot: beside it, a line named by two channels took half a
    # phone's width; above it, several lines of names ran into the title.
    figure["layout"]["legend"] = {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"}
    return _with_empty(figure, not traces, words)


def funnel_figure(
    stages: Mapping[str, float], *, words: theme.Words = theme.WORDS
) -> dict[str, Any]:
    """People identified → people who joined, one unit (people), each stage among the one before.

    Other keys of ``stages`` (views, interactions: other units) are not drawn: a bar of views
    above a bar of people would read as if the people were some of the views. Drawn as
    horizontal bars, widest at the top: the vendored plotly-basic has no funnel trace.
    """
    keys = [k for k in FUNNEL_STAGES if k in stages]
    trace = {
        "type": "bar",
        "orientation": "h",
        "name": words["funnel.unit"],
        "y": [words[f"funnel.{k}"] for k in keys],
        "x": [stages[k] for k in keys],
        "customdata": keys,
        "texttemplate": "%{x:,.0f}",
        "textposition": "auto",
        "marker": {"color": theme.BRAND},
    }
    figure = {"data": [trace], "layout": _layout(words["funnel_title"])}
    figure["layout"]["yaxis"] = {"automargin": True, "autorange": "reversed"}
    figure["layout"]["xaxis"] = {
        **figure["layout"]["xaxis"],
        **theme.COUNT_AXIS,
        "title": {"text": words["funnel.unit"]},
    }
    return _with_empty(figure, not any(trace["x"]), words)


def progress_figure(
    weeks: Sequence[tuple[date, int]], goal: int, *, words: theme.Words = theme.WORDS
) -> dict[str, Any]:
    """Cumulative new enrolments by week (Monday of each week) against the campaign goal."""
    x = [w.isoformat() for w, _ in weeks]
    running, y = 0, []
    for _, n in weeks:
        running += int(n)
        y.append(running)
    traces: list[dict[str, Any]] = [
        {"type": "bar", "name": words["week"], "x": x, "y": [int(n) for _, n in weeks],
         "marker": {"color": "rgba(11,110,79,0.35)"}},
        {"type": "scatter", "mode": "lines+markers", "name": words["cumulative"], "x": x,
         "y": y, "line": {"color": theme.BRAND, "width": 3}},
    ]  # fmt: skip
    if goal > 0 and x:
        traces.append({"type": "scatter", "mode": "lines", "name": words["goal"],
                       "x": [x[0], x[-1]], "y": [goal, goal],
                       "line": {"color": theme.PEAK, "dash": "dash"}})  # fmt: skip
    extra = {"showlegend": True, "xaxis": {"type": "date", "tickformat": "%d/%m/%Y",
                                           "gridcolor": theme.GRID}}  # fmt: skip
    figure = {"data": traces, "layout": _layout(words["progress_title"], **extra)}
    # The legend in a line above the plot, not beside it: on a phone it took half the width.
    figure["layout"]["legend"] = {"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom"}
    figure["layout"]["margin"] = {**figure["layout"]["margin"], "t": 72}
    return _with_empty(figure, not weeks, words)
