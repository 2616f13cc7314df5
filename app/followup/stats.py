"""Small statistics for conversion figures: rates with Wilson intervals and lift over a baseline.

Wilson's interval rather than the normal approximation because commune-sized groups are small and
rates near 0 or 1 are common; the normal interval then leaves [0, 1] or collapses to a point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


def wilson_interval(successes: float, trials: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``successes / trials``; (0, 0) when there are no trials."""
    if trials <= 0:
        return (0.0, 0.0)
    p = min(max(successes / trials, 0.0), 1.0)
    z2 = z * z
    denom = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Rate:
    """A conversion rate with its 95 % Wilson interval."""

    successes: float
    trials: int

    @property
    def value(self) -> float:
        return self.successes / self.trials if self.trials else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.successes, self.trials)


@dataclass(frozen=True)
class Lift:
    """Attendees against a comparison group: the estimate of what the events added."""

    attendees: Rate
    baseline: Rate

    @property
    def absolute(self) -> float:
        return self.attendees.value - self.baseline.value

    @property
    def relative(self) -> float | None:
        base = self.baseline.value
        return (self.attendees.value - base) / base if base else None

    @property
    def incremental(self) -> float:
        """Enrolments the events plausibly added: (CR_att − CR_base) × N_att."""
        return self.absolute * self.attendees.trials
