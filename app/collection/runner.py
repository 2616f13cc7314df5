"""Running collectors: the one service function that owns the transaction.

``run_targets`` loads the targets, releases the database while the HTTP calls run, then for each
target: collect → write (samples, comments, cursor, schedule, run record, with idempotent upserts)
→ the steps that must commit with the batch (``steps.IN_TRANSACTION``: lead comments made people,
hall matching, rollups) →
**one commit** → publish the change to the event's room. A crash at any point re-runs from the
last committed cursor; the upserts absorb what was fetched twice.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from flask import current_app
from sqlalchemy import func, select

import collectors
from app.collection import due, servers, steps, writer
from app.collection.changes import Change
from app.extensions import db
from app.models import CollectionRun, PlatformAccount, Target, utcnow
from collectors.base import Batch, Clock, TargetSpec
from collectors.errors import (
    AuthExpired,
    CollectorError,
    PermanentError,
    RateLimited,
    TargetGone,
    TransientError,
)

log = logging.getLogger(__name__)

Publish = Callable[[int, str, Change | None], None]  # (event id, reason, change)
CollectorFactory = Callable[[str, str], Any]  # (kind, base_url) -> collector


@dataclass
class RunResult:
    target_id: int
    outcome: str  # ok | rate_limited | transient | auth_expired | permanent | gone | skipped
    samples: int = 0
    comments: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome in ("ok", "skipped")


def http_session() -> requests.Session:
    """One pooled session per process, created on first use (never at import)."""
    session = current_app.extensions.get("lantoa_http")
    if session is None:
        session = collectors.http.make_session(
            retries=current_app.config.get("COLLECTOR_HTTP_RETRIES", 2),
            backoff=current_app.config.get("COLLECTOR_HTTP_BACKOFF", 0.3),
        )
        current_app.extensions["lantoa_http"] = session
    return session


def client_options(kind: str) -> dict[str, Any]:
    """How the API client of ``kind`` is built here: timeouts and its settings from the config."""
    config = current_app.config
    spec = collectors.COLLECTORS[kind]
    client = {k: config[v] for k, v in spec.client_settings.items() if config.get(v)}
    return {"timeout": (3.05, config.get("COLLECTOR_HTTP_TIMEOUT", 15.0)), **client}


def _default_factory(clock: Clock) -> CollectorFactory:
    def make(kind: str, base_url: str) -> Any:
        config = current_app.config
        spec = collectors.COLLECTORS[kind]
        options = {k: config[v] for k, v in spec.collector_settings.items() if v in config}
        return collectors.build(
            kind, http_session(), base_url, clock=clock, options=options, **client_options(kind)
        )

    return make


def spec_for(
    kind: str,
    external_id: str,
    account: PlatformAccount | None,
    key: str = "",
    ended_at: datetime | None = None,
) -> TargetSpec:
    """What a collector is given for an object of ``account``: its credentials, and the base URL
    they name (``base_url``: a BigBlueButton server, the sandbox) or the config's; ``ended_at``
    when an officer's end of its event ended it (its final read).

    Raises ``servers.UnsafeURL`` when the account's server may not be called.
    """
    setting = collectors.COLLECTORS[kind].base_url_setting
    base_url, credentials = servers.server_for(
        setting, dict(account.credentials or {}) if account else {}, current_app.config
    )
    return TargetSpec(
        kind=kind,
        external_id=external_id,
        base_url=base_url,
        credentials=credentials,
        account_external_id=account.external_id if account else None,
        key=key,
        ended_at=ended_at,
    )


def _spec(target: Target) -> TargetSpec:
    return spec_for(
        target.kind, target.external_id, target.account, str(target.id), target.hand_ended_at
    )


def due_target_ids(now: datetime, limit: int = 200) -> list[int]:
    stmt = (
        select(Target.id)
        .where(Target.paused_reason.is_(None), Target.finished_at.is_(None))
        .where((Target.next_run_at.is_(None)) | (Target.next_run_at <= now))
        .order_by(Target.next_run_at.asc().nulls_first())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def run_targets(
    target_ids: Iterable[int],
    *,
    factory: CollectorFactory | None = None,
    clock: Clock = utcnow,
    publish: Publish | None = None,
) -> list[RunResult]:
    """Collect the given targets; targets of one account share a request where the API allows."""
    from app.realtime import publish as default_publish

    publish = publish or default_publish
    factory = factory or _default_factory(clock)
    loaded: list[_Loaded] = []
    refused: list[tuple[int, int, CollectorError]] = []
    results: list[RunResult] = []
    for target in db.session.scalars(select(Target).where(Target.id.in_(list(target_ids)))):
        skip = _skip_reason(target)
        if skip:
            log.info("skipping target %s: %s", target.id, skip)
            results.append(RunResult(target.id, "skipped", error=skip))
            continue
        cursor = dict(target.cursor or {})
        try:
            spec = _spec(target)
        except servers.UnsafeURL as exc:  # the token never leaves for a refused address
            refused.append((target.id, target.event_id, PermanentError(f"server refused: {exc}")))
            continue
        loaded.append(_Loaded(target.id, target.event_id, target.account_id, spec, cursor))
    db.session.commit()  # release the database while the HTTP calls run
    for target_id, event_id, error in refused:
        now = clock()
        results.append(_record(target_id, event_id, error, now, 0.0, clock, publish))

    # Targets of one account and API share a collector call (Graph batch requests).
    groups: dict[tuple[str, str, int | None], list[_Loaded]] = defaultdict(list)
    for item in loaded:
        groups[(item.spec.kind, item.spec.base_url, item.account_id)].append(item)
    for (kind, base_url, _account), items in groups.items():
        collector = factory(kind, base_url)
        started = clock()
        began = time.perf_counter()
        outcomes = _collect(collector, kind, [(i.spec, i.cursor) for i in items])
        elapsed = time.perf_counter() - began
        for item, outcome in zip(items, outcomes, strict=True):
            try:
                result = _record(
                    item.target_id, item.event_id, outcome, started, elapsed, clock, publish
                )
            except Exception as exc:  # one target's failed write must not stop the others
                db.session.rollback()
                log.error("writing target %s failed", item.target_id, exc_info=exc)
                result = RunResult(item.target_id, "error", error=f"{type(exc).__name__}: {exc}")
            results.append(result)
    return results


@dataclass(frozen=True)
class _Loaded:
    target_id: int
    event_id: int
    account_id: int | None
    spec: TargetSpec
    cursor: dict[str, Any]


def _batches(kind: str) -> bool:
    return collectors.COLLECTORS[kind].batches if kind in collectors.COLLECTORS else False


def _skip_reason(target: Target) -> str:
    if target.paused_reason:
        return f"paused ({target.paused_reason})"
    if target.finished_at is not None:
        return "finished"
    if target.kind not in collectors.COLLECTORS:
        return f"no collector for {target.kind}"
    return ""


def _collect(
    collector: Any, kind: str, items: list[tuple[TargetSpec, Mapping[str, Any]]]
) -> list[Batch | Exception]:
    if _batches(kind) and len(items) > 1:
        try:
            return collector.collect_many(items)
        except Exception as exc:  # noqa: BLE001 - classified below, per target
            return [_classified(exc)] * len(items)
    outcomes: list[Batch | Exception] = []
    for spec, cursor in items:
        try:
            outcomes.append(collector.collect(spec, cursor))
        except Exception as exc:  # noqa: BLE001
            outcomes.append(_classified(exc))
    return outcomes


def _classified(exc: Exception) -> CollectorError:
    """A collector bug or an answer of an unexpected shape counts as a transient failure."""
    if isinstance(exc, CollectorError):
        return exc
    log.error("collector raised an unclassified %s", type(exc).__name__, exc_info=exc)
    return TransientError(f"unexpected answer ({type(exc).__name__}: {exc})")


def _record(
    target_id: int,
    event_id: int,
    outcome: Batch | Exception,
    started: datetime,
    elapsed: float,
    clock: Clock,
    publish: Publish,
) -> RunResult:
    """Write one target's outcome in one transaction, then publish."""
    now = clock()
    target = db.session.get(Target, target_id)
    if target is None:  # deleted while we were collecting
        db.session.rollback()
        return RunResult(target_id, "skipped", error="target deleted")
    before = _State.of(target)
    run = CollectionRun(target_id=target_id, started_at=started, outcome="ok")
    rotated = getattr(outcome, "credentials_update", None)
    if rotated and target.account is not None:  # single-use tokens: store them, even on failure
        writer.store_credentials(target.account, rotated)
    change: Change | None = None
    if isinstance(outcome, Batch):
        change = writer.write_batch(target, outcome, now)
        steps.run_in_transaction(change)
        interval = due.interval_for(
            target.kind,
            outcome.status,
            poll_after=outcome.poll_after,
            usage_pct=outcome.usage.get("usage_pct"),
        ) * current_app.config.get("COLLECTOR_INTERVAL_SCALE", 1.0)
        interval = max(interval, _quota_floor(target, outcome, now))
        target.next_run_at = due.next_run_at(now, interval)
        run.samples, run.comments = len(change.samples), len(change.comments)
        run.participants, run.calls = len(change.participants), outcome.calls
        result = RunResult(target_id, "ok", run.samples, run.comments)
    else:
        result = _handle_error(target, outcome, now)
        run.outcome, run.error = result.outcome, result.error
    run.finished_at = started + timedelta(seconds=elapsed)
    db.session.add(run)
    db.session.commit()
    _log_change(target, before, result)
    if change is not None:
        publish(event_id, "collected", change)
    elif result.outcome in ("auth_expired", "permanent", "rate_limited", "gone"):
        publish(event_id, "status", None)
    return result


