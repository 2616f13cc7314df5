"""The conference's ground truth at one moment, in the terms of the event summary.

What the app should show once it has collected every roster and every check-in up to ``t``:
halls connected out of expected, people present (latest head counts) out of expected, and per hall
its first join, last leave, whole minutes connected and drop-outs. The acceptance tests compare
``event_summary`` with this; the sandbox serves it at ``GET /_sandbox/conference/truth``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sandbox.conference import Conference, Session


def truth_at(conference: Conference, t: float) -> dict[str, Any]:
    """Sessions not yet ended count up to ``t``; a hall is connected once it joined or reported."""
    reported, expected = conference.reported(t), conference.expected()
    sessions: dict[str, list[Session]] = defaultdict(list)
    non_halls: set[str] = set()
    for s in conference.sessions_started(t):
        if s.attendee.commune is None:
            non_halls.add(s.name)
        else:
            sessions[s.attendee.commune].append(s)

    def iso(when: float | None) -> str | None:
        return None if when is None else conference.datetime_at(when).isoformat()

    halls = []
    for attendee in conference.halls():
        commune = str(attendee.commune)
        own = sessions.get(commune, [])
        spans = [(s.join, min(s.leave, t)) for s in own]
        halls.append(
            {
                "commune": commune,
                "names": sorted({s.name for s in own}),
                "expected": expected[commune],
                "head_count": reported.get(commune),
                "first_join": iso(min((a for a, _ in spans), default=None)),
                "last_leave": iso(max((b for _, b in spans), default=None)),
                "minutes_connected": sum(b - a for a, b in spans) // 60,
                "drop_outs": max(len(own) - 1, 0),
            }
        )
    connected = [h for h in halls if h["first_join"] or h["head_count"] is not None]
    return {
        "t": t,
        "phase": conference.phase(t),
        "halls_expected": len(halls),
        "halls_connected": len(connected),
        "people_expected": sum(expected.values()),
        "people_present": sum(reported.values()),
        "halls": halls,
        "non_halls": sorted(non_halls),
        "head_counts": [
            {"commune": r.commune, "t": r.t, "count": r.count, "key": r.key}
            for r in conference.head_counts(t)
        ],
    }
