"""Writing one batch: idempotent upserts of samples, comments and participants, and the target's
cursor, schedule and status, the event's status and the account's usage.

Called inside the runner's transaction; nothing here commits. Comments are scanned for leads here
(phones are encrypted with a blind index), not in collectors, which hand back raw text only.
``write_batch`` returns what it wrote (``changes.Change``): the runner's later steps — hall
matching, the report rollups, the live delta — start from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, func, select, update

import collectors
from app.attendance.leads import scan_comment
from app.collection.changes import Change, RemovedComment, WrittenComment
from app.collection.targets import named
from app.collection.upsert import upsert
from app.extensions import db
from app.models import (
    Comment,
    EngagementSample,
    Event,
    EventStatus,
    Participant,
    PlatformAccount,
    Target,
)
from app.personal_data import indexed
from collectors.base import REACTION_TYPES, Batch, CommentRecord, ParticipantRecord, Sample


def sample_row(target_id: int, sample: Sample) -> dict[str, Any]:
    row: dict[str, Any] = {
        "target_id": target_id,
        "sampled_at": sample.sampled_at,
        "live_viewers": sample.live_viewers,
        "views": sample.views,
        "reactions_total": sample.reactions_total,
        "comments": sample.comments,
        "shares": sample.shares,
        "extra": dict(sample.extra),
    }
    for kind in REACTION_TYPES:
        row[f"reactions_{kind}"] = (sample.reactions or {}).get(kind) if sample.reactions else None
    return row


def comment_row(target_id: int, record: CommentRecord) -> dict[str, Any]:
    scan = scan_comment(record.message, by_owner=record.by_owner)
    phone = scan.phones[0] if scan.phones else None
    return {
        "target_id": target_id,
        "external_id": record.external_id,
        "parent_external_id": record.parent_external_id,
        "author_name": record.author_name[:300],
        "author_external_id": record.author_external_id,
        "message": record.message,
        "created_at": record.created_at,
        "is_lead": scan.is_lead,
        "lead_intents": list(scan.intents),
        "by_owner": record.by_owner,
        **indexed(phone=phone),
    }


def participant_row(target_id: int, record: ParticipantRecord) -> dict[str, Any]:
    return {
        "target_id": target_id,
        "participant_key": record.participant_key[:200],
        "display_name": record.display_name[:300],
        "joined_at": record.joined_at,
        "left_at": record.left_at,
        "detail": dict(record.detail),
    }


def write_batch(target: Target, batch: Batch, now: datetime) -> Change:
    """Upsert the batch's records and move the target's cursor, in the caller's transaction."""
    sample_rows = [sample_row(target.id, s) for s in batch.samples]
    counters = (
        [c for c in sample_rows[0] if c not in ("target_id", "sampled_at")] if sample_rows else []
    )
    upsert(
        db.session, EngagementSample.__table__, sample_rows, ("target_id", "sampled_at"), counters
    )
    # A comment seen twice keeps one row; an edit replaces the text (and its lead marks).
    comment_rows = list(
        {r["external_id"]: r for r in (comment_row(target.id, c) for c in batch.comments)}.values()
    )
    stored = upsert(
        db.session,
        Comment.__table__,
        comment_rows,
        ("target_id", "external_id"),
        ("message", "is_lead", "lead_intents", "phone", "phone_bidx", "author_name", "by_owner"),
        returning=("id", "external_id", "created_at", "deleted_at", "erased_at"),
        keep_where=Comment.__table__.c.erased_at.is_not(None),  # its text is gone for good
    )
    shown_again = relisted(batch, stored)
    gone = (*batch.removed_comments, *unlisted(target.id, batch, comment_rows))
    removed = remove_comments(target.id, gone, now)
    participant_rows = [participant_row(target.id, p) for p in batch.participants]
    # A session seen again (live roster, then the final report) gains its leave time; its hall
    # and the organiser's not-a-hall mark are not the platform's, so they are never overwritten.
    upsert(
        db.session,
        Participant.__table__,
        participant_rows,
        ("target_id", "participant_key", "joined_at"),
        ("left_at", "display_name", "detail"),
    )
    target.cursor = dict(batch.cursor)
    target.last_success_at = now
    target.failures = 0
    target.last_error = ""
    target.calls_used += batch.calls
    if batch.finished:
        target.finished_at = now
    if batch.title or batch.url:  # what the platform calls it now, and where it is
        said = named(batch.title, batch.url, collectors.COLLECTORS[target.kind].platform)
        target.title, target.url = said["title"] or target.title, said["url"] or target.url
    _event_status(target, batch, now)
    if target.account is not None:
        _account_usage(target.account, target.kind, batch, now)
    return Change(
        event_id=target.event_id,
        target_id=target.id,
        kind=target.kind,
        samples=tuple(batch.samples),
        comments=_written(comment_rows, stored, shown_again),
        participants=tuple(batch.participants),
        removed=removed,
    )


