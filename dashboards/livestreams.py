"""The finished livestream beside the office's earlier ones: one bar per livestream, pure.

Points in (oldest first: the day as dd/mm/yyyy, the title, the value, whether it is this one),
a Plotly figure dict out. This livestream's bar is coloured, the earlier ones grey, and the
earlier ones' median is a dashed line. A value a platform did not report (``None``) draws no bar
rather than a zero one; the median of nothing draws no line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dashboards import theme

EARLIER = "#9aa7b4"


def comparison_figure(
    points: Sequence[Mapping[str, Any]],
    metric: str,
    median: float | None,
    *,
    words: theme.Words = theme.WORDS,
) -> dict[str, Any]:
    """Bars of ``metric`` per livestream (x: day; hover: title) and the earlier ones' median."""
    label = words.get(f"metric.{metric}")
    if label is None:  # the metrics are the app's (reports.livestream_compare), named in words
        raise ValueError(f"metric: no words for {metric!r}")
    title = words["comparison_title"].format(metric=label)
    layout = theme.layout(title, separators=words["separators"], height=260)
    layout["yaxis"] = {**layout["yaxis"], "tickformat": ",d" if metric != "enrolments" else ""}
    layout["xaxis"] = {**layout["xaxis"], "type": "category"}
    if not points:
        layout["annotations"] = [theme.empty_note(words)]
        return {"data": [], "layout": layout}
    # Two livestreams on one day stay two bars, told apart by their start time ("07/12/2026
    # 05:38"); the same day and time twice, by their order too ("(2)" said nothing alone).
    x = [_category(points, p, n) for n, p in enumerate(points, 1)]
    bars = {
        "type": "bar",
        "name": label,
        "x": x,
        "y": [p["value"] for p in points],
        "text": [p["title"] for p in points],
        "hovertemplate": "%{text}<br>%{x}: %{y}<extra></extra>",
        "marker": {"color": [theme.BRAND if p["current"] else EARLIER for p in points]},
        "showlegend": False,  # this one and the earlier ones: the caption under the chart
    }
    data: list[dict[str, Any]] = [bars]
    if median is not None and len(points) > 1:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": words["median"],
                "x": x,
                "y": [median] * len(x),
                "line": {"color": theme.PEAK, "dash": "dash", "width": 2},
                "hovertemplate": f"{words['median']}: %{{y:,.0f}}<extra></extra>",
                "showlegend": True,  # the dashed line says what it is
            }
        )
        layout["showlegend"] = True
        layout["legend"] = {"orientation": "h", "y": -0.25, "x": 0}
    bars["textposition"] = "none"
    return {"data": data, "layout": layout}


def _category(points: Sequence[Mapping[str, Any]], point: Mapping[str, Any], n: int) -> str:
    day, time = point["day"], point.get("time") or ""
    if not _repeated(points, day):
        return day
    label = f"{day} {time}".strip()
    same = sum(1 for p in points if p["day"] == day and (p.get("time") or "") == time)
    return f"{label} ({n})" if same > 1 or not time else label


def _repeated(points: Sequence[Mapping[str, Any]], day: str) -> bool:
    return sum(1 for p in points if p["day"] == day) > 1
