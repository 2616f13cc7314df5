"""The linkage engine against the database: people and enrolments in, Link rows out.

``run_linkage`` loads the people we may link (``app.consent.may_process``: they agreed, or are
comment leads under their basis; not erased, not withdrawn) and the enrolment rows (but those
whose answer was "Không" or whose identifiers were erased), decrypts their identifiers into
``PersonRecord``s, calls the pure engine (app.linkage) and writes what it found, idempotently:

- a pair already stored is never inserted twice; a confirmed or rejected pair is never touched
  (an officer's decision outlives every re-run, and a rejected pair is never proposed again);
- an enrolment has at most one live link (linked, review or confirmed): a later run does not
  give it to a second person;
- household members enrolled in the same BHYT purchase as a person's own enrolment become a
  ``household`` link of that person with status linked: they count as the person's conversion,
  never as a separate person.

Incremental runs compare only what is new since the last run (its high-water marks are kept in
the audit log entry of that run): every person against the new enrolments, and the new people
against the older enrolments nobody holds yet. ``full=True`` compares everything again.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa
from flask import current_app
from sqlalchemy import func, or_, select

from app.consent import may_process
from app.extensions import db
from app.followup.link_scope import in_scope_pairs
from app.linkage import LinkMethod, PersonRecord, link, normalize_records
from app.linkage import LinkStatus as EngineStatus
from app.linkage.spark_backend import options_from as spark_options
from app.models import AuditLog, Enrolment, Link, LinkStatus, OrgUnit, Person

RUN_ACTION = "followup.link"
LIVE = (LinkStatus.LINKED, LinkStatus.REVIEW, LinkStatus.CONFIRMED)
DECIDED = (LinkStatus.CONFIRMED, LinkStatus.REJECTED)
OWN = (LinkStatus.LINKED, LinkStatus.CONFIRMED)


@dataclass
class LinkageRun:
    """What one run did; ``as_dict`` goes into the audit log (counts only, no personal data)."""

    full: bool
    people: int = 0
    enrolments: int = 0
    new_links: Counter[str] = field(default_factory=Counter)
    updated: int = 0
    kept_decisions: int = 0  # proposals skipped because an officer had decided the pair
    taken: int = 0  # proposals skipped because the enrolment already belongs to someone
    out_of_scope: int = 0  # proposals skipped: the person is outside the importing unit
    issues: int = 0
    household_guard: int = 0  # probabilistic pairs sent to review: same phone, other given name
    review_queue: int = 0
    people_upto: int = 0
    enrolments_upto: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "full": self.full,
            "people": self.people,
            "enrolments": self.enrolments,
            "new_links": dict(sorted(self.new_links.items())),
            "updated": self.updated,
            "kept_decisions": self.kept_decisions,
            "taken": self.taken,
            "out_of_scope": self.out_of_scope,
            "issues": self.issues,
            "household_guard": self.household_guard,
            "review_queue": self.review_queue,
            "people_upto": self.people_upto,
            "enrolments_upto": self.enrolments_upto,
        }


def birth_text(iso: str | None, year: int | None) -> str | int | None:
    """Our stored birth ("1975", "1975-05", "1975-05-17") as the engine reads it."""
    if not iso:
        return year
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return iso


def _communes() -> dict[int, str]:
    return {uid: code for uid, code in db.session.execute(select(OrgUnit.id, OrgUnit.code))}


def person_records(
    person_ids: Iterable[int] | None = None, *, above: int = 0
) -> list[PersonRecord]:
    """People we may link (``may_process``); ids above ``above``."""
    codes = _communes()
    stmt = (
        select(
            Person.id,
            Person.full_name,
            Person.birth_date,
            Person.birth_year,
            Person.gender,
            Person.cccd,
            Person.bhxh_code,
            Person.phone,
            Person.commune_id,
        )  # fmt: skip
        .where(may_process())
        .where(Person.id > above)
        .order_by(Person.id)
    )
    if person_ids is not None:
        stmt = stmt.where(Person.id.in_(list(person_ids)))
    return [
        PersonRecord(
            record_id=str(pid),
            full_name=name or None,
            birth=birth_text(birth, year),
            sex=gender,
            id_number=cccd,
            insurance_id=bhxh,
            phone=phone,
            commune=codes.get(commune_id) if commune_id else None,
        )
        for pid, name, birth, year, gender, cccd, bhxh, phone, commune_id in db.session.execute(
            stmt
        )
    ]


def enrolment_records(*, above: int = 0, upto: int | None = None, free_only: bool = False):
    """Enrolment rows with ids in (above, upto]; ``free_only``: those no live link holds."""
    codes = _communes()
    stmt = (
        select(
            Enrolment.id,
            Enrolment.full_name,
            Enrolment.birth_date,
            Enrolment.birth_year,
            Enrolment.gender,
            Enrolment.cccd,
            Enrolment.bhxh_code,
            Enrolment.phone,
            Enrolment.commune_id,
            Enrolment.commune_text,
            Enrolment.household_ref,
        )  # fmt: skip
        .where(Enrolment.id > above, Enrolment.erased_at.is_(None))
        .where(or_(Enrolment.consent_agreed.is_(None), Enrolment.consent_agreed.is_(True)))
        .order_by(Enrolment.id)
    )
    if upto is not None:
        stmt = stmt.where(Enrolment.id <= upto)
    if free_only:
        held = select(Link.enrolment_id).where(Link.status.in_(LIVE))
        stmt = stmt.where(Enrolment.id.not_in(held))
    return [
        PersonRecord(
            record_id=str(row.id),
            full_name=row.full_name or None,
            birth=birth_text(row.birth_date, row.birth_year),
            sex=row.gender,
            id_number=row.cccd,
            insurance_id=row.bhxh_code,
            phone=row.phone,
            commune=(codes.get(row.commune_id) if row.commune_id else None)
            or row.commune_text
            or None,
            household_ref=row.household_ref,
        )
        for row in db.session.execute(stmt)
    ]


def last_marks() -> tuple[int, int] | None:
    """(people_upto, enrolments_upto) of the last run, or None if linkage never ran."""
    detail = db.session.scalar(
        select(AuditLog.detail).where(AuditLog.action == RUN_ACTION).order_by(AuditLog.id.desc())
    )
    if not detail or "people_upto" not in detail:
        return None
    return int(detail["people_upto"]), int(detail["enrolments_upto"])


def linkage_behind() -> bool:
    """True when enrolments arrived after the last linkage run (or none ran yet).

    An import links what it brought in a second transaction; if that one was cut short (the
    process killed), running the same import again finds the file imported and links it then.
    """
    newest = db.session.scalar(select(func.max(Enrolment.id))) or 0
    marks = last_marks()
    return newest > (marks[1] if marks else 0)


def run_linkage(now: datetime, *, full: bool = False, probabilistic: bool = True) -> LinkageRun:
    """Link people to enrolments and write the links, in the caller's transaction."""
    marks = None if full else last_marks()
    run = LinkageRun(full=marks is None)
    run.people_upto = db.session.scalar(select(func.max(Person.id))) or 0
    run.enrolments_upto = db.session.scalar(select(func.max(Enrolment.id))) or 0
    batches: list[tuple[list[PersonRecord], list[PersonRecord]]]
    if marks is None:
        batches = [(person_records(), enrolment_records(upto=run.enrolments_upto))]
    else:
        old_people, old_enrolments = marks
        batches = [
            # everybody against the enrolments that arrived since the last run
            (person_records(), enrolment_records(above=old_enrolments, upto=run.enrolments_upto)),
            # the people who arrived since, against the older enrolments nobody holds
            (
                person_records(above=old_people),
                enrolment_records(upto=old_enrolments, free_only=True),
            ),
        ]
    for people, enrolments in batches:
        run.people = max(run.people, len(people))
        run.enrolments += len(enrolments)
        if not people or not enrolments:
            continue
        att, att_issues = normalize_records(people)
        enr, enr_issues = normalize_records(enrolments)
        spark = spark_options(current_app.config)  # LINKAGE_BACKEND=spark
        result = link(att, enr, probabilistic=probabilistic, spark=spark)
        run.issues += len(att_issues) + len(enr_issues)
        shared = shared_phone_other_name(att, enr)
        proposals = []
        for lk in result.links:
            status = LinkStatus.REVIEW if lk.status == EngineStatus.REVIEW else LinkStatus.LINKED
            if (
                lk.method == LinkMethod.PROBABILISTIC
                and (lk.attendee_id, lk.enrolment_id) in shared
            ):
                status = LinkStatus.REVIEW
                run.household_guard += 1
            proposals.append(
                (int(lk.attendee_id), int(lk.enrolment_id), lk.method.value, lk.score, status)
            )
        write_links(proposals, run, now)
    household_links(run, now)
    run.review_queue = (
        db.session.scalar(select(func.count(Link.id)).where(Link.status == LinkStatus.REVIEW)) or 0
    )
    from app import audit

    audit.record(RUN_ACTION, None, "link", "", **run.as_dict())
    return run