def relisted(batch: Batch, stored: list[Row[Any]]) -> set[int]:
    """Show again the stored comments marked removed that a listing platform lists again (a
    comment the page hid, then unhid); their ids.

    Only a platform that says what it listed whole (``Batch.listed``: Facebook, and YouTube's
    comments under a replay) lists what still exists and is not hidden; a YouTube chat message
    removed by a moderator never comes back (a YouTube batch that lists carries no chat)."""
    back = {r.id for r in stored if r.deleted_at is not None} if batch.listed else set()
    if not back:
        return back
    db.session.execute(
        update(Comment)
        .where(Comment.id.in_(sorted(back)))
        .values(deleted_at=None)
        .execution_options(synchronize_session=False)
    )
    return back


def unlisted(target_id: int, batch: Batch, rows: list[dict[str, Any]]) -> list[str]:
    """The target's shown comments inside a span the batch listed whole, missing from it: the
    platform no longer lists them (collectors.base.ListedSpan)."""
    listed = {r["external_id"] for r in rows}
    gone: list[str] = []
    for span in batch.listed:
        stmt = select(Comment.external_id).where(
            Comment.target_id == target_id, Comment.deleted_at.is_(None)
        )
        if span.since is not None:
            stmt = stmt.where(Comment.created_at >= span.since)
        if span.until is not None:
            stmt = stmt.where(Comment.created_at < span.until)
        gone.extend(e for e in db.session.scalars(stmt) if e not in listed)
    return gone


def remove_comments(
    target_id: int, external_ids: tuple[str, ...], now: datetime
) -> tuple[RemovedComment, ...]:
    """Mark the target's comments the platform removed (kept, never shown, counted or called
    again); those it never stored, or already removed, are passed over."""
    if not external_ids:
        return ()
    rows = db.session.execute(
        update(Comment)
        .where(
            Comment.target_id == target_id,
            Comment.external_id.in_(sorted(set(external_ids))),
            Comment.deleted_at.is_(None),
        )
        .values(deleted_at=now)
        .returning(Comment.id, Comment.created_at)
        .execution_options(synchronize_session=False)
    )
    return tuple(RemovedComment(row.id, row.created_at.astimezone(UTC)) for row in rows)


def _written(
    rows: list[dict[str, Any]], stored: list[Row[Any]], shown_again: set[int]
) -> tuple[WrittenComment, ...]:
    """The comment rows with the ids the database gave them (RETURNING), in the batch's order."""
    by_external_id = {r.external_id: r for r in stored}
    return tuple(
        WrittenComment(
            id=by_external_id[row["external_id"]].id,
            target_id=row["target_id"],
            external_id=row["external_id"],
            author_name=row["author_name"],
            message=row["message"],
            # As stored: a comment read again keeps the time it was first stored with, and the
            # live bars count it in that minute, as the snapshot's do.
            created_at=by_external_id[row["external_id"]].created_at.astimezone(UTC),
            is_lead=row["is_lead"],
            lead_intents=tuple(row["lead_intents"]),
            phone=row["phone"],
            by_owner=row["by_owner"],
            deleted=_not_shown(by_external_id[row["external_id"]], shown_again),
        )
        for row in rows
    )


def _not_shown(stored: Row[Any], shown_again: set[int]) -> bool:
    """Removed by the platform (and not listed again), or erased: its text and author are gone,
    and the batch's copy of them is not to be shown either."""
    removed = stored.deleted_at is not None and stored.id not in shown_again
    return removed or stored.erased_at is not None


def _event_status(target: Target, batch: Batch, now: datetime) -> None:
    """The event is live while any of its targets is; it ends when the last live one ends.

    Its actual times are the platform's where it dates them (the earliest start and the
    latest end of its targets), else the poll's. A platform's date that comes after the poll's
    (Zoom's report minutes after the end, a Teams meeting begun later than scheduled) replaces
    it when the event has no other target. A live first seen over (its link added after the
    broadcast, or the day after) ends its event at once, dated by the platform alone: a poll
    weeks later is no date for it, and the planned start stands in when the platform gives
    none. An event an officer ended stays as they left it."""
    if batch.status is not None:
        target.status = batch.status
    event = db.session.get(Event, target.event_id)
    if event is None or batch.status not in ("live", "ended"):
        return
    start, end = batch.started_at, batch.ended_at
    if (
        start is not None
        and start != event.actual_start
        and (event.actual_start is None or start < event.actual_start or _alone(event, target))
    ):
        event.actual_start = start
    if event.ended_by_id is not None:
        return  # an officer ended it: the platform's word no longer moves it (app.events.status)
    if batch.status == "live" and event.status != EventStatus.LIVE:
        _set_event(event, status=EventStatus.LIVE,
                   actual_start=func.coalesce(Event.actual_start, now))  # fmt: skip
    elif batch.status == "ended" and event.status == EventStatus.LIVE:
        _end_if_last_live(event, target, end or now)
    elif batch.status == "ended" and event.status == EventStatus.SCHEDULED:
        _end_if_last_live(event, target, end)  # first seen over: the platform's date
    elif (
        batch.status == "ended"
        and event.status == EventStatus.ENDED
        and end is not None
        and end != event.actual_end
        and (event.actual_end is None or end > event.actual_end or _alone(event, target))
    ):
        _set_event(event, actual_end=end)


