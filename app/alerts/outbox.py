"""Sending the messages alerts owe: claimed one at a time, retried with back-off, audited.

A message is claimed by moving its next attempt a lease ahead in an UPDATE that only one process
can win, then sent outside any transaction, so a slow SMTP server or webhook receiver holds no
lock and no collection (this runs in its own scheduler job). A failed send is tried again later
(30 s, doubling, at most every 15 minutes) up to ``MAX_ATTEMPTS``; every send and failure is in
the audit log.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app import audit
from app.alerts import mail, webhook, words
from app.alerts.engine import recipients
from app.alerts.facts import rules_row
from app.extensions import db
from app.models import Alert, AlertMessage
from app.public_urls import public_base_url, public_url

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)  # longer than a send can take (SMTP_TIMEOUT)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=15)
MAX_ATTEMPTS = 40  # about eight hours of tries
BATCH = 50
LOCALE = "vi"  # messages go to offices, whatever a user's own page language


def retry_after(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def deliver_due(now: datetime) -> int:
    """Send every message due at ``now``; returns how many went out."""
    due = db.session.scalars(
        select(AlertMessage.id)
        .where(AlertMessage.next_attempt_at <= now, AlertMessage.sent_at.is_(None))
        .order_by(AlertMessage.next_attempt_at, AlertMessage.id)
        .limit(BATCH)
    ).all()
    db.session.commit()
    return sum(1 for message_id in due if _claim(message_id, now) and deliver(message_id, now))


def _claim(message_id: int, now: datetime) -> bool:
    won = db.session.execute(
        update(AlertMessage)
        .where(
            AlertMessage.id == message_id,
            AlertMessage.sent_at.is_(None),
            AlertMessage.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return won == 1


def deliver(message_id: int, now: datetime) -> bool:
    """Send one claimed message; True when it went out."""
    message = db.session.scalar(
        select(AlertMessage)
        .where(AlertMessage.id == message_id)
        .options(joinedload(AlertMessage.alert).joinedload(Alert.event))
    )
    if message is None:
        return False
    row = rules_row(message.alert.event_id)
    with force_locale(LOCALE):
        try:
            where = _send(message, row)
        except Exception as exc:  # any failure is retried; the error is kept and audited
            log.warning("alert message %s (%s) failed: %s", message.id, message.channel, exc)
            _failed(message, now, f"{type(exc).__name__}: {exc}"[:500])
            return False
    message.sent_at = now
    message.next_attempt_at = None
    message.attempts += 1
    message.last_error = ""
    audit.record("alert.sent", None, "alert", message.alert_id, channel=message.channel,
                 change=message.change, to=where)  # fmt: skip
    db.session.commit()
    return True


def _failed(message: AlertMessage, now: datetime, error: str) -> None:
    message.attempts += 1
    message.last_error = error
    gave_up = message.attempts >= MAX_ATTEMPTS
    message.next_attempt_at = None if gave_up else now + retry_after(message.attempts)
    audit.record("alert.delivery_failed", None, "alert", message.alert_id,
                 channel=message.channel, change=message.change, error=error,
                 attempts=message.attempts, gave_up=gave_up)  # fmt: skip
    db.session.commit()


def _send(message: AlertMessage, row: Any) -> str:
    alert, change = message.alert, message.change
    if message.channel == "email":
        to = recipients(row)
        if not to:
            raise mail.MailNotConfigured("no recipients")
        mail.send_mail(
            to, words.subject_line(alert, change), words.body_text(alert, change, _link(alert))
        )
        return ", ".join(to)
    if row is None or not row.webhook_url or not row.webhook_secret:
        raise webhook.WebhookFailed("no webhook address or secret")
    webhook.post(row.webhook_url, row.webhook_secret, payload(alert, change), str(message.id))
    return row.webhook_url


def payload(alert: Alert, change: str) -> dict[str, Any]:
    """The webhook's JSON: what changed, the alert, its event, and a sentence to forward as is."""
    return {
        "change": change,
        "text": words.describe(alert),
        "rule_label": words.rule_label(alert.rule),
        "alert": {
            "id": alert.id,
            "rule": alert.rule,
            "subject": alert.subject,
            "subject_name": alert.subject_name,
            "detail": alert.detail,
            "opened_at": alert.opened_at.isoformat(),
            "cleared_at": alert.cleared_at.isoformat() if alert.cleared_at else None,
        },
        "event": {"id": alert.event_id, "title": alert.event.title},
        "link": _link(alert),
    }


def _link(alert: Alert) -> str:
    """The live page's address, when the deployment says where it is (``PUBLIC_BASE_URL``)."""
    if public_base_url() is None:
        return ""
    return public_url("live.live_page", event_id=alert.event_id)