def shared_phone_other_name(att: pa.Table, enr: pa.Table) -> set[tuple[str, str]]:
    """Pairs with the same phone but different given names: a household member, not the person.

    One phone serves a whole household (and numbers are recycled); the probabilistic pass
    can still score such a pair high on phone, surname and commune. It is never linked without
    an officer: it goes to the review queue.
    """
    by_phone: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for uid, phone, given in zip(*(att[c].to_pylist() for c in ("unique_id", "phone", "given_f")),
                                 strict=True):  # fmt: skip
        if phone:
            by_phone[phone].append((uid, given))
    pairs: set[tuple[str, str]] = set()
    for eid, phone, given in zip(*(enr[c].to_pylist() for c in ("unique_id", "phone", "given_f")),
                                 strict=True):  # fmt: skip
        for aid, att_given in by_phone.get(phone, ()) if phone else ():
            if given and att_given and given != att_given:
                pairs.add((aid, eid))
    return pairs


def write_links(
    proposals: list[tuple[int, int, str, float, LinkStatus]], run: LinkageRun, now: datetime
) -> None:
    """Insert new pairs, refresh undecided ones, never touch a decision or take a held enrolment."""
    enrolment_ids = sorted({e for _, e, *_ in proposals})
    stored: dict[tuple[int, int], Link] = {}
    holder: dict[int, int] = {}
    for start in range(0, len(enrolment_ids), 500):
        chunk = enrolment_ids[start : start + 500]
        for row in db.session.scalars(select(Link).where(Link.enrolment_id.in_(chunk))):
            stored[(row.person_id, row.enrolment_id)] = row
            if row.status in LIVE:
                holder[row.enrolment_id] = row.person_id
    # Links to people who were erased, withdrew or may not be linked are not written, nor pairs
    # across units.
    allowed = _linkable({p for p, *_ in proposals})
    in_scope = in_scope_pairs((p, e) for p, e, *_ in proposals)
    for person_id, enrolment_id, method, score, status in proposals:
        if person_id not in allowed:
            continue
        if (person_id, enrolment_id) not in in_scope:
            run.out_of_scope += 1
            continue
        old = stored.get((person_id, enrolment_id))
        if old is not None:
            if old.status in DECIDED:
                run.kept_decisions += 1
            elif (old.method, old.status) != (method, status) or abs(old.score - score) > 1e-9:
                old.method, old.score, old.status = method, score, status
                run.updated += 1
            continue
        if holder.get(enrolment_id, person_id) != person_id:
            run.taken += 1
            continue
        db.session.add(Link(person_id=person_id, enrolment_id=enrolment_id, method=method,
                            score=score, status=status, created_at=now))  # fmt: skip
        holder[enrolment_id] = person_id
        run.new_links[method] += 1
    db.session.flush()


