"""Alerts during an event: the rules an organiser set, the alerts they opened, the messages owed.

One alert per (event, rule, subject) is open at a time: ``open_key`` holds that triple while the
alert is open and NULL once it cleared, and its unique index lets only one of several evaluators
(the web process and ``flask collect run``) open it. A message (e-mail or webhook) is owed once
when an alert opens and once when it clears (unique per alert, change and channel: no storms).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamps, utcnow
from app.models.events import Event
from app.models.users import User
from app.personal_data import EncryptedText


class AlertRules(Timestamps, Base):
    """An event's alert rules and recipients; an event without a row uses the defaults."""

    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    hall_absent_minutes: Mapped[int] = mapped_column(default=10)
    hall_dropped_minutes: Mapped[int] = mapped_column(default=5)
    head_count_percent: Mapped[int] = mapped_column(default=50)
    head_count_after_minutes: Mapped[int] = mapped_column(default=20)
    collector_minutes: Mapped[int] = mapped_column(default=10)
    viewers_zero_minutes: Mapped[int] = mapped_column(default=3)
    emails: Mapped[str] = mapped_column(Text, default="")  # comma or newline separated
    webhook_url: Mapped[str] = mapped_column(String(500), default="")
    webhook_secret: Mapped[str | None] = mapped_column(EncryptedText)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    event: Mapped[Event] = relationship()


class Alert(Base):
    """One condition of one event, from when it was seen to when it cleared."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(60))  # "hall:12", "target:5"
    subject_name: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # "event:rule:subject" while open, NULL once cleared: the unique index allows one open alert.
    open_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    cleared_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()


# The menu counts the open alerts a user sees on each of their pages: this index holds the open
# ones only (a year's cleared alerts are not read), with what the count checks (the event, and a
# commune's own hall by the subject); ``open_key``, never null in it, lets SQLite see it covers.
Index(
    "ix_alerts_open",
    Alert.event_id,
    Alert.subject,
    Alert.open_key,
    postgresql_where=Alert.open_key.is_not(None),
    sqlite_where=Alert.open_key.is_not(None),
)


class AlertMessage(Base):
    """A message owed for an alert's change: sent once, retried until it goes (the outbox)."""

    __tablename__ = "alert_messages"
    __table_args__ = (UniqueConstraint("alert_id", "change", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    change: Mapped[str] = mapped_column(String(10))  # opened | cleared
    channel: Mapped[str] = mapped_column(String(10))  # email | webhook
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)  # NULL once sent
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")

    alert: Mapped[Alert] = relationship()