@dataclass(frozen=True)
class _State:
    """What a log line is about: the run's outcome alone is not news, a change of state is."""

    status: str | None
    finished: bool
    paused: str | None
    failures: int

    @classmethod
    def of(cls, target: Target) -> _State:
        return cls(target.status, target.finished_at is not None, target.paused_reason,
                   target.failures)  # fmt: skip


def _log_change(target: Target, before: _State, result: RunResult) -> None:
    """One INFO line when a target starts, ends, fails, recovers or is paused; nothing per tick."""
    after = _State.of(target)
    name = f"target {target.id} ({target.kind} {target.external_id}, event {target.event_id})"
    if after.status != before.status and after.status == "live":
        log.info("%s started: live", name)
    if after.finished and not before.finished:
        log.info("%s ended%s", name, f": {result.error}" if result.error else "")
    elif after.status != before.status and after.status == "ended":
        log.info("%s ended: final sweep", name)
    if after.paused and after.paused != before.paused:
        log.warning("%s paused (%s): %s", name, after.paused, result.error)
    if after.failures > before.failures and after.failures in (1, 3, 10):
        log.warning("%s failed %d time(s) in a row: %s", name, after.failures, result.error)
    elif result.outcome == "ok" and before.failures and not after.failures:
        log.info("%s recovered after %d failure(s)", name, before.failures)


