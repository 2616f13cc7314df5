"""Messages sent once at open and once at clear, by e-mail (aiosmtpd) and a signed webhook;
a receiver that is down loses nothing and is tried again; every send is audited."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.alerts import engine, outbox, webhook
from app.collection.servers import UnsafeURL
from app.extensions import db
from app.models import AlertMessage, AlertRules, AuditLog
from tests.app.alerts.conftest import SECRET, Mailbox, Receiver
from tests.app.alerts.test_engine import at, conference, join
from tests.conftest import Factory


def _rules(event_id: int, url: str) -> None:
    db.session.add(AlertRules(event_id=event_id, emails="tinh@bhxh.test, huyen@bhxh.test",
                              webhook_url=url, webhook_secret=SECRET))  # fmt: skip
    db.session.commit()


def test_one_mail_and_one_signed_call_at_open_and_at_clear(
    make: Factory, smtp: Mailbox, receiver: Receiver
) -> None:
    event, (a, b), target = conference(make, halls=2)
    _rules(event.id, receiver.url)
    join(target, a, at(1))
    engine.evaluate(at(10))
    assert outbox.deliver_due(at(10)) == 2
    assert outbox.deliver_due(at(11)) == 0  # nothing twice
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["to"] == "tinh@bhxh.test,huyen@bhxh.test"
    assert mail["subject"].startswith("[Cảnh báo] Điểm cầu chưa kết nối")
    assert b.org_unit.name in mail["body"]
    assert receiver.refused == []
    (call,) = receiver.calls
    assert call["change"] == "opened"
    assert call["alert"]["subject"] == f"hall:{b.id}"
    assert "chưa kết nối" in call["text"]
    join(target, b, at(12))
    engine.evaluate(at(12.5))
    assert outbox.deliver_due(at(12.5)) == 2
    assert smtp.messages[1]["subject"].startswith("[Đã đóng]")
    assert [c["change"] for c in receiver.calls] == ["opened", "cleared"]
    sent = db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.action == "alert.sent")
    )
    assert sent == 4


def test_a_receiver_down_is_retried_later_and_nothing_is_lost(
    make: Factory, smtp: Mailbox, receiver: Receiver
) -> None:
    event, (a,), _ = conference(make, halls=1)
    _rules(event.id, receiver.url)
    receiver.answer = 503
    smtp_port = smtp  # the mail server stays up: only the webhook fails
    assert smtp_port is not None
    engine.evaluate(at(10))
    assert outbox.deliver_due(at(10)) == 1  # the e-mail
    message = db.session.scalar(sa.select(AlertMessage).where(AlertMessage.channel == "webhook"))
    assert message.sent_at is None
    assert message.attempts == 1
    assert "503" in message.last_error
    assert outbox.deliver_due(at(10.2)) == 0  # not before its retry time
    receiver.answer = 200
    assert outbox.deliver_due(at(11)) == 1
    assert len(receiver.calls) == 1
    failed = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditLog)
        .where(AuditLog.action == "alert.delivery_failed")
    )
    assert failed == 1


def test_no_smtp_server_keeps_the_mail_in_the_outbox(app: Flask, make: Factory) -> None:
    event, _, _ = conference(make, halls=1)
    db.session.add(AlertRules(event_id=event.id, emails="tinh@bhxh.test"))
    db.session.commit()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9, SMTP_STARTTLS=False, SMTP_TIMEOUT=2)
    engine.evaluate(at(10))
    assert outbox.deliver_due(at(10)) == 0
    message = db.session.scalar(sa.select(AlertMessage))
    assert message.next_attempt_at == at(10) + outbox.FIRST_RETRY
    assert message.sent_at is None


def test_webhook_addresses_follow_the_platform_rules(app: Flask) -> None:
    app.config["ALLOW_PRIVATE_PLATFORM_URLS"] = False
    for url in ("http://example.org/hook", "https://127.0.0.1/hook", "https://10.0.0.5/x",
                "file:///etc/passwd"):  # fmt: skip
        try:
            webhook.safe_url(url)
        except UnsafeURL:
            continue
        raise AssertionError(f"{url} accepted")


def test_signature_covers_timestamp_and_body() -> None:
    one = webhook.signature(SECRET, "1700000000", b'{"a":1}')
    assert one.startswith("sha256=")
    assert one != webhook.signature(SECRET, "1700000001", b'{"a":1}')
    assert one != webhook.signature(SECRET, "1700000000", b'{"a":2}')
