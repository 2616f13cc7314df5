"""Org units (the 2025 two-level administrative tree) and campaigns."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamps
from app.models.enums import OrgKind, Scheme, str_enum


class OrgUnit(Base):
    """Country → province (2-digit code) → commune/ward (5-digit code), per Decision 19/2025/QĐ-TTg.

    ``path`` is the chain of codes from the root ("VN/40/17506"), so "this unit and everything under
    it" is one indexed prefix comparison; scoping relies on it.
    """

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind))
    division_type: Mapped[str] = mapped_column(String(40), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    path: Mapped[str] = mapped_column(String(64), index=True)
    source_version: Mapped[str] = mapped_column(String(80), default="")

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code} {self.name}>"


class Campaign(Timestamps, Base):
    """A promotion drive with a period, a target scheme and a goal of new participants."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    scheme: Mapped[Scheme] = mapped_column(str_enum(Scheme))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    goal: Mapped[int] = mapped_column(default=0)
    attribution_window_days: Mapped[int] = mapped_column(default=90)
    retention_days: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text, default="")

    org_unit: Mapped[OrgUnit] = relationship()
