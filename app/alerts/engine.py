"""Opening and clearing alerts from the rules' decision, once per condition, in any process.

``evaluate(now)`` runs on the scheduler wherever collection runs (the web process or ``flask
collect run``), and may run in both at once: an alert opens through the unique ``open_key`` (the
second evaluator's insert fails in its SAVEPOINT and it moves on) and clears through an UPDATE
guarded by ``open_key IS NOT NULL`` (only the evaluator whose UPDATE changed the row clears it).
Whoever opened or cleared an alert queues its messages and writes the audit row, in the same
transaction, so each change is told exactly once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.alerts import facts as facts_db
from app.alerts.rules import Condition, decide
from app.extensions import db
from app.models import Alert, AlertMessage, AlertRules, Event

log = logging.getLogger(__name__)


@dataclass
class Evaluation:
    opened: list[int] = field(default_factory=list)
    cleared: list[int] = field(default_factory=list)


def evaluate(now: datetime) -> Evaluation:
    """Every watched event evaluated at ``now``; each event commits on its own, and one event's
    failure (logged) leaves the others evaluated."""
    result = Evaluation()
    for event_id in facts_db.watched_event_ids(now):
        try:
            evaluate_event(event_id, now, result)
        except Exception:
            db.session.rollback()
            log.exception("evaluating the alerts of event %s failed", event_id)
    return result


def evaluate_event(event_id: int, now: datetime, result: Evaluation | None = None) -> Evaluation:
    result = result if result is not None else Evaluation()
    event = db.session.get(Event, event_id)
    if event is None:
        return result
    row = facts_db.rules_row(event_id)
    conditions = decide(facts_db.settings_of(row), facts_db.event_facts(event, now), now)
    holding = {c.key: c for c in conditions}
    open_alerts = db.session.scalars(
        select(Alert).where(Alert.event_id == event_id, Alert.open_key.is_not(None))
    ).all()
    already = {(a.rule, a.subject) for a in open_alerts}
    for alert in open_alerts:
        if (alert.rule, alert.subject) not in holding and clear_alert(alert, now, row):
            result.cleared.append(alert.id)
    for key, condition in holding.items():
        if key not in already:
            alert = open_alert(event_id, condition, now, row)
            if alert is not None:
                result.opened.append(alert.id)
    db.session.commit()
    return result


def open_key(event_id: int, rule: str, subject: str) -> str:
    return f"{event_id}:{rule}:{subject}"


def open_alert(
    event_id: int, condition: Condition, now: datetime, row: AlertRules | None
) -> Alert | None:
    """The new alert, or None when another evaluator opened the same condition first."""
    alert = Alert(
        event_id=event_id,
        rule=condition.rule,
        subject=condition.subject,
        subject_name=condition.name[:300],
        detail=condition.detail,
        open_key=open_key(event_id, condition.rule, condition.subject),
        opened_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(alert)
    except IntegrityError:
        return None
    _queue(alert, "opened", now, row)
    audit.record("alert.opened", None, "alert", alert.id, event_id=event_id,
                 rule=alert.rule, subject=alert.subject)  # fmt: skip
    return alert


def clear_alert(alert: Alert, now: datetime, row: AlertRules | None) -> bool:
    """Clear it unless another evaluator already did; True when this one did."""
    changed = db.session.execute(
        update(Alert)
        .where(Alert.id == alert.id, Alert.open_key.is_not(None))
        .values(open_key=None, cleared_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        return False
    db.session.refresh(alert)
    _queue(alert, "cleared", now, row)
    audit.record("alert.cleared", None, "alert", alert.id, event_id=alert.event_id,
                 rule=alert.rule, subject=alert.subject)  # fmt: skip
    return True


def recipients(row: AlertRules | None) -> list[str]:
    """The event's e-mail recipients, else the deployment's (``ALERT_EMAILS``)."""
    text = row.emails if row is not None and row.emails.strip() else ""
    text = text or str(current_app.config.get("ALERT_EMAILS") or "")
    return [a for a in re.split(r"[\s,;]+", text) if a]


def _queue(alert: Alert, change: str, now: datetime, row: AlertRules | None) -> None:
    channels = []
    if recipients(row):
        channels.append("email")
    if row is not None and row.webhook_url:
        channels.append("webhook")
    for channel in channels:
        db.session.add(
            AlertMessage(
                alert_id=alert.id,
                change=change,
                channel=channel,
                created_at=now,
                next_attempt_at=now,
            )  # fmt: skip
        )
    db.session.flush()
