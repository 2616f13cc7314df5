"""A livestream far below its office's median reads as a percentage, never as "0 lần".

The tour's monthly report showed 2 views against a median of 1.700 as "0 lần": one decimal of
times rounds 0,0012 to nothing. A ratio that would round to 0 is written as a percentage of the
median (0,1 %), one below a tenth of a percent as "dưới 0,1 %"; 0 stays 0.
"""

from __future__ import annotations

import pytest

from app.formatting import ratio_form
from app.reports.after_livestream import ratio_text


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        (2 / 1700, "0,1 %"),
        (0.04, "4,0 %"),
        (0.0001, "dưới 0,1 %"),
        (0.05, "0,1 lần"),
        (1.44, "1,4 lần"),
        (4.2, "4,2 lần"),
        (0.0, "0 lần"),
        (None, "—"),
    ],
)
def test_the_page_writes_small_ratios_as_percentages(app, ratio, shown) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "vi"}):
        assert ratio_text(ratio) == shown


def test_no_non_zero_ratio_reads_as_zero_times() -> None:
    for ratio in (1e-9, 0.0004, 0.001, 0.01, 0.049):
        kind, value = ratio_form(ratio)
        assert kind != "times", ratio
        assert value > 0, ratio
