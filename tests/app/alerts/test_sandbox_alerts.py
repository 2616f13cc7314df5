"""Alerts from a played sandbox, through the real runner, rules, outbox, SMTP and webhook.

A Zoom conference of 39 halls (``sandbox.conference``) plus two halls of the event that never
join: each missing hall gets exactly one "not connected" alert, opened and sent by e-mail and
webhook within a minute of its deadline, and cleared (one more e-mail and call) when it connects;
a hall that drops out and stays away longer than the rule's minutes gets one "dropped" alert,
cleared when it is back. The scheduler's tick is played every 15 seconds of scenario time, and
every tick evaluates twice, as two processes would. A Facebook livestream whose token expires
mid-way gets one "collection paused" alert, cleared when the account is re-authorised.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.alerts import engine, outbox, rules
from app.collection import runner
from app.collection.writer import resume_account
from app.extensions import db
from app.halls import roster, services
from app.models import (
    Alert,
    AlertMessage,
    AlertRules,
    OrgKind,
    OrgUnit,
    Participant,
    Platform,
    PlatformAccount,
)
from sandbox import ManualClock, Sandbox
from sandbox.conference import Conference
from sandbox.conferences import TARGET_KINDS
from tests.app.alerts.conftest import SECRET, Mailbox, Receiver
from tests.app.collection.conftest import (  # noqa: F401
    Player,
    fb_target,
    player,
    sandbox,
    scenario_communes,  # noqa: F401
)
from tests.conftest import Factory

STEP = 15  # seconds of scenario time between scheduler ticks
DROPPED_MINUTES = 2
NEVER = ("Không Vào", "Vắng Mặt")  # the event's two halls the sandbox never plays


@pytest.fixture
def conference_sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(clock=ManualClock())
    yield sb
    sb.stop()


def _gaps(conf: Conference, until: int) -> dict[str, list[tuple[int, int]]]:
    """Each hall's absences (left, back) between its sessions, by the truth."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for commune, sessions in conf.truth().items():
        ordered = sorted(sessions, key=lambda s: s.join)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.join <= until:
                out[commune].append((before.leave, after.join))
    return out


