"""The sandbox's scenario clock: seconds since the sandbox started, manual or real time.

Everything the fakes answer is a function of scenario time (counters that climb, a live that
ends, insights that settle days later), so tests drive a ``ManualClock`` and
never sleep, while ``flask sandbox run`` plays a ``RealClock`` at a chosen speed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    """What the fakes need: the scenario time now, and a way to jump it forward."""

    def now(self) -> float: ...

    def advance(self, seconds: float) -> float: ...

    def set(self, t: float) -> None: ...

    def reset(self) -> None: ...


class ManualClock:
    """A clock that moves only when told to, so tests are exact and never sleep."""

    def __init__(self, start: float = 0.0) -> None:
        self._start = float(start)
        self._t = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._t

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the scenario clock never goes backwards")
        with self._lock:
            self._t += seconds
            return self._t

    def set(self, t: float) -> None:
        with self._lock:
            self._t = float(t)

    def reset(self) -> None:
        self.set(self._start)

    def __repr__(self) -> str:
        return f"ManualClock(t={self.now():.1f})"


class RealClock:
    """Wall time times ``speed``; ``advance`` still jumps ahead (the demo's "skip 10 minutes")."""

    def __init__(
        self,
        speed: float = 1.0,
        start: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._start = float(start)
        self._monotonic = monotonic
        self._origin = monotonic()
        self._offset = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._offset + (self._monotonic() - self._origin) * self.speed

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the scenario clock never goes backwards")
        with self._lock:
            self._offset += seconds
        return self.now()

    def set(self, t: float) -> None:
        with self._lock:
            self._origin = self._monotonic()
            self._offset = float(t)

    def reset(self) -> None:
        self.set(self._start)

    def __repr__(self) -> str:
        return f"RealClock(speed={self.speed}, t={self.now():.1f})"
