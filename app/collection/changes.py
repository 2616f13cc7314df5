"""What a written batch changed: the input of every step that follows the write.

The writer returns one ``Change`` per batch. The runner hands it to hall matching and the rollups
inside the batch's transaction, and to ``publish`` after the commit, where app.live turns it into
the delta. Rows are carried as they were written — the batch's samples as the collector gave them,
comments with the ids the database gave them — so no later step reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from collectors.base import ParticipantRecord, Sample


@dataclass(frozen=True)
class WrittenComment:
    """A comment row as stored: new, or edited (its text and lead marks replaced)."""

    id: int
    target_id: int
    external_id: str
    author_name: str
    message: str
    created_at: datetime  # in UTC, as the database returns it
    is_lead: bool
    lead_intents: tuple[str, ...]
    phone: str | None  # the lead's phone, normalised (E.164), in clear
    by_owner: bool = False  # the page or channel itself wrote it: its reply, never a lead
    deleted: bool = False  # removed earlier: the row is kept but never shown


@dataclass(frozen=True)
class RemovedComment:
    """A stored comment the platform says was removed: the live feeds drop it, and the
    comments-per-minute bar of its minute goes down."""

    id: int
    created_at: datetime  # in UTC


@dataclass(frozen=True)
class Change:
    event_id: int
    target_id: int
    kind: str
    samples: tuple[Sample, ...] = ()
    comments: tuple[WrittenComment, ...] = ()
    participants: tuple[ParticipantRecord, ...] = ()
    removed: tuple[RemovedComment, ...] = ()

    @property
    def shown(self) -> tuple[WrittenComment, ...]:
        """The batch's comments still to be shown: neither removed earlier nor by this batch."""
        gone = {r.id for r in self.removed}
        return tuple(c for c in self.comments if not c.deleted and c.id not in gone)

    @property
    def leads(self) -> tuple[WrittenComment, ...]:
        return tuple(c for c in self.shown if c.is_lead)
