"""People (attendees, leads), their touches, enrolments, import batches and linkage.

Personal identifiers are EncryptedText columns with a sibling ``*_bidx`` blind index (see
app.personal_data): the clear value never reaches the database, and equality matching uses
the index.
The birth *year* stays in clear because linkage blocks on it and it identifies nobody alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.identity.births import BirthPrecision
from app.models.base import Base, Timestamps
from app.models.enums import LinkStatus, Scheme, str_enum
from app.models.org import OrgUnit
from app.personal_data import EncryptedText, indexed


class PersonalIdentifiers:
    """Name, birth and identifiers shared by people and enrolment rows.

    Phone, CCCD and BHXH code each sit beside their blind index; ``set_identifiers`` writes the
    two together, so a value and its index never disagree.
    """

    full_name: Mapped[str] = mapped_column(String(200), default="")
    name_folded: Mapped[str] = mapped_column(String(200), default="", index=True)
    gender: Mapped[str | None] = mapped_column(String(10))
    birth_date: Mapped[str | None] = mapped_column(EncryptedText)  # ISO date, at its precision
    birth_precision: Mapped[BirthPrecision | None] = mapped_column(str_enum(BirthPrecision))
    birth_year: Mapped[int | None] = mapped_column(index=True)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    phone_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    cccd: Mapped[str | None] = mapped_column(EncryptedText)
    cccd_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    bhxh_code: Mapped[str | None] = mapped_column(EncryptedText)
    bhxh_code_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    commune_text: Mapped[str] = mapped_column(String(200), default="")

    def set_identifiers(self, **identifiers: str | None) -> None:
        """Set ``phone``, ``cccd`` or ``bhxh_code`` (normalised, or None) with its blind index.

        The index needs the application's data key, so call it inside an app context.
        """
        for column, value in indexed(**identifiers).items():
            setattr(self, column, value)


class ConsentAnswer:
    """A recorded answer to a purpose text (app.consent): agreed or not, to which version, when.

    All three are None when nobody asked: an answer is never assumed.
    """

    consent_agreed: Mapped[bool | None] = mapped_column()
    consent_version: Mapped[str | None] = mapped_column(String(40))
    consent_at: Mapped[datetime | None] = mapped_column()


class Person(PersonalIdentifiers, ConsentAnswer, Timestamps, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    hamlet: Mapped[str] = mapped_column(String(200), default="")
    consent_source: Mapped[str | None] = mapped_column(String(80))  # where the record was made
    consent_withdrawn_at: Mapped[datetime | None]
    # Why we hold someone who never answered: app.consent.PUBLIC_COMMENT for comment leads.
    legal_basis: Mapped[str | None] = mapped_column(String(20))
    erased_at: Mapped[datetime | None]

    commune: Mapped[OrgUnit | None] = relationship()


class Attendance(Base):
    """A touch: a person seen at an event (sheet, check-in, platform roster or comment lead)."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("person_id", "event_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Indexed: the people seen at one commune's halls of the province's events (a commune's part
    # in the channels report, app.reports.parent_part) without reading each event's every touch.
    bridge_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("bridge_points.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str] = mapped_column(String(300), default="")
    touched_at: Mapped[datetime]


class ImportBatch(Base):
    """One imported file; its SHA-256 makes importing the same file twice a no-op."""

    __tablename__ = "import_batches"
    __table_args__ = (UniqueConstraint("kind", "sha256", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "enrolments" | "attendees"
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_ok: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class Enrolment(PersonalIdentifiers, ConsentAnswer, Base):
    """A row of an enrolment export (BHXH tự nguyện / BHYT hộ gia đình), kept with its source.

    Its consent answer comes from the export's own column when it has one; a "no" is never
    linked. ``erased_at``: identifiers removed (erasure or retention), the counts kept.
    """

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("row_key"),
        # A campaign's progress (new enrolments of its scheme paid in its dates, by commune) read
        # from the index alone: on SQLite the rows themselves, wide with ciphertexts, made a
        # quarter of a province's 500,000 enrolments take a second and a half to count.
        Index("ix_enrolments_progress", "scheme", "is_new", "paid_on", "commune_id", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    source_row: Mapped[int]
    # The workbook's sheet of ``source_row`` when the file had several sheets read (each sheet
    # numbers its rows from 1); None for a one-sheet workbook or a CSV, as before.
    source_sheet: Mapped[str | None] = mapped_column(String(120))
    source_ref: Mapped[str | None] = mapped_column(String(120))
    # Hash of the normalised row: the same enrolment in two files is stored once.
    row_key: Mapped[str] = mapped_column(String(64))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    scheme: Mapped[Scheme] = mapped_column(str_enum(Scheme))
    is_new: Mapped[bool] = mapped_column(default=True)
    household_ref: Mapped[str | None] = mapped_column(String(120))
    paid_on: Mapped[date | None] = mapped_column(index=True)
    amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    payment_method: Mapped[str] = mapped_column(String(80), default="")
    agent_name: Mapped[str] = mapped_column(String(200), default="")
    erased_at: Mapped[datetime | None]


class Link(Base):
    """A person ↔ enrolment match, how it was found, and whether an officer confirmed it."""

    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("person_id", "enrolment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(30))
    score: Mapped[float] = mapped_column(default=1.0)
    status: Mapped[LinkStatus] = mapped_column(str_enum(LinkStatus), default=LinkStatus.LINKED)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