def _quota_floor(target: Target, batch: Batch, now: datetime) -> float:
    """For a kind with a daily quota, the interval that keeps the project within its day."""
    quota = collectors.COLLECTORS[target.kind].quota
    cost = int(batch.usage.get("quota_units") or 0)
    account = target.account
    if quota is None or not cost or account is None or batch.finished:
        return 0.0
    usage = account.rate_limit_usage or {}
    active = db.session.scalar(
        select(func.count(Target.id)).where(
            Target.account_id == account.id,
            Target.finished_at.is_(None),
            Target.paused_reason.is_(None),
            Target.status == "live",
        )
    )
    return due.quota_interval(
        int(usage.get("quota_units", 0)),
        int(batch.usage.get("quota_limit") or quota.units),
        cost,
        quota.seconds_to_reset(now),
        active_targets=max(int(active or 0), 1),
    )


def _handle_error(target: Target, error: Exception, now: datetime) -> RunResult:
    message = str(error)
    target.last_error = message
    if isinstance(error, RateLimited):
        wait = error.retry_after if error.retry_after is not None else 300.0
        target.next_run_at = due.next_run_at(now, wait)
        if target.account is not None:
            target.account.health = "rate_limited"
            target.account.health_detail = message
        return RunResult(target.id, "rate_limited", error=message)
    if isinstance(error, AuthExpired):
        if target.account is not None:
            writer.pause_account(target.account, "auth_expired", message)
        target.paused_reason = "auth_expired"
        return RunResult(target.id, "auth_expired", error=message)
    if isinstance(error, TargetGone):
        writer.end_gone(target, now)
        return RunResult(target.id, "gone", error=message)
    if isinstance(error, PermanentError):
        target.paused_reason = "permanent_error"
        return RunResult(target.id, "permanent", error=message)
    target.failures += 1
    target.next_run_at = due.next_run_at(now, due.backoff(target.failures))
    return RunResult(target.id, "transient", error=message)
