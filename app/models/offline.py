"""Offline channels typed in by hand: leaflets handed out, loudspeaker broadcasts, posters.

They have no platform to collect from and identify nobody, so they are not events: a row is a
quantity for one commune over one period (what communes report upward today). Their reach is
counted in copies or broadcasts, never added to views or people.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamps
from app.models.enums import str_enum
from app.models.org import Campaign, OrgUnit


class OfflineKind(enum.StrEnum):
    LEAFLET = "leaflet"
    LOUDSPEAKER = "loudspeaker"
    POSTER = "poster"


# What one unit of each kind counts: a leaflet or poster is a copy, a loudspeaker run a broadcast.
OFFLINE_REACH_KIND = {
    OfflineKind.LEAFLET: "copies",
    OfflineKind.LOUDSPEAKER: "broadcasts",
    OfflineKind.POSTER: "copies",
}


class OfflineActivity(Timestamps, Base):
    __tablename__ = "offline_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OfflineKind] = mapped_column(str_enum(OfflineKind), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    period_start: Mapped[date] = mapped_column(index=True)
    period_end: Mapped[date]
    quantity: Mapped[int]
    cost_vnd: Mapped[int | None] = mapped_column(BigInteger)  # None: not entered
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(20), default="form")

    org_unit: Mapped[OrgUnit] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
