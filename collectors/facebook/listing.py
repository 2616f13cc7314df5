"""Which comments a Facebook read listed whole, so that those missing from it were deleted.

Graph lists only the comments that still exist (not the ones their authors or the page deleted)
and says nothing of a deletion; the ones the page hid it lists with ``is_hidden``, and
``parse_comments`` leaves them out, so they count as gone too. A stored comment can only be found
gone by reading its span of creation times again and not finding it there, and only where the
read is known to be whole:

- the newest comments, read newest first down to their since, list everything from it when no
  page cap stopped them;
- the backlog and the final sweep after the end read oldest first: uncapped, from their since to
  now; capped, up to the last comment reached (others of that same second may be on the next
  page, so the span stops short of it).

The final sweep re-reads every comment once the live is over, and again with each settling read
of the insights (+1 h, +24 h, +7 days after the end), so a comment deleted in the week after the
live is found; one deleted later is not (nothing reads the comments again).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from collectors.base import CommentRecord, ListedSpan


def listed_spans(
    asked: Mapping[str, str | None],
    since: Mapping[str, str | None],
    capped: Mapping[str, bool],
    backlog: Sequence[CommentRecord],
) -> tuple[ListedSpan, ...]:
    """The spans of this poll's streams (``asked``: those read), from their since (ISO or None)."""
    spans = []
    for stream in ("newest", "backlog"):
        if stream not in asked:
            continue
        start = _time(since.get(stream))
        if not capped.get(stream):
            spans.append(ListedSpan(start, None))
        elif stream == "backlog" and backlog:
            spans.append(ListedSpan(start, max(c.created_at for c in backlog)))
    return tuple(spans)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
