"""The work on a lead: where an officer's calls to one person about one event stand.

One row per (event, person): several comments by one commenter are one person (app.attendance
.lead_people), so they are one lead. No row means the lead is new and nobody took it yet.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps
from app.models.enums import str_enum
from app.personal_data import EncryptedText


class LeadStatus(enum.StrEnum):
    """Where a call stands; the labels people read are in app.followup.lead_status."""

    NEW = "new"
    CALLED = "called"
    CALL_BACK = "call_back"
    ENROLLED = "enrolled"
    NOT_INTERESTED = "not_interested"
    WRONG_NUMBER = "wrong_number"


class LeadWork(Timestamps, Base):
    """Status, assignee, notes and next call of one person's lead in one event."""

    __tablename__ = "lead_work"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus), default=LeadStatus.NEW)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Encrypted: what an officer writes after a call is about the person.
    notes: Mapped[str] = mapped_column(EncryptedText, default="")
    next_call_on: Mapped[date | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LeadCall(Timestamps, Base):
    """One call outcome an officer recorded (a submission of the lead editor), once: the page
    queues it under a key of its own and sends it again until an answer comes, so a retry of
    the same key is the same call (``app.followup.call_log``). What it set is also the lead's."""

    __tablename__ = "lead_calls"
    __table_args__ = (UniqueConstraint("user_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80))
    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus))
    next_call_on: Mapped[date | None]
    # Encrypted like the lead's notes: what the person said.
    notes: Mapped[str] = mapped_column(EncryptedText, default="")
    # When the officer pressed save (the phone's press, set right by its clock); not its arrival.
    called_at: Mapped[datetime]