def _linkable(person_ids: set[int]) -> set[int]:
    ids = sorted(person_ids)
    out: set[int] = set()
    for start in range(0, len(ids), 500):
        out.update(
            db.session.scalars(
                select(Person.id).where(Person.id.in_(ids[start : start + 500]), may_process())
            )
        )
    return out


def household_links(run: LinkageRun, now: datetime) -> None:
    """Members of a household purchase whose owner is linked become that person's household links.

    The engine applies the rule within one run; this catches members that arrive in a later
    file than the owner's own enrolment, or whose owner an officer confirmed by hand.
    """
    owners: dict[str, int] = {}
    stmt = (
        select(Enrolment.household_ref, Link.person_id)
        .join(Link, Link.enrolment_id == Enrolment.id)
        .where(Enrolment.household_ref.is_not(None), Link.status.in_(OWN))
        .where(Link.method != LinkMethod.HOUSEHOLD.value)
        .order_by(Link.id)
    )
    for ref, person_id in db.session.execute(stmt):
        owners.setdefault(ref, person_id)
    if not owners:
        return
    held = select(Link.enrolment_id).where(Link.status.in_(LIVE))
    members: dict[str, list[int]] = defaultdict(list)
    for eid, ref in db.session.execute(
        select(Enrolment.id, Enrolment.household_ref).where(
            Enrolment.household_ref.in_(list(owners)), Enrolment.id.not_in(held)
        )
    ):
        members[ref].append(eid)
    proposals = [
        (owners[ref], eid, LinkMethod.HOUSEHOLD.value, 0.0, LinkStatus.LINKED)
        for ref, eids in members.items()
        for eid in eids
    ]
    if proposals:
        write_links(proposals, run, now)


@dataclass(frozen=True)
class FollowUpRefresh:
    leads: int  # people created from comment leads
    merged: int  # duplicate people merged away
    linkage: LinkageRun

    def lines(self) -> list[str]:
        run = self.linkage
        by_method = ", ".join(f"{m} {n}" for m, n in sorted(run.new_links.items())) or "none"
        return [
            f"{self.leads} people from comment leads, {self.merged} duplicates merged.",
            f"{'Full' if run.full else 'Incremental'} linkage: {run.people} people, "
            f"{run.enrolments} enrolments compared.",
            f"New links: {sum(run.new_links.values())} ({by_method}); {run.updated} updated; "
            f"{run.kept_decisions} officer decisions kept.",
            f"Review queue: {run.review_queue} pairs.",
        ]


def refresh_follow_up(now: datetime, *, full: bool = False) -> FollowUpRefresh:
    """Registry update, deduplication, then linkage: what ``flask followup link`` runs."""
    from app.attendance.lead_people import register_pending_leads
    from app.followup.dedup import deduplicate

    leads = register_pending_leads(now)
    merged = deduplicate(now)
    return FollowUpRefresh(leads, merged, run_linkage(now, full=full or merged > 0))
