"""The livestream comparison chart: bars per livestream, this one coloured, the median dashed."""

from __future__ import annotations

import json

from dashboards import theme
from dashboards.livestreams import EARLIER, comparison_figure


def _points(values: list[int | None]) -> list[dict]:
    return [
        {"day": f"0{n}/11/2026", "title": f"Buổi {n}", "value": v, "current": n == len(values)}
        for n, v in enumerate(values, 1)
    ]


def test_bars_highlight_this_one_and_draw_the_median() -> None:
    fig = comparison_figure(_points([48, 100, 12, 124]), "interactions", 48.0)
    bars, line = fig["data"]
    assert bars["y"] == [48, 100, 12, 124]
    assert bars["marker"]["color"] == [EARLIER, EARLIER, EARLIER, theme.BRAND]
    assert line["y"] == [48.0] * 4
    assert line["line"]["dash"] == "dash"
    assert fig["layout"]["separators"] == ",."
    assert "Tương tác" in fig["layout"]["title"]["text"]


def test_unreported_values_and_no_median_draw_nothing_not_zero() -> None:
    fig = comparison_figure(_points([None, 500]), "views", None)
    assert len(fig["data"]) == 1  # no median line
    assert fig["data"][0]["y"] == [None, 500]
    text = json.dumps(fig, allow_nan=False)  # no NaN/Infinity can reach the page
    assert "NaN" not in text


def test_one_day_twice_stays_two_bars_and_empty_has_a_note() -> None:
    points = _points([1, 2])
    points[1]["day"] = points[0]["day"]
    assert len(set(comparison_figure(points, "comments", 1.0)["data"][0]["x"])) == 2
    empty = comparison_figure([], "leads", None)
    assert empty["data"] == []
    assert empty["layout"]["annotations"][0]["text"] == theme.WORDS["empty"]


def test_two_on_one_day_are_told_apart_by_their_start_and_the_line_has_a_legend() -> None:
    """The tour found "07/12/2026 (2)", "(3)" on the axis and an unexplained dashed line."""
    points = _points([5, 0, 0])
    for p, time in zip(points, ("05:38", "14:00", "20:00"), strict=True):
        p["day"], p["time"] = "07/12/2026", time
    fig = comparison_figure(points, "comments", 0.0)
    bars, line = fig["data"]
    assert bars["x"] == ["07/12/2026 05:38", "07/12/2026 14:00", "07/12/2026 20:00"]
    assert not bars["showlegend"]
    assert line["showlegend"]
    assert line["name"] == "Trung vị các buổi trước"
    assert fig["layout"]["showlegend"]
    points[1]["time"] = points[0]["time"]  # the same day and time twice: their order too
    assert len(set(comparison_figure(points, "comments", 0.0)["data"][0]["x"])) == 3
