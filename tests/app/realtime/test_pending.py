"""A burst of web-request publishes names the halls it moved only when it is all check-ins that
each named their hall: then the delta moves the kept board by those halls (app.live.board);
any other publish in the burst (an assignment, an organiser's entry without a hall) reads the
board whole."""

from __future__ import annotations

from app.realtime import checked_in


def test_a_burst_of_check_ins_names_its_halls_once_each() -> None:
    assert checked_in([("checkin", 3), ("checkin", 7), ("checkin", 3)]) == {3, 7}


def test_any_other_publish_in_the_burst_reads_the_board_whole() -> None:
    assert checked_in([("checkin", 3), ("assignment", None)]) == set()
    assert checked_in([("checkin", 3), ("checkin", None)]) == set()
    assert checked_in([("status", 3)]) == set()
