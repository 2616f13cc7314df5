"""What a report says of the cost of a group of activities, pure: some costs may be unknown.

An event or an offline entry saved without its cost has none (``cost_vnd`` NULL), which is not a
cost of 0: 0 says it was free. A group's cost is the sum of the costs entered, and says how many
of its activities have one and how many have none; its cost per enrolment divides
those costs by the enrolments credited to those same activities only, so an activity whose cost
nobody typed neither makes a channel look free nor adds enrolments bought at no known price.
A group none of whose activities has a cost has no cost (None, "not entered"), and no cost per
enrolment either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def known_cost(spent: int, costed: int, activities: int) -> int | None:
    """The sum of the costs entered; None where activities were held and none has a cost."""
    return None if activities and not costed else spent


def per_enrolment(spent: int, costed: int, enrolments: float) -> int | None:
    """Cost per enrolment over the activities whose cost is known and the credit they earned;
    None without any such credit (never a division by zero, never 0 from unknown costs)."""
    if not costed or enrolments <= 0:
        return None
    return round(spent / enrolments)


def cost_figures(
    spent: int, costed: int, activities: int, enrolments: float | None
) -> dict[str, Any]:
    """The cost keys of a report row: ``cost_vnd`` (None: none entered), how many of its
    ``activities`` have a cost and how many have none, and ``cost_per_enrolment`` (None for
    ``enrolments`` None: the offline channels, which are credited no enrolment)."""
    per = None if enrolments is None else per_enrolment(spent, costed, enrolments)
    return {
        "cost_vnd": known_cost(spent, costed, activities),
        "events_with_cost": costed,
        "events_without_cost": activities - costed,
        "cost_per_enrolment": per,
    }


@dataclass(frozen=True)
class Planned:
    """The period's events not held yet when the report was read, and their planned cost."""

    events: int
    cost_vnd: int  # the costs entered
    without_cost: int = 0  # those of ``events`` with none entered
