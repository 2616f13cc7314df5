"""Events (one communication activity), commune bridge points and their head-count reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamps, utcnow
from app.models.enums import Channel, EventStatus, str_enum
from app.models.org import Campaign, OrgUnit
from app.models.users import User
from app.personal_data import EncryptedJSON, EncryptedText


class Event(Timestamps, Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), index=True)
    status: Mapped[EventStatus] = mapped_column(
        str_enum(EventStatus), default=EventStatus.SCHEDULED, index=True
    )
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    planned_start: Mapped[datetime | None] = mapped_column(index=True)
    planned_end: Mapped[datetime | None]
    actual_start: Mapped[datetime | None]
    actual_end: Mapped[datetime | None]
    # None: not entered (unknown), which a report never reads as free; 0: free.
    cost_vnd: Mapped[int | None] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(Text, default="")
    # "manual" when typed in; "discovered" when a collector found a live on a registered page.
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The officer who ended it by hand (app.events.status): a collector no longer sets it live
    # again, its targets stop being collected; None when a platform ended it or it is not over.
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    org_unit: Mapped[OrgUnit] = relationship()
    campaign: Mapped[Campaign | None] = relationship()

    @property
    def start(self) -> datetime | None:
        """When it began, else when it was planned to begin (None: not dated yet)."""
        return self.actual_start if self.actual_start is not None else self.planned_start


# What a report sums per unit besides the rollup figures: SQLite reads a unit's events from this
# index alone, without visiting each event's row.
Index(
    "ix_events_report_figures",
    Event.org_unit_id,
    Event.channel,
    Event.cost_vnd,
    Event.campaign_id,
)


class BridgePoint(Timestamps, Base):
    """A commune hall (điểm cầu) joined to an online conference, with its secret check-in link."""

    __tablename__ = "bridge_points"
    __table_args__ = (UniqueConstraint("event_id", "org_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Indexed: a commune's halls across the province's events (app.scoping.participating_events).
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    expected_attendance: Mapped[int] = mapped_column(default=0)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str | None] = mapped_column(EncryptedText)
    # The check-in link's secret: a hash to find the hall by, and the token itself encrypted so
    # organisers can print the links again.
    checkin_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    checkin_token: Mapped[str | None] = mapped_column(EncryptedText)
    checkin_expires_at: Mapped[datetime | None]
    checkin_revoked_at: Mapped[datetime | None]
    # When the current secret was drawn: an event with no dates lets the link live 30 days from it.
    checkin_issued_at: Mapped[datetime | None]
    # The hall's figures, kept by app.halls.figures as each report is stored (a board of 1,000
    # halls reads these columns instead of ranking every report): the latest-sent report's head
    # count, when it was sent and its id (no foreign key: a report already names its hall), and
    # how many reports and attendee rows the hall sent.
    head_count: Mapped[int | None]
    head_count_at: Mapped[datetime | None]
    head_count_report_id: Mapped[int | None]
    reports: Mapped[int] = mapped_column(default=0, server_default="0")
    attendees_reported: Mapped[int] = mapped_column(default=0, server_default="0")

    event: Mapped[Event] = relationship()
    org_unit: Mapped[OrgUnit] = relationship()


class AttendanceReport(Base):
    """A head count reported for a hall at a moment; the idempotency key makes retries harmless."""

    __tablename__ = "attendance_reports"
    __table_args__ = (UniqueConstraint("bridge_point_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bridge_point_id: Mapped[int] = mapped_column(
        ForeignKey("bridge_points.id", ondelete="CASCADE"), index=True
    )
    head_count: Mapped[int | None]  # None: this submission carried only attendees
    reported_at: Mapped[datetime]
    idempotency_key: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(20), default="checkin")
    attendees: Mapped[int] = mapped_column(default=0)  # rows of the attendee sheet sent with it


class HallAlias(Base):
    """A participant name an organiser assigned to a commune by hand, remembered for next time."""

    __tablename__ = "hall_aliases"
    __table_args__ = (UniqueConstraint("org_unit_id", "alias_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    alias_key: Mapped[str] = mapped_column(String(300))  # app.halls.names.parse_display_name().key
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class PendingLink(Base):
    """A line typed in an event's links box, kept with the event until an officer tracks it
    ("Start tracking") or drops it: every officer who sees the event sees it, whoever typed it
    (``app.events.pending_links``). Encrypted: a pasted Zoom link may carry its passcode."""

    __tablename__ = "pending_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    line: Mapped[str] = mapped_column(EncryptedText)
    # What its platform said of it as the new event was saved (``app.collection.links.Checked``
    # as a dict), so that its confirmation does not ask a second time; None: not asked yet.
    checked: Mapped[dict | None] = mapped_column(EncryptedJSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User] = relationship()
