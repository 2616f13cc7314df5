"""`make run`'s online conference: the demo province's halls on the sandbox's Zoom, with check-ins.

Next to the livestream, the sandbox plays a Zoom meeting in which the first 39 communes of the
demo province join as halls, typing their names the ways officers do. The demo registers a Zoom
account pointing at the sandbox, an online-conference event with one Zoom target and a bridge
point per hall, and starts a daemon thread that plays the halls' check-ins: each scripted head
count is posted to the hall's real check-in link (``POST /checkin/<token>`` JSON, sent in process
through Flask's test client — the same route, validation and idempotency key a phone's submission
goes through, without needing to know the port the app serves on). So a newcomer who runs
``make run`` sees the halls connect (collected by the real scheduler and runner) and the people
present rise as the halls report.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select

from app.collection.targets import add_target
from app.demo.accounts import (
    CONFERENCE_ACCOUNTS,
    ZOOM_ACCOUNT,
    demo_admin,
    sandbox_account,
)
from app.demo.province import DEMO_MARK
from app.demo.replay import earlier_event
from app.extensions import db
from app.halls import services
from app.models import Channel, Event, EventStatus, OrgKind, OrgUnit, Platform, User
from sandbox import Clock, Sandbox
from sandbox.conference import Conference

log = logging.getLogger(__name__)
HALLS = 39
START_OFFSET = 30  # seconds after `make run` when the host opens the meeting
DESCRIPTION = "Hội nghị trực tuyến với các điểm cầu xã, phát trên Zoom của môi trường chạy thử."


def demo_halls(admin: User) -> list[OrgUnit]:
    """The first communes ("Xã", so the typed "Xã …" names fit) of the admin's province."""
    stmt = (
        select(OrgUnit)
        .where(
            OrgUnit.parent_id == admin.org_unit_id,
            OrgUnit.kind == OrgKind.COMMUNE,
            OrgUnit.division_type == "Xã",
        )
        .order_by(OrgUnit.code)
        .limit(HALLS)
    )
    return list(db.session.scalars(stmt))


def demo_conference(run: int, now: datetime) -> Conference | None:
    """The conference the sandbox plays, with the demo province's communes as halls, or None."""
    admin = demo_admin()
    units = demo_halls(admin) if admin is not None else []
    if not units:
        return None
    return Conference(
        seed=run % 100_000,
        epoch=now,
        start_offset=START_OFFSET,
        halls=len(units),
        communes=tuple(u.short_name for u in units),
        title=f"Hội nghị trực tuyến triển khai BHXH tự nguyện {DEMO_MARK}",
        zoom_meeting_id=str(85_000_000_000 + run % 1_000_000_000),
    )


def register_conference(sandbox: Sandbox, conference: Conference, now: datetime) -> dict[str, str]:
    """Account, event, Zoom target and bridge points; the check-in token of each hall by name."""
    admin = demo_admin()
    assert admin is not None  # demo_conference played the halls of the admin's province
    units = {u.short_name: u for u in demo_halls(admin)}
    account = sandbox_account(Platform.ZOOM, ZOOM_ACCOUNT, admin.org_unit_id, None,
                       sandbox.conference_credentials("zoom"))  # fmt: skip
    connections = sandbox.connections()  # as an admin connects them: "Kiểm tra" reads the app
    for platform, name in CONFERENCE_ACCOUNTS.items():
        credentials = connections[platform.value]
        sandbox_account(platform, name, admin.org_unit_id, None, credentials)
    start = now + timedelta(seconds=conference.start)
    title = conference.params.title
    event = earlier_event(title, Channel.ONLINE_CONFERENCE, admin.org_unit_id, now) or Event(
        title=title,
        channel=Channel.ONLINE_CONFERENCE,
        status=EventStatus.SCHEDULED,
        org_unit_id=admin.org_unit_id,
        cost_vnd=0,
        origin="manual",
    )
    event.description = DESCRIPTION
    event.planned_start = start
    event.planned_end = start + timedelta(seconds=conference.params.duration)
    db.session.add(event)
    db.session.flush()
    add_target(
        event.id,
        "zoom_meeting",
        conference.params.zoom_meeting_id,
        account_id=account.id,
        next_run_at=now,
    )
    expected = {units[c].code: n for c, n in conference.expected().items()}
    points = services.set_bridge_points(event, list(expected), expected)
    db.session.commit()
    by_code = {p.org_unit.code: p.checkin_token for p in points}
    return {name: by_code[unit.code] for name, unit in units.items()}


class CheckinPlayer(threading.Thread):
    """A daemon thread posting each scripted head count to its hall's check-in link when due."""

    def __init__(
        self, app: Flask, conference: Conference, clock: Clock, links: dict[str, str]
    ) -> None:
        super().__init__(name="demo-checkins", daemon=True)
        self.app, self.conference, self.clock, self.links = app, conference, clock, links
        self.sent = 0
        self._stop_requested = threading.Event()

    def stop(self) -> None:
        self._stop_requested.set()
        self.join(timeout=5)

    def run(self) -> None:
        reports = self.conference.head_counts()
        client = self.app.test_client()
        while self.sent < len(reports) and not self._stop_requested.is_set():
            now = self.clock.now()
            while self.sent < len(reports) and reports[self.sent].t <= now:
                report = reports[self.sent]
                self.sent += 1
                try:
                    answer = client.post(
                        f"/checkin/{self.links[report.commune]}",
                        json={"idempotency_key": report.key, "head_count": report.count},
                    )
                    if answer.status_code >= 300:
                        log.warning("demo check-in refused: %s", answer.get_data(as_text=True))
                except Exception:  # the demo goes on with the next hall
                    log.exception("demo check-in of %s failed", report.commune)
            self._stop_requested.wait(0.5)


def play_checkins(
    app: Flask, conference: Conference, clock: Clock, links: dict[str, str]
) -> CheckinPlayer:
    player = CheckinPlayer(app, conference, clock, links)
    player.start()
    return player
