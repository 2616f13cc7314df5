"""The hall board on the event page: every hall's state and the conference totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.halls.state import HallState, hall_states
from app.live.summary import EventSummary
from app.models import Event, utcnow


@dataclass(frozen=True)
class HallBoard:
    halls: list[HallState]
    halls_expected: int
    halls_connected: int  # seen on the meeting
    halls_reported: int  # sent a head count
    people_expected: int
    people_present: int


def hall_board(event: Event, summary: EventSummary | None = None) -> HallBoard | None:
    """The board of a conference or small group; reuses the summary's halls when it has them.

    In-person events have no collection target, so the event page has no summary for them:
    their halls are read here.
    """
    if not event.channel.has_halls:
        return None
    halls = summary.halls if summary is not None and summary.halls is not None else None
    if halls is None:
        halls = hall_states(event.id, utcnow())
    totals: dict[str, Any] = EventSummary(halls=halls).conference_totals()
    return HallBoard(
        halls=halls,
        halls_expected=totals["halls_expected"],
        halls_connected=totals["halls_connected"],
        halls_reported=totals["halls_reported"],
        people_expected=totals["people_expected"],
        people_present=totals["people_present"],
    )
