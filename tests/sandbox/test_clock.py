"""The scenario clock: manual for tests, real time × speed for the demo."""

from __future__ import annotations

import pytest

from sandbox.clock import ManualClock, RealClock


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(start=10)
    assert clock.now() == 10
    assert clock.advance(5) == 15
    clock.set(100)
    assert clock.now() == 100
    clock.reset()
    assert clock.now() == 10
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)


def test_real_clock_runs_at_speed_and_can_skip_ahead() -> None:
    wall = [1000.0]
    clock = RealClock(speed=10, monotonic=lambda: wall[0])
    assert clock.now() == 0
    wall[0] += 3
    assert clock.now() == pytest.approx(30)
    clock.advance(600)
    assert clock.now() == pytest.approx(630)
    clock.set(5)
    wall[0] += 1
    assert clock.now() == pytest.approx(15)
    clock.reset()
    assert clock.now() == pytest.approx(0)
    with pytest.raises(ValueError, match="positive"):
        RealClock(speed=0)
