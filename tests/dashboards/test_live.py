"""The live page's figures: trace types and order (the page's script relies on them), axis values
in Hà Nội wall-clock time, the peak marked at its first occurrence, and empty data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from app.timeparse import VN
from dashboards import live, theme

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 20:00 in Hà Nội


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_viewers_line_in_local_time_with_the_first_peak_marked() -> None:
    fig = live.viewers_figure([(at(0), 10), (at(5), 42), (at(10), 30), (at(15), 42)], tz=VN)
    line, peak = fig["data"]
    assert (line["type"], line["mode"]) == ("scatter", "lines")
    assert line["x"] == [
        "2026-11-25 20:00:00",
        "2026-11-25 20:00:05",
        "2026-11-25 20:00:10",
        "2026-11-25 20:00:15",
    ]
    assert line["y"] == [10, 42, 30, 42]
    assert peak["type"] == "scatter"
    assert "markers" in peak["mode"]
    assert (peak["x"], peak["y"]) == (["2026-11-25 20:00:05"], [42])
    assert peak["text"] == ["Đỉnh: 42"]
    assert fig["layout"]["xaxis"]["type"] == "date"
    assert "annotations" not in fig["layout"]


def test_reactions_bars_in_fixed_order_with_zeros() -> None:
    fig = live.reactions_figure({"love": 3, "like": 10, "total": 13})
    (bar,) = fig["data"]
    assert bar["type"] == "bar"
    assert bar["customdata"] == list(theme.REACTION_ORDER)
    assert bar["x"][:2] == ["Thích", "Yêu thích"]
    assert bar["y"] == [10, 3, 0, 0, 0, 0, 0]
    assert len(bar["marker"]["color"]) == len(bar["x"])


def test_a_short_reaction_bar_shows_its_number_above_it() -> None:
    """Not "auto" (inside when it fits, clipped in a short bar): above every bar, unclipped."""
    (bar,) = live.reactions_figure({"like": 1700, "love": 3})["data"]
    assert bar["text"] == ["1.700", "3", "", "", "", "", ""]  # a zero bar: no bar, no number
    assert bar["textposition"] == "outside"
    assert bar["cliponaxis"] is False


def test_comments_per_minute_bars() -> None:
    fig = live.comments_per_minute_figure([(at(0), 4), (at(120), 1)], tz=VN)
    (bar,) = fig["data"]
    assert bar["type"] == "bar"
    assert bar["x"] == ["2026-11-25 20:00:00", "2026-11-25 20:02:00"]
    assert bar["y"] == [4, 1]
    assert fig["layout"]["title"]["text"] == "Bình luận mỗi phút"
    assert fig["layout"]["xaxis"]["tickformat"] == "%H:%M"  # whole minutes, never "…:59.9995"


def test_empty_data_gives_empty_traces_and_a_note() -> None:
    figures = [
        live.viewers_figure([], tz=VN),
        live.reactions_figure({}),
        live.comments_per_minute_figure([], tz=VN),
    ]
    for fig in figures:
        assert fig["layout"]["annotations"][0]["text"] == "Chưa có số liệu"
        # No axes to read ("−1 −1 0 1 1", "0.95T"): the note says why; data brings them back.
        assert fig["layout"]["xaxis"]["visible"] is False
        assert fig["layout"]["yaxis"]["visible"] is False
    line, peak = figures[0]["data"]
    assert line["x"] == line["y"] == peak["x"] == peak["y"] == []
    assert figures[1]["data"][0]["y"] == [0] * 7
    assert figures[2]["data"][0]["x"] == []
    drawn = live.viewers_figure([(at(0), 1)], tz=VN)["layout"]
    assert "visible" not in drawn["xaxis"]
    assert "visible" not in drawn["yaxis"]
    assert "annotations" not in drawn


def test_count_axes_are_whole_numbers_from_zero_and_texts_use_dots() -> None:
    figures = [
        live.viewers_figure([(at(0), 1700)], tz=VN),
        live.reactions_figure({"like": 1700}),
        live.comments_per_minute_figure([(at(0), 2)], tz=VN),
    ]
    for fig in figures:
        assert fig["layout"]["yaxis"]["tickformat"] == ",d"
        assert fig["layout"]["yaxis"]["rangemode"] == "tozero"
    assert figures[0]["data"][1]["text"] == ["Đỉnh: 1.700"]
    assert figures[1]["data"][0]["text"][0] == "1.700"


def test_figures_are_plain_json() -> None:
    fig = live.viewers_figure([(at(0), 1)], tz=VN)
    assert json.loads(json.dumps(fig)) == fig


def test_dashboards_never_import_flask() -> None:
    import subprocess
    import sys

    code = "import sys, dashboards.live; print('flask' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
