"""Who watches when: each platform's viewer curve, and moments drawn where the viewers are.

The curves are drawn first from the script's seeded ``random.Random`` (Facebook, then YouTube), so
they and everything drawn after them depend on the seed alone. Comments, chat and reactions come
when people watch: their times are drawn in proportion to the Facebook viewers of the moment.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random

from sandbox.scenario.params import BUCKET, DAY, WEEK, Platform, ScenarioParams


class Audience:
    """Concurrent viewers per ``BUCKET`` seconds of the scripted live, and their running totals."""

    def __init__(self, rng: random.Random, params: ScenarioParams) -> None:
        self.live_start = params.start_offset
        self.duration = params.duration
        self.curves: dict[Platform, list[int]] = {
            "facebook": viewer_curve(rng, params.duration, params.peak_viewers),
            "youtube": viewer_curve(rng, params.duration, params.youtube_peak_viewers),
        }
        self.cumulative = {name: cumulative(curve) for name, curve in self.curves.items()}
        self.peaks = {
            name: list(itertools.accumulate(curve, max)) for name, curve in self.curves.items()
        }

    @property
    def scripted_end(self) -> float:
        return self.live_start + self.duration

    def viewers_at(self, platform: Platform, t: float) -> int:
        """The curve's value at ``t`` (the caller checks that the live is on)."""
        curve = self.curves[platform]
        return curve[min(int((t - self.live_start) // BUCKET), len(curve) - 1)]

    def peak_until(self, platform: Platform, t: float) -> int:
        """The most concurrent viewers seen from the start of the live until ``t`` (0 before it):
        every one of them counted as a view, so views can never be fewer."""
        if t < self.live_start:
            return 0
        peaks = self.peaks[platform]
        return peaks[min(int((t - self.live_start) // BUCKET), len(peaks) - 1)]

    def watched(self, platform: Platform, t: float) -> float:
        """Viewer-seconds watched from the start of the live until ``t``."""
        running = self.cumulative[platform]
        x = max(0.0, min(t - self.live_start, self.duration)) / BUCKET
        i = min(int(x), len(running) - 2)
        return running[i] + (running[i + 1] - running[i]) * (x - i)

    def watched_total(self, platform: Platform) -> float:
        """Viewer-seconds of the whole scripted live (the share of views it holds is reached at
        its very end)."""
        return max(self.watched(platform, self.scripted_end), 1.0)

    def live_weighted_time(self, rng: random.Random, margin: float = 0.0) -> float:
        """A moment of the scripted live drawn in proportion to the Facebook viewers then."""
        running = self.cumulative["facebook"]
        target = rng.uniform(0, running[-1])
        i = max(0, bisect.bisect_left(running, target) - 1)
        t = self.live_start + (i + rng.random()) * BUCKET
        return min(max(t, self.live_start + margin), self.scripted_end - max(margin, 0.001))

    def event_times(self, rng: random.Random, count: int, late: float) -> list[float]:
        """Times of ``count`` events: ``1 - late`` of them during the live (where viewers are),
        then a tail over the week after it (three quarters of it in the first day)."""
        times = []
        for _ in range(count):
            roll = rng.random()
            if roll < 1 - late:
                times.append(self.live_weighted_time(rng))
            elif roll < 1 - late / 4:
                times.append(self.scripted_end + rng.uniform(1, DAY))
            else:
                times.append(self.scripted_end + rng.uniform(DAY, WEEK - 60))
        return sorted(times)


def viewer_curve(rng: random.Random, duration: float, peak: int) -> list[int]:
    """Concurrent viewers per 5 s: ramp up, a noisy plateau, a decline to ~40 % of the peak."""
    steps = max(2, math.ceil(duration / BUCKET) + 1)
    wobble = 0.0
    curve = []
    for i in range(steps):
        x = i / (steps - 1)
        if x < 0.15:
            s = x / 0.15
            level = 0.04 + 0.96 * s * s * (3 - 2 * s)
        elif x < 0.8:
            level = 0.93 + 0.05 * math.sin(x * 19.0)
        else:
            level = 0.98 - 0.58 * (x - 0.8) / 0.2
        wobble = 0.85 * wobble + rng.gauss(0, 0.015)
        curve.append(max(1, round(peak * level * (1 + wobble))))
    return curve


def cumulative(curve: list[int]) -> list[float]:
    """Viewer-seconds watched by the end of each bucket (0 first)."""
    total = [0.0]
    for viewers in curve:
        total.append(total[-1] + viewers * BUCKET)
    return total
