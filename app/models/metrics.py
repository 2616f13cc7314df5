"""What collectors bring back: engagement samples, comments and platform participants.

Each table has a natural unique key, so the runner's writes are idempotent upserts: one sample per
target per timestamp, one comment per platform comment id, one participant session per join.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.personal_data import EncryptedText


class EngagementSample(Base):
    """Counters of one target at one moment. NULL means "not served at that moment", not zero."""

    __tablename__ = "engagement_samples"
    __table_args__ = (UniqueConstraint("target_id", "sampled_at"),)

    # BIGINT on PostgreSQL (millions of rows a year); SQLite only autoincrements INTEGER keys.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    sampled_at: Mapped[datetime]
    live_viewers: Mapped[int | None]
    views: Mapped[int | None] = mapped_column(BigInteger)
    reactions_like: Mapped[int | None]
    reactions_love: Mapped[int | None]
    reactions_care: Mapped[int | None]
    reactions_haha: Mapped[int | None]
    reactions_wow: Mapped[int | None]
    reactions_sad: Mapped[int | None]
    reactions_angry: Mapped[int | None]
    reactions_total: Mapped[int | None]
    comments: Mapped[int | None]
    shares: Mapped[int | None]
    # Platform-specific figures (e.g. video insights) that have no column of their own.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Comment(Base):
    """A comment or live-chat message; leads carry the phone found in them, encrypted."""

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("target_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    parent_external_id: Mapped[str | None] = mapped_column(String(200))
    author_name: Mapped[str] = mapped_column(String(300), default="")
    author_external_id: Mapped[str | None] = mapped_column(String(200))
    # Encrypted like the phone: people write their numbers, names and addresses into comments.
    message: Mapped[str] = mapped_column(EncryptedText, default="")
    created_at: Mapped[datetime] = mapped_column(index=True)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    is_lead: Mapped[bool] = mapped_column(default=False, index=True)
    lead_intents: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    phone_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    # Author, text and phone removed (erasure or retention); the comment still counts.
    erased_at: Mapped[datetime | None]
    # The page or channel itself wrote it (the office answering a viewer: collectors tell,
    # ``CommentRecord.by_owner``): shown and marked on the live page, never a lead, and not
    # counted as the audience's comments (``counted_comment``).
    by_owner: Mapped[bool] = mapped_column(default=False, server_default=false())


def counted_comment() -> ColumnElement[bool]:
    """The comments the figures count ("bình luận": the audience's): shown (not removed by the
    platform) and not the page's own replies. The live page's counter and bars and the reports'
    comments and interactions all count these (from ``ix_comments_counted``); the feed shows
    the page's replies too."""
    return Comment.deleted_at.is_(None) & (Comment.by_owner == false())


# Each live delta counts a target's shown comments and its leads, and the event's comments in the
# minutes its batch touched: from these two indexes alone. ``deleted_at``, always null in them,
# lets SQLite see that they cover the reads. A target's peak viewers is the last entry of the next.
Index(
    "ix_comments_shown",
    Comment.target_id,
    Comment.created_at,
    Comment.deleted_at,
    postgresql_where=Comment.deleted_at.is_(None),
    sqlite_where=Comment.deleted_at.is_(None),
)
# The counts (``counted_comment``) read the audience's comments alone from this one, the shown
# index without the page's own replies; its condition is the counts' own, term for term, which
# SQLite needs to use it. The feed, which shows the replies, reads ``ix_comments_shown``.
Index(
    "ix_comments_counted",
    Comment.target_id,
    Comment.created_at,
    Comment.deleted_at,
    Comment.by_owner,
    postgresql_where=counted_comment(),
    sqlite_where=counted_comment(),
)
Index(
    "ix_comments_leads",
    Comment.target_id,
    Comment.is_lead,
    Comment.deleted_at,
    postgresql_where=Comment.is_lead & Comment.deleted_at.is_(None),
    sqlite_where=Comment.is_lead & Comment.deleted_at.is_(None),
)
# The channels page counts the lead comments of its events whose authors are not people yet
# (app.reports.pending_leads): few or none, since a collected batch registers its leads. Only
# those are indexed, with every column the count reads, so both databases read this index alone
# (SQLite, without statistics, picks it over ix_comments_is_lead because it covers the count).
Index(
    "ix_comments_pending_leads",
    Comment.is_lead,
    Comment.target_id,
    Comment.phone_bidx,
    Comment.person_id,
    Comment.deleted_at,
    Comment.erased_at,
    postgresql_where=Comment.is_lead
    & Comment.person_id.is_(None)
    & Comment.deleted_at.is_(None)
    & Comment.erased_at.is_(None),
    sqlite_where=Comment.is_lead
    & Comment.person_id.is_(None)
    & Comment.deleted_at.is_(None)
    & Comment.erased_at.is_(None),
)
# Every collected batch with leads looks up the lead comments of the same authors, registered
# earlier (app.attendance.lead_people): by author id here, by phone through its own index.
Index(
    "ix_comments_lead_authors",
    Comment.author_external_id,
    postgresql_where=Comment.is_lead & Comment.author_external_id.is_not(None),
    sqlite_where=Comment.is_lead & Comment.author_external_id.is_not(None),
)
Index("ix_engagement_samples_viewers", EngagementSample.target_id, EngagementSample.live_viewers)


class Participant(Base):
    """One join→leave session of a platform participant (usually a commune hall) in a meeting."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("target_id", "participant_key", "joined_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    participant_key: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(300), default="")
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    bridge_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("bridge_points.id", ondelete="SET NULL"), index=True
    )
    # The organiser said this name is no hall (the host's room, a staff phone, a presenter): it
    # leaves the unmatched list. Collectors never write it, so a later poll keeps it.
    not_a_hall: Mapped[bool] = mapped_column(default=False, server_default=false())
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
