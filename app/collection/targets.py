"""Adding a collection target: the one place a ``Target`` is built.

A new target starts with an empty cursor, no failures, no calls spent and no error. The model's
column defaults say the same, but they apply only at INSERT: a target built here reads true before
the flush too (the API answers with it, the runner may look at it in the same transaction).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.extensions import db
from app.models import Target


def add_target(
    event_id: int,
    kind: str,
    external_id: str,
    *,
    account_id: int | None = None,
    next_run_at: datetime | None = None,
    **fields: Any,
) -> Target:
    """A new target of ``kind`` for the event, added to the session (the caller commits).

    ``next_run_at`` None is due at once, as is any time already past. ``fields`` set other columns
    (``status`` of a live found already running) or, for tests and benchmarks, start the target
    mid-life (a cursor, failures, an error already).
    """
    # Where every target starts: nothing read yet, nothing failed, no calls spent.
    state: dict[str, Any] = {"cursor": {}, "failures": 0, "calls_used": 0, "last_error": ""}
    target = Target(
        event_id=event_id,
        account_id=account_id,
        kind=kind,
        external_id=external_id,
        next_run_at=next_run_at,
        **{**state, **fields},
    )
    db.session.add(target)
    return target
