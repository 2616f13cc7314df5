"""The settling reads of a finished live: at the end, every few minutes in its first hour, then
+1 h, +24 h, +7 days, counted from the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collectors.settling import FIRST_HOUR, SETTLED_AFTER_DAYS, SETTLING_READS, due_reads

END = datetime(2026, 8, 20, 21, 0, tzinfo=UTC)  # a live that ended at 04:00 in Hà Nội
MIN = 60


def test_the_first_hour_is_read_every_few_minutes_less_often_as_it_goes() -> None:
    assert tuple(m * MIN for m in (0, 2, 5, 10, 15, 20, 30, 45)) == FIRST_HOUR
    gaps = [b - a for a, b in zip(FIRST_HOUR, (*FIRST_HOUR[1:], 3600), strict=True)]
    assert gaps == sorted(gaps)  # decaying
    assert max(gaps) <= 15 * MIN  # never an hour's silence
    assert (*FIRST_HOUR, 3600, 86400, 604800) == SETTLING_READS
    assert SETTLED_AFTER_DAYS == 7


def test_the_first_read_is_due_at_the_end_itself() -> None:
    assert due_reads(END, END, []) == ((0,), END + timedelta(minutes=2))
    assert due_reads(END, END - timedelta(seconds=1), []) == ((), END)


def test_twenty_five_minutes_after_the_end_a_read_is_never_more_than_minutes_away() -> None:
    done = [0, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 20 * MIN]
    assert due_reads(END, END + timedelta(minutes=25), done) == ((), END + timedelta(minutes=30))


def test_reads_done_are_not_due_again() -> None:
    after_45 = END + timedelta(minutes=50)
    assert due_reads(END, after_45, FIRST_HOUR) == ((), END + timedelta(hours=1))
    assert due_reads(END, END + timedelta(hours=1), FIRST_HOUR) == (
        (3600,),
        END + timedelta(days=1),
    )


def test_one_late_read_answers_every_read_already_due() -> None:
    two_days = END + timedelta(days=2, minutes=30)
    assert due_reads(END, two_days, []) == ((*FIRST_HOUR, 3600, 86400), END + timedelta(days=7))


def test_nothing_is_left_after_the_week() -> None:
    before = [*FIRST_HOUR, 3600, 86400]
    assert due_reads(END, END + timedelta(days=8), before) == ((604800,), None)
    assert due_reads(END, END + timedelta(days=9), SETTLING_READS) == ((), None)
