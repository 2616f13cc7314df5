"""Platform accounts, collection targets (with their cursor and schedule) and collection runs.

The schedule lives in these rows (next_run_at, failures, paused_reason), not in the scheduler, so a
restarted collector resumes exactly where it stopped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamps
from app.models.enums import Platform, str_enum
from app.models.events import Event
from app.models.org import OrgUnit
from app.personal_data import EncryptedJSON


class PlatformAccount(Timestamps, Base):
    """Credentials for one platform (a fanpage token, a YouTube project key, a Zoom app…)."""

    __tablename__ = "platform_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(str_enum(Platform))
    name: Mapped[str] = mapped_column(String(200))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    # The page / channel / server this account watches for new lives (discovery), if any.
    external_id: Mapped[str | None] = mapped_column(String(200))
    credentials: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)
    health: Mapped[str] = mapped_column(String(20), default="ok")
    health_detail: Mapped[str] = mapped_column(Text, default="")
    rate_limit_usage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    next_discovery_at: Mapped[datetime | None]

    org_unit: Mapped[OrgUnit] = relationship()


class Target(Timestamps, Base):
    """One platform object (a live video, a meeting) collected for an event."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("event_id", "kind", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("platform_accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(200))
    # What an officer knows it by: its title as the platform gives it (when the link was checked,
    # then as collected), and where to open it (its permalink, or the pasted link rebuilt without
    # its passcode; only the platform's own sites). None: not known (a target from before).
    title: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    cursor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    next_run_at: Mapped[datetime | None] = mapped_column(index=True)
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    failures: Mapped[int] = mapped_column(default=0)
    # What the platform last said of the object: scheduled | live | ended.
    status: Mapped[str | None] = mapped_column(String(20))
    paused_reason: Mapped[str | None] = mapped_column(String(200))
    finished_at: Mapped[datetime | None]
    # An officer's end of its event ended it (its platform had not), at this time: its collector
    # reads its final figures once as at that end; None when the platform alone ends it.
    hand_ended_at: Mapped[datetime | None]
    calls_used: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()
    account: Mapped[PlatformAccount | None] = relationship()


class CollectionRun(Base):
    """One collect() call of a target: what it brought, how long it took, how it ended."""

    __tablename__ = "collection_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(20))
    samples: Mapped[int] = mapped_column(default=0)
    comments: Mapped[int] = mapped_column(default=0)
    participants: Mapped[int] = mapped_column(default=0)
    calls: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