def test_missing_and_dropped_halls_alert_once_each_by_mail_and_webhook(
    app: Flask,
    make: Factory,
    conference_sandbox: Sandbox,
    scenario_communes,  # noqa: F811
    smtp: Mailbox,
    receiver: Receiver,
) -> None:
    sb = conference_sandbox
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_TIMEOUT=30.0)
    app.extensions.pop("lantoa_http", None)
    conf: Conference = sb.conferences.conference
    units = scenario_communes(conf)
    province = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "98"))
    for n, name in enumerate(NEVER, start=1):
        db.session.add(OrgUnit(code=f"989{n:02d}", name=f"Xã {name}", short_name=name,
                               kind=OrgKind.COMMUNE, division_type="Xã", parent_id=province.id,
                               path=f"VN/98/989{n:02d}"))  # fmt: skip
    db.session.commit()
    code_of = {u.short_name: u.code for u in units}
    start = conf.datetime_at(conf.start)
    account = make.account("98", platform=Platform.ZOOM, name="Zoom (sandbox)",
                           credentials=sb.conference_credentials("zoom"))  # fmt: skip
    event = make.event("98", title="Hội nghị 41 điểm cầu", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=2))  # fmt: skip
    target = make.target(event, account, kind=TARGET_KINDS["zoom"],
                         external_id=sb.conferences.external_id("zoom"))  # fmt: skip
    points = services.set_bridge_points(event, "all", {})
    assert len(points) == 41
    hall_of = {p.org_unit.code: p for p in points}
    never = [hall_of["98901"], hall_of["98902"]]
    db.session.add(AlertRules(event_id=event.id, hall_dropped_minutes=DROPPED_MINUTES,
                              head_count_percent=0, emails="tinh@bhxh.test",
                              webhook_url=receiver.url, webhook_secret=SECRET))  # fmt: skip
    db.session.commit()
    event_id, target_id = event.id, target.id
    commune_of = {(s.name, conf.datetime_at(s.join)): s.attendee.commune for s in conf.sessions()}
    until = conf.start + 1860  # past the late join and a long drop, before the early leave
    reported_at = conf.start + 1200  # the two missing halls phone in their head counts

    for t in range(0, until + 1, STEP):
        sb.clock.set(t)
        now = conf.datetime_at(t)
        (result,) = runner.run_targets([target_id], clock=lambda now=now: now)
        assert result.outcome in ("ok", "skipped"), result.error
        db.session.expire_all()
        for row in db.session.scalars(
            sa.select(Participant).where(
                Participant.target_id == target_id, Participant.bridge_point_id.is_(None)
            )
        ).all():
            commune = commune_of.get((row.display_name, row.joined_at))
            if commune is not None:
                roster.assign(event_id, row, hall_of[code_of[commune]], None)
        if t == reported_at:
            for point in never:
                services.record_report(point, f"hc-missing-{point.id}", 25, [], now)
        db.session.commit()
        engine.evaluate(now)
        engine.evaluate(now)  # a second process evaluating the same tick
        outbox.deliver_due(now)

    alerts = db.session.scalars(sa.select(Alert).where(Alert.event_id == event_id)).all()
    per_rule = Counter((a.rule, a.subject) for a in alerts)
    assert max(per_rule.values()) == 1  # one alert per hall per condition
    deadline = start + timedelta(minutes=10)
    first_join = {c: min(s.join for s in ss) for c, ss in conf.truth().items()}
    late = {code_of[c] for c, j in first_join.items() if j > conf.start + 600}
    absent = {a.subject: a for a in alerts if a.rule == rules.HALL_ABSENT}
    expected_absent = {f"hall:{hall_of[c].id}" for c in late | {"98901", "98902"}}
    assert set(absent) == expected_absent
    phoned = {f"hall:{point.id}" for point in never}
    for subject, alert in absent.items():
        assert timedelta(0) <= alert.opened_at - deadline <= timedelta(minutes=1)
        if subject not in phoned:
            assert alert.cleared_at is not None  # every late hall connected in the end
    for subject in phoned:  # a head count phoned in is no connection to the meeting
        assert absent[subject].cleared_at is None
    # Dropped: halls away longer than the rule (with a tick's margin) once; briefer never.
    dropped = {a.subject for a in alerts if a.rule == rules.HALL_DROPPED}
    limit = DROPPED_MINUTES * 60
    long_gone, brief = set(), set()
    for commune, gaps in _gaps(conf, until).items():
        subject = f"hall:{hall_of[code_of[commune]].id}"
        if any(back - left > limit + 2 * STEP for left, back in gaps):
            long_gone.add(subject)
        elif all(back - left < limit for left, back in gaps):
            brief.add(subject)
    assert long_gone, "the scenario has a hall away for longer than the rule"
    assert long_gone <= dropped
    assert not dropped & brief
    assert all(a.cleared_at is not None for a in alerts if a.rule == rules.HALL_DROPPED)
    # Messages: one e-mail and one webhook call per alert and change, within a minute.
    sent = db.session.execute(
        sa.select(
            AlertMessage.alert_id, AlertMessage.change, AlertMessage.channel, AlertMessage.sent_at
        )  # fmt: skip
    ).all()
    still_open = [a for a in alerts if a.cleared_at is None]
    assert {a.subject for a in still_open} == phoned
    assert len(sent) == 4 * len(alerts) - 2 * len(still_open)
    by_id = {a.id: a for a in alerts}
    for alert_id, change, _channel, sent_at in sent:
        changed = by_id[alert_id].opened_at if change == "opened" else by_id[alert_id].cleared_at
        assert sent_at is not None
        assert sent_at - changed <= timedelta(minutes=1)
    assert len(smtp.messages) == 2 * len(alerts) - len(still_open)
    assert receiver.refused == []
    calls = Counter((c["alert"]["id"], c["change"]) for c in receiver.calls)
    told = Counter({(a.id, "opened"): 1 for a in alerts})
    told.update({(a.id, "cleared"): 1 for a in alerts if a.cleared_at is not None})
    assert calls == told
    for point in never:
        subjects = [m["subject"] for m in smtp.messages if point.org_unit.name in m["subject"]]
        assert len(subjects) == 1
        assert subjects[0].startswith("[Cảnh báo] Điểm cầu chưa kết nối")


def test_a_livestream_whose_token_expires_gets_one_paused_alert(
    app: Flask,
    fb_target,  # noqa: F811
    player: Player,  # noqa: F811
    smtp: Mailbox,
) -> None:
    event = fb_target.event
    event.planned_start = player.now()
    db.session.add(AlertRules(event_id=event.id, emails="truyenthong@bhxh.test"))
    db.session.commit()
    target_id, event_id = fb_target.id, event.id

    def play(seconds: int) -> None:
        for _ in range(0, seconds, STEP):
            player.play(STEP, step=STEP)
            engine.evaluate(player.now())
            outbox.deliver_due(player.now())

    play(120)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 0
    player.sandbox.fail_next("facebook", "token_expired")
    play(120)
    alerts = db.session.scalars(sa.select(Alert).where(Alert.event_id == event_id)).all()
    assert [(a.rule, a.subject) for a in alerts] == [
        (rules.COLLECTOR_PAUSED, f"target:{target_id}")
    ]
    assert alerts[0].detail == {"reason": "auth_expired"}
    assert len(smtp.messages) == 1
    assert "tạm dừng" in smtp.messages[0]["body"]
    assert "hết hạn" in smtp.messages[0]["body"]
    # The officer re-authorises the account: the collector runs again, the alert clears.
    player.sandbox.renew_token("facebook")
    account = db.session.get(PlatformAccount, fb_target.account_id)
    account.credentials = {**account.credentials, "access_token": player.sandbox.facebook_token}
    resume_account(account, player.now())
    db.session.commit()
    play(60)
    db.session.refresh(alerts[0])
    assert alerts[0].cleared_at is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 1
    assert len(smtp.messages) == 2
