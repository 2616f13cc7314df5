"""The Meet collector reads a participant's sessions only when the participant moved.

One sandbox meeting (39 halls, rejoins, a late hall, an early leaver, guests) is collected by two
events of the same province through the real runner, polled every live interval: one event by the
collector as it is, one by ``EveryPollReads``, the way it read before (every present participant's
open sessions, on every poll). The figures the app shows for the two events (the event summary:
halls connected, reported, people present, and hall by hall its first join, minutes connected,
drop-outs, last leave) must be the same once the meeting ended, and the same while it runs
wherever the old reads knew them (a hall that left is not closed by them until the end).
The sandbox's request log gives both collectors' reads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.collection import runner
from app.extensions import db
from app.halls import services
from app.halls.state import hall_states
from app.live.board import hall_row
from app.live.summary import event_summary
from app.models import Participant, Platform
from collectors.app_tokens import AppToken
from collectors.base import Batch, ParticipantRecord, TargetSpec, not_after, parse_time
from collectors.http import make_session
from collectors.meet import MeetConferenceCollector, make_client, parse_sessions
from sandbox import ManualClock, Sandbox

pytestmark = pytest.mark.postgres

POLL = 30  # seconds: within the shortest drop of the script (30 s), so no rejoin goes unseen
LINKS_VALID_UNTIL = datetime(2099, 1, 1, tzinfo=UTC)


class EveryPollReads(MeetConferenceCollector):
    """The reads before: while live, the present participants (``latest_end_time IS NULL``) and
    each one's open sessions (``end_time IS NULL``); after the end, every participant's sessions."""

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        state, now = dict(cursor), self.clock()
        auth = AppToken(self.client, target.credentials, state, now)
        calls = self.client.calls
        body = auth.get(
            "conferenceRecords", {"filter": f'space.meeting_code = "{target.external_id}"'}
        )
        if not body.get("conferenceRecords"):
            return Batch(cursor=state, status="scheduled", calls=self.client.calls - calls)
        record = body["conferenceRecords"][0]
        live = not record.get("endTime")
        records: list[ParticipantRecord] = []
        who = {"pageSize": 250, **({"filter": "latest_end_time IS NULL"} if live else {})}
        sessions = {"pageSize": 250, **({"filter": "end_time IS NULL"} if live else {})}
        for participant in auth.get(f"{record['name']}/participants", who)["participants"]:
            path = f"{participant['name']}/participantSessions"
            records.extend(parse_sessions(participant, auth.get(path, sessions)))
        return Batch(
            participants=tuple(records),
            cursor=state,
            status="live" if live else "ended",
            finished=not live,
            calls=self.client.calls - calls,
            started_at=not_after(parse_time(record.get("startTime")), now),
            ended_at=None if live else parse_time(record.get("endTime")),
        )


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(clock=ManualClock())
    yield sb
    sb.stop()


def _conference_event(make, sandbox: Sandbox, communes, title: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    conf = sandbox.conferences.conference
    code_of = {u.short_name: u.code for u in communes}
    account = make.account("98", platform=Platform.MEET, name=f"Meet {title}",
                           credentials=sandbox.conference_credentials("meet"))  # fmt: skip
    event = make.event("98", title=title, channel="online_conference")
    target = make.target(event, account, kind="meet_conference",
                         external_id=sandbox.conferences.external_id("meet"))  # fmt: skip
    expected = {code_of[c]: n for c, n in conf.expected().items()}
    for point in services.set_bridge_points(event, "all", expected):
        point.checkin_expires_at = LINKS_VALID_UNTIL
    db.session.commit()
    return event.id, target.id


LEAVES = ("last_leave", "minutes_connected", "drop_outs")  # what a leave moves


def _figures(event_id: int, now: datetime) -> dict[str, Any]:
    """What the event's pages show of its conference (totals, and each hall's row as of ``now``),
    without the event's own ids."""
    summary = event_summary(event_id, now).as_dict()
    keys = ("halls_expected", "halls_connected", "halls_reported", "people_expected",
            "people_present", "phase", "meeting")  # fmt: skip
    halls = [
        {k: v for k, v in hall_row(h).items() if k != "id"} for h in hall_states(event_id, now)
    ]
    return {**{k: summary.get(k) for k in keys}, "halls": halls}


def _known(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures without those a leave moves: the reads of before closed no session until the
    end (a hall that dropped stayed connected on the board), so only these compare while live."""
    halls = [{k: v for k, v in h.items() if k not in LEAVES} for h in figures["halls"]]
    return {**figures, "halls": halls}


def _unmatched(target_id: int) -> set[str]:
    names = db.session.scalars(
        sa.select(Participant.display_name).where(
            Participant.target_id == target_id, Participant.bridge_point_id.is_(None)
        )
    )
    return set(names)


def test_figures_equal_the_reads_of_before_with_far_fewer_reads(
    app: Flask, make, sandbox: Sandbox, scenario_communes
) -> None:
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_TIMEOUT=30.0)
    app.extensions.pop("lantoa_http", None)
    conf = sandbox.conferences.conference
    communes = scenario_communes(conf)
    code_of = {u.short_name: u.code for u in communes}
    before_event, before_target = _conference_event(make, sandbox, communes, "Trước")
    after_event, after_target = _conference_event(make, sandbox, communes, "Sau")
    meet = sandbox.conferences.meet

    def before(kind: str, base_url: str) -> EveryPollReads:
        client = make_client(make_session(retries=0, backoff=0), base_url, timeout=30)
        return EveryPollReads(client, clock=lambda: conf.datetime_at(sandbox.clock.now()))

    reads = {"before": 0, "after": 0}
    for t in [*range(conf.start - POLL, conf.end + POLL, POLL), conf.end + 180]:
        sandbox.clock.set(t)
        now = conf.datetime_at(t)
        for name, target_id, factory in (("before", before_target, before),
                                         ("after", after_target, None)):  # fmt: skip
            meet.log.clear()
            (result,) = runner.run_targets(
                [target_id], factory=factory, clock=lambda now=now: now, publish=lambda *a: None
            )
            assert result.outcome in ("ok", "skipped"), result.error
            reads[name] += len(meet.log.entries())
        db.session.expire_all()
        old, new = _figures(before_event, now), _figures(after_event, now)
        if t > conf.end:
            assert new == old, t  # every figure, once the meeting ended
            continue
        assert _known(new) == _known(old), t
        # What a leave moves, the reads of now know while live: the truth, hall by hall.
        unmatched = _unmatched(after_target)
        truth = {code_of[h["commune"]]: h for h in sandbox.conferences.truth(t)["halls"]
                 if not unmatched & set(h["names"])}  # fmt: skip
        for hall in new["halls"]:
            if hall["commune"] in truth:
                want = truth[hall["commune"]]
                assert _moment(hall["last_leave"]) == _moment(want["last_leave"]), (t, hall)
                assert hall["minutes_connected"] == want["minutes_connected"], (t, hall)
                assert hall["drop_outs"] == want["drop_outs"], (t, hall)
    print(f"\nMeet reads of one meeting over {POLL}-second polls: {reads}")
    assert reads["after"] * 5 < reads["before"]


def _moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