def _set_event(event: Event, **values: Any) -> bool:
    """Write the collectors' word on ``event`` unless an officer has ended it: the condition is
    in the UPDATE itself, so the database checks it on the row as it is when it writes (SQLite
    under the write lock; PostgreSQL on the latest committed version of the row), not on what
    the run read earlier. An officer who ended the event after that read wins. Whether it wrote;
    the event's attributes are read again either way."""
    written = db.session.execute(
        update(Event)
        .where(Event.id == event.id, Event.ended_by_id.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(event, [*values, "ended_by_id", "updated_at"])
    return bool(written)


def _alone(event: Event, target: Target) -> bool:
    """Whether ``target`` is the event's only one, so that its platform's dates are the
    event's whatever the polls saw."""
    other = db.session.scalar(
        select(Target.id).where(Target.event_id == event.id, Target.id != target.id).limit(1)
    )
    return other is None


def end_gone(target: Target, now: datetime) -> None:
    """A target the platform no longer serves (the page deleted its live video, made it private,
    a meeting removed) is finished; one that was live has ended, when it was last read, and
    its event ends with it if no other target is live. Else a deleted video would leave its
    event "live" for ever, its last viewer count shown as current and its livestream kept out
    of the after-livestream reports."""
    target.finished_at = now
    if target.status != "live":
        return
    target.status = "ended"
    event = db.session.get(Event, target.event_id)
    if event is not None and event.status == EventStatus.LIVE:
        _end_if_last_live(event, target, target.last_success_at or now)


def _end_if_last_live(event: Event, target: Target, at: datetime | None) -> None:
    """End ``event`` at ``at`` unless another of its targets is still live."""
    still_live = db.session.scalar(
        select(Target.id)
        .where(Target.event_id == event.id, Target.id != target.id, Target.status == "live")
        .limit(1)
    )
    if still_live is None:
        _set_event(event, status=EventStatus.ENDED, actual_end=func.coalesce(Event.actual_end, at))


def _account_usage(account: PlatformAccount, kind: str, batch: Batch, now: datetime) -> None:
    """The rate-limit usage the platform reported, and the units spent in the quota day."""
    usage = dict(account.rate_limit_usage or {})
    quota = collectors.COLLECTORS[kind].quota if kind in collectors.COLLECTORS else None
    if "usage_pct" in batch.usage:
        usage["usage_pct"] = batch.usage["usage_pct"]
        usage["regain_seconds"] = batch.usage.get("regain_seconds", 0)
        usage["seen_at"] = now.isoformat()
    if quota is not None and "quota_units" in batch.usage:
        day = quota.day(now)
        if usage.get("quota_day") != day:
            usage["quota_day"], usage["quota_units"] = day, 0
        usage["quota_units"] = int(usage.get("quota_units", 0)) + int(batch.usage["quota_units"])
        usage["quota_limit"] = int(batch.usage.get("quota_limit") or quota.units)  # "475 / 10.000"
    account.rate_limit_usage = usage
    if account.health != "ok" and account.health != "auth_expired":
        account.health, account.health_detail = "ok", ""


def store_credentials(account: PlatformAccount, update: Mapping[str, Any]) -> None:
    """Merge tokens the platform rotated into the account's (encrypted) credentials.

    A new dict is assigned so the change is seen; keys not in ``update`` (app id, secret,
    ``base_url``) are kept.
    """
    account.credentials = {**(account.credentials or {}), **dict(update)}


def pause_account(account: PlatformAccount, reason: str, detail: str) -> None:
    """Pause every running target of the account until someone re-authorises it."""
    account.health = reason
    account.health_detail = detail
    db.session.execute(
        update(Target)
        .where(
            Target.account_id == account.id,
            Target.finished_at.is_(None),
            Target.paused_reason.is_(None),
        )
        .values(paused_reason=reason)
    )


def resume_account(account: PlatformAccount, now: datetime) -> int:
    """After re-authorisation: targets paused for the account's credentials run again now."""
    account.health, account.health_detail = "ok", ""
    result = db.session.execute(
        update(Target)
        .where(Target.account_id == account.id, Target.paused_reason == "auth_expired")
        .values(paused_reason=None, next_run_at=now, last_error="")
    )
    return result.rowcount or 0
