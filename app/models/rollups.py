"""Rollups for the managers' reports: one row of figures per event, kept up to date as data lands.

The channel comparison over a province-year would otherwise rank millions of engagement samples,
count millions of comments and replay every touch through the attribution models on each page
view. ``event_rollups`` holds what those queries produce per event; ``people_rollups`` the distinct
people per unit, period, campaign and channel (people do not add up across events);
``rollup_state`` says whether the rollups have been built in full (until then the reports read
the source tables).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.enums import Channel, str_enum

# What the summing indexes carry after their keys: the figures summed, and the start that says
# whether an event is held yet (``app.reports.rollups.sums``), so no row is visited.
_FIGURES = ("campaign_id", "cost_vnd", "views", "interactions", "present", "identified",
            "credit_default", "start_at", "post_reach")  # fmt: skip


class EventRollup(Base):
    """One event's report figures, as ``app.reports.sources`` computes them from the sources."""

    __tablename__ = "event_rollups"
    # A year or month report groups and sums from these indexes alone: no local month computed
    # per row, no join to the events for their place, no visit of the table's JSON. By month
    # first (PostgreSQL's grouping sets; SQLite's sums per month), and by unit first (SQLite's
    # sums per commune, in the index's order).
    __table_args__ = (
        Index("ix_event_rollups_month_sums", "local_month", "channel", "org_unit_id", *_FIGURES),
        Index("ix_event_rollups_unit_sums", "org_unit_id", "channel", "local_month", *_FIGURES),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    views: Mapped[int] = mapped_column(BigInteger, default=0)  # latest views, summed over targets
    interactions: Mapped[int] = mapped_column(BigInteger, default=0)
    # Latest head counts of its halls (else their attendees); None: the event has no halls.
    present: Mapped[int | None]
    identified: Mapped[int] = mapped_column(default=0)  # distinct people touched
    # Credit earned: {"<window days>": {"<model>": share}}, every model and window.
    credit: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The share under the default model and the longest window, also in ``credit``: what a
    # report shows unless asked otherwise, summed from the index without reading the JSON.
    credit_default: Mapped[float] = mapped_column(Float, default=0.0)
    # Credit among one scheme's enrolments, {"<scheme>": {"<window>": {"<model>": share}}}, for
    # a campaign's report (its scheme's conversions only); a scheme that earned nothing is left
    # out. ``credit`` counts every scheme's, for reports of every campaign.
    credit_by_scheme: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    refreshed_at: Mapped[datetime]
    # The event's month in Vietnam ("2026-10"), stored by every writer of the row so reports
    # group by it; None: the event has no start.
    local_month: Mapped[str | None] = mapped_column(String(7))
    # The event's unit, channel, campaign and cost, copied by every writer of the row (and when
    # the event changes): a report sums a province's year without joining 20,000 events.
    org_unit_id: Mapped[int | None]
    channel: Mapped[Channel | None] = mapped_column(str_enum(Channel))
    campaign_id: Mapped[int | None]
    cost_vnd: Mapped[int | None] = mapped_column(BigInteger)
    # The event's start (the actual one, else the planned one), copied like its month: a report
    # counts the event and its cost only once this has passed at the moment it is read
    # (``app.reports.rollups.sums``), compared from the summing indexes. None: no start.
    start_at: Mapped[datetime | None]
    # A post event's people reached (``app.post_reach``: each target's latest, added up), kept
    # beside its views as the event page shows it; None: not a post, or no reach read yet.
    post_reach: Mapped[int | None] = mapped_column(BigInteger)


class RollupState(Base):
    """When a rollup was last rebuilt in full; no row: the reports read the source tables."""

    __tablename__ = "rollup_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    built_at: Mapped[datetime]


class PeopleRollup(Base):
    """Distinct people touched in one report cell; see ``app.reports.rollups.people_cells``.

    A cell is an org unit's subtree (``scope`` "tree") or the unit alone ("own"), a month
    ("2026-10"), a year ("2026") or all time ("*"), one campaign or all (``campaign_id`` 0) and
    one channel or all ("*"). People do not add up across cells, so each cell keeps its own count.
    """

    __tablename__ = "people_rollups"

    org_unit_id: Mapped[int] = mapped_column(
        ForeignKey("org_units.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(4), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(primary_key=True)  # 0: every campaign and none
    channel: Mapped[str] = mapped_column(String(24), primary_key=True)  # "*": every channel
    people: Mapped[int] = mapped_column(BigInteger, default=0)
