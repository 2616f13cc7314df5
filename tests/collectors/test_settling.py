"""The settling reads of a finished live: at the end, +1 h, +24 h, +7 days, counted from the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collectors.settling import SETTLING_READS, due_reads

END = datetime(2026, 8, 20, 21, 0, tzinfo=UTC)  # a live that ended at 04:00 in Hà Nội


def test_the_schedule_reads_at_the_end_then_one_hour_one_day_one_week() -> None:
    assert SETTLING_READS == (0, 3600, 86400, 604800)


def test_the_first_read_is_due_at_the_end_itself() -> None:
    assert due_reads(END, END, []) == ((0,), END + timedelta(hours=1))
    assert due_reads(END, END - timedelta(seconds=1), []) == ((), END)


def test_reads_done_are_not_due_again() -> None:
    half_hour = END + timedelta(minutes=30)
    assert due_reads(END, half_hour, [0]) == ((), END + timedelta(hours=1))
    assert due_reads(END, END + timedelta(hours=1), [0]) == ((3600,), END + timedelta(days=1))


def test_one_late_read_answers_every_read_already_due() -> None:
    two_days = END + timedelta(days=2, minutes=30)
    assert due_reads(END, two_days, []) == ((0, 3600, 86400), END + timedelta(days=7))


def test_nothing_is_left_after_the_week() -> None:
    assert due_reads(END, END + timedelta(days=8), [0, 3600, 86400]) == ((604800,), None)
    assert due_reads(END, END + timedelta(days=9), SETTLING_READS) == ((), None)
