"""The "after the livestream" section's words: a median of people is whole, a rank of all-0
figures is a dash (the tour found "372,5" viewers and a 0-vs-0 tie ranked "1/3")."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from app.reports.after_livestream import DASH, median_text, rank_text
from app.reports.livestream_compare import compare_metric
from tests.app.test_labels import compiled_catalog  # noqa: F401  (the .po's words, compiled)


def test_a_median_of_people_is_whole_and_enrolments_keep_their_halves(app: Flask) -> None:
    with app.test_request_context(), force_locale("vi"):
        assert median_text("peak_viewers", 372.5) == "373"
        assert median_text("views", 1700.4) == "1.700"
        assert median_text("enrolments", 2.5) == "2,5"
        assert median_text("views", None) == DASH


def test_all_zero_reads_a_dash_and_a_shared_rank_reads_as_shared(app: Flask) -> None:
    with app.test_request_context(), force_locale("vi"):
        assert rank_text(compare_metric("leads", 0, [0, 0])) == DASH
        assert rank_text(compare_metric("leads", 3, [3, 1])) == "1/3"
