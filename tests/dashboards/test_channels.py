"""Figures of the channel comparison: built from hand-made rows, never mixing reach kinds."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards import channels

ROWS = [
    {"channel": "livestream", "reach": 1700, "reach_kind": "views", "enrolments": 2.0,
     "cost_per_enrolment": 1_500_000},
    {"channel": "post", "reach": 400, "reach_kind": "views", "enrolments": 0.0,
     "cost_per_enrolment": None},
    {"channel": "online_conference", "reach": 932, "reach_kind": "people", "enrolments": 446.0,
     "cost_per_enrolment": 11_211},
    {"channel": "leaflet", "reach": 500, "reach_kind": "copies", "enrolments": None,
     "cost_per_enrolment": None},
]  # fmt: skip


def test_reach_figure_holds_one_kind_only() -> None:
    views = channels.reach_figure(ROWS, "views")
    assert views["data"][0]["customdata"] == ["livestream", "post"]
    assert views["data"][0]["y"] == [1700, 400]
    people = channels.reach_figure(ROWS, "people")
    assert people["data"][0]["y"] == [932]
    assert "người có mặt" in people["layout"]["title"]["text"]
    with pytest.raises(ValueError, match="kind"):
        channels.reach_figure(ROWS, "mixed")


def test_enrolments_and_cost_leave_out_what_has_no_figure() -> None:
    figure = channels.enrolments_figure(ROWS)
    assert figure["data"][0]["x"] == ["Livestream", "Bài viết", "Hội nghị trực tuyến"]
    # 1.700 and 0,5 come from the page's Plotly locale, not fixed in the figure.
    assert "separators" not in figure["layout"]
    assert figure["layout"]["yaxis"]["tickformat"] == ",d"
    cost = channels.cost_per_enrolment_figure(ROWS)
    assert cost["data"][0]["customdata"] == ["livestream", "online_conference"]
    assert cost["data"][0]["y"] == [1_500_000, 11_211]


def test_trend_has_one_line_per_channel_with_enrolments() -> None:
    months = [(date(2026, 9, 1), ROWS[0]), (date(2026, 10, 1), ROWS[2]),
              (date(2026, 10, 1), ROWS[3])]  # fmt: skip
    figure = channels.trend_figure(months)
    names = [t["name"] for t in figure["data"]]
    assert names == ["Livestream", "Hội nghị trực tuyến"]
    assert figure["data"][0]["x"] == ["2026-09-01", "2026-10-01"]
    assert figure["data"][0]["y"] == [2.0, 0.0]
    assert figure["data"][1]["y"] == [0.0, 446.0]


def test_channels_with_the_same_trend_are_one_line_naming_them() -> None:
    """Two conference channels with the same figures each month drew one line over the other
    (a tour saw one line and two names, even with a marker and dash of each): channels of the
    same figures are drawn once, the line named by all of them; a different one keeps its own."""
    months = [
        (date(2026, m, 1), {"channel": channel, "enrolments": n})
        for m, figures in ((11, (11, 11, 4)), (12, (0, 0, 2)))
        for channel, n in zip(
            ("online_conference", "conference", "livestream"), figures, strict=True
        )  # fmt: skip
    ]
    figure = channels.trend_figure(months)
    lines = [(t["name"], t["y"]) for t in figure["data"]]
    assert lines == [
        ("Livestream", [4.0, 2.0]),
        ("Hội nghị trực tuyến, Hội nghị trực tiếp", [11.0, 0.0]),
    ]
    strokes = [(t["marker"]["symbol"], t["line"]["dash"]) for t in figure["data"]]
    assert len(set(strokes)) == len(strokes)
    assert figure["layout"]["hovermode"] == "x unified"
    assert figure["layout"]["legend"]["orientation"] == "h"  # under: not half a phone's width


# What each figure of a campaign counts, and which set of people a stage is taken from: the
# funnel may only draw one unit, each stage among the one before (views are plays, not people).
UNIT = {"reach": "views", "views": "views", "engaged": "interactions",
        "interactions": "interactions", "attended": "people present", "present": "people present",
        "identified": "people", "called": "people", "enrolled": "people"}  # fmt: skip
TAKEN_FROM = {"called": "identified", "enrolled": "identified"}


def test_the_funnel_draws_nested_stages_of_one_unit() -> None:
    everything = {"reach": 7100, "views": 7100, "engaged": 116, "interactions": 116,
                  "attended": 45, "present": 45, "identified": 7, "called": 3,
                  "enrolled": 3}  # fmt: skip
    trace = channels.funnel_figure(everything)["data"][0]
    stages = trace["customdata"]
    assert len(stages) >= 2
    assert {UNIT[s] for s in stages} == {"people"}
    for before, after in zip(stages, stages[1:], strict=False):
        assert TAKEN_FROM.get(after) == before, f"{after} is not among {before}"
    assert trace["x"] == sorted(trace["x"], reverse=True)
    assert trace["y"] == ["Người được định danh", "Người đã tham gia"]
    assert trace["x"] == [7, 3]


def test_the_funnel_says_its_unit_and_progress_adds_up() -> None:
    funnel = channels.funnel_figure({"identified": 7, "enrolled": 3})
    assert funnel["layout"]["xaxis"]["title"]["text"] == "Số người"
    progress = channels.progress_figure([(date(2026, 9, 28), 1), (date(2026, 10, 5), 3)], 10)
    assert progress["data"][1]["y"] == [1, 4]  # cumulative
    assert progress["data"][2]["y"] == [10, 10]


def test_empty_figures_say_so() -> None:
    empty = (
        channels.enrolments_figure([]),
        channels.trend_figure([]),
        channels.progress_figure([], 0),
        channels.reach_figure([], "views"),
    )
    for figure in empty:
        assert figure["layout"]["annotations"][0]["text"] == "Chưa có số liệu"
        assert figure["layout"]["xaxis"]["visible"] is False
        assert figure["layout"]["yaxis"]["visible"] is False
        assert figure["layout"]["height"] == channels.EMPTY_HEIGHT  # a short box, not a blank
    assert "height" not in channels.enrolments_figure(ROWS)["layout"]
