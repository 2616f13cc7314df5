"""bench/collect_throughput.py's whole-path measurement, on a live of four minutes: it collects
comments through the runner and writes the same rows again as its executemany floor (it once
broke unseen, every poll refused by the runner and the floor failing on a row of defaults)."""

from __future__ import annotations

import re

import pytest

from bench import collect_throughput


def test_a_short_live_is_collected_and_its_rows_written_again_as_the_floor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    collect_throughput.throughput("sqlite", 60, duration=240)
    out = capsys.readouterr().out
    polled = re.search(r"live polling: (\d+) polls", out)
    floor = re.search(r"plain executemany of the same (\d+) comments \+ (\d+) samples", out)
    assert polled, out
    assert floor, out
    assert int(polled[1]) > 0
    assert int(floor[1]) > 0
    assert int(floor[2]) > 0
