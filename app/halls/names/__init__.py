"""Which commune hall ("điểm cầu") is this conference participant? Display name → bridge point.

Every commune hall joins an online conference as one participant, named by an officer who types
the commune any which way: "UBND xa Tang Thanh", "Điểm cầu xã Tăng Thành - 45 người", "TANG
THANH", "xã Tăng thành 2" (a rejoin from a second device). ``match_participant`` maps such a name
to one of the conference's halls, or says it cannot. A wrong hall is worse than none (it credits
one commune with another's attendance and hides the absent one), so every rule here is
conservative: two equally good halls, or a best hall that is not close enough, give no hall.

Pure functions, no Flask and no database. Commune names repeat across provinces (and, before the
2025 reform, across districts), so a hall is always identified by its code, never by its name.

- ``vocabulary``: the words typed around a commune's name (prefixes, units, head counts, devices).
- ``parsing``: ``parse_display_name`` takes a name apart into its comparable keys.
- ``matching``: ``match_participant``, ``match_roster`` and ``HallMatcher`` pick the hall, exact →
  alias → legacy commune (before the 2025 reform) → fuzzy.
"""

from __future__ import annotations

from app.halls.names.matching import (
    Hall,
    HallMatcher,
    Match,
    Reason,
    match_participant,
    match_roster,
)
from app.halls.names.parsing import ParsedName, parse_display_name

__all__ = [
    "Hall",
    "HallMatcher",
    "Match",
    "ParsedName",
    "Reason",
    "match_participant",
    "match_roster",
    "parse_display_name",
]
