"""Which touches earned the credit for an enrolment: conversions and the five attribution models.

A *touch* is an identified person seen at an event; a *conversion* is that person's first new
enrolment paid within the window after a touch (renewals never count, and a person already
enrolled before the touch does not convert again). A campaign promotes one scheme, so its
conversions are found among the enrolments of that scheme alone (``of_scheme``): a BHXH tự
nguyện campaign's attendee who joins BHYT hộ gia đình is no conversion of it, and one who
joined BHYT hộ gia đình earlier is still new to BHXH tự nguyện. Reports of no campaign count
every scheme's. Credit is stored per touch so that every model can be shown side by side from
the same conversions: last touch (the default), first touch, linear, position-based 40/20/40 and
time decay with a 7-day half-life.
Pure functions: rows in, figures out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

MODELS = ("last_touch", "first_touch", "linear", "position_based", "time_decay")
DEFAULT_MODEL = "last_touch"
WINDOWS = (30, 60, 90)
HALF_LIFE_DAYS = 7.0


@dataclass(frozen=True)
class Touch:
    person_id: int
    event_id: int
    on: date  # the local (Asia/Ho_Chi_Minh) day of the touch


@dataclass(frozen=True)
class Enrolled:
    person_id: int
    enrolment_id: int
    paid_on: date
    is_new: bool
    scheme: str | None = None  # Scheme's value; None where the caller did not read it


def of_scheme(enrolments: Iterable[Enrolled], scheme: str | None) -> list[Enrolled]:
    """The enrolments of ``scheme`` (a campaign's), or all of them when it is None."""
    if scheme is None:
        return list(enrolments)
    return [row for row in enrolments if row.scheme == scheme]


@dataclass(frozen=True)
class Conversion:
    person_id: int
    enrolment_id: int
    paid_on: date
    touches: tuple[Touch, ...]  # the touches within the window before it, oldest first

    def credit(self, model: str) -> dict[int, float]:
        """Each event's share of this conversion under ``model``; the shares sum to 1."""
        weights = credit_weights(model, [t.on for t in self.touches], self.paid_on)
        shares: dict[int, float] = defaultdict(float)
        for touch, weight in zip(self.touches, weights, strict=True):
            shares[touch.event_id] += weight
        return dict(shares)


def credit_weights(model: str, touched_on: Sequence[date], converted_on: date) -> list[float]:
    """The fraction of one conversion given to each touch (oldest first) under ``model``."""
    k = len(touched_on)
    if k == 0:
        return []
    if model == "last_touch":
        return [0.0] * (k - 1) + [1.0]
    if model == "first_touch":
        return [1.0] + [0.0] * (k - 1)
    if model == "linear":
        return [1.0 / k] * k
    if model == "position_based":
        if k <= 2:
            return [1.0 / k] * k
        middle = 0.2 / (k - 2)
        return [0.4, *([middle] * (k - 2)), 0.4]
    if model == "time_decay":
        raw = [0.5 ** ((converted_on - on).days / HALF_LIFE_DAYS) for on in touched_on]
        total = sum(raw)
        return [w / total for w in raw]
    raise ValueError(f"model: unknown attribution model {model!r}; one of {', '.join(MODELS)}")


def first_touches(touches: Iterable[Touch]) -> list[Touch]:
    """One touch per person and event (the earliest): a sheet and a check-in are one visit."""
    earliest: dict[tuple[int, int], Touch] = {}
    for touch in touches:
        key = (touch.person_id, touch.event_id)
        if key not in earliest or touch.on < earliest[key].on:
            earliest[key] = touch
    return sorted(earliest.values(), key=lambda t: (t.person_id, t.on, t.event_id))


def find_conversions(
    touches: Iterable[Touch], enrolments: Iterable[Enrolled], window_days: int
) -> list[Conversion]:
    """Each person's conversion, if their first new enrolment came within the window of a touch."""
    by_person: dict[int, list[Touch]] = defaultdict(list)
    for touch in first_touches(touches):
        by_person[touch.person_id].append(touch)
    first_new: dict[int, Enrolled] = {}
    for row in enrolments:
        if not row.is_new or row.person_id not in by_person:
            continue
        best = first_new.get(row.person_id)
        if best is None or (row.paid_on, row.enrolment_id) < (best.paid_on, best.enrolment_id):
            first_new[row.person_id] = row
    window = timedelta(days=window_days)
    conversions = []
    for person_id, enrolled in sorted(first_new.items()):
        eligible = tuple(
            t for t in by_person[person_id] if t.on <= enrolled.paid_on <= t.on + window
        )
        if eligible:
            conversions.append(
                Conversion(person_id, enrolled.enrolment_id, enrolled.paid_on, eligible)
            )
    return conversions


@dataclass(frozen=True)
class EventConversion:
    """One event's follow-up figures under every model."""

    event_id: int
    identified: int
    attendees_converted: int  # attendees whose conversion this event touched, whatever the model
    by_model: dict[str, float]
    median_days_to_enrol: float | None


def event_conversions(
    touches: Iterable[Touch], conversions: Sequence[Conversion]
) -> dict[int, EventConversion]:
    """Per event: people identified, converted attendees and the credit under each model."""
    identified: dict[int, set[int]] = defaultdict(set)
    for touch in touches:
        identified[touch.event_id].add(touch.person_id)
    credit: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(MODELS, 0.0))
    converted: dict[int, set[int]] = defaultdict(set)
    days: dict[int, list[int]] = defaultdict(list)
    for conversion in conversions:
        for model in MODELS:
            for event_id, share in conversion.credit(model).items():
                credit[event_id][model] += share
        for touch in conversion.touches:
            if conversion.person_id not in converted[touch.event_id]:
                converted[touch.event_id].add(conversion.person_id)
                days[touch.event_id].append((conversion.paid_on - touch.on).days)
    return {
        event_id: EventConversion(
            event_id=event_id,
            identified=len(people),
            attendees_converted=len(converted[event_id]),
            by_model={m: round(v, 6) for m, v in credit[event_id].items()},
            median_days_to_enrol=float(median(days[event_id])) if days[event_id] else None,
        )
        for event_id, people in identified.items()
    }
