"""Bytes of one live delta on the wire, whole summary (before) against patch (now), per kind.

Bytes are what a fan-out costs: each one is written to every connected screen. On a fresh SQLite
database (one livestream with two targets, 360 samples and 150 comments each; one conference with
every commune of the province as a hall), the real ``publish()`` runs for four kinds of change,
each after a first delta that gives it a base:

- counters only: one new sample of one target (viewers, reactions, shares moved);
- a new comment (no phone): one comment and its sample;
- a new lead with a phone: the masked and the clear variants go to their rooms separately;
- a check-in at one hall of the conference.

Each line gives the Socket.IO packet (``42/live,["delta",{…}]``) as it would be with the summary
whole (what every delta carried before) and as ``publish()`` emits it now, next to the reference
measured in the same run: the bare Flask-SocketIO baseline's ~300-byte update
(``42/dash,["update",{…}]``, as its appendix builds it).

    .venv/bin/python bench/live_delta_bytes.py
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._setup import bench_app  # noqa: E402


def bare_packet_bytes() -> int:
    """The baseline's update payload, framed as its server sends it."""
    base = {"seq": 0, "t": 1760000000.123456, "type": "dashboard.update",
            "metrics": {"active_users": 1234, "orders_per_min": 56.7, "error_rate": 0.0012,
                        "p95_ms": 87.5, "queue_depth": 42, "cpu": 0.37, "mem": 0.61},
            "status": "ok", "pad": ""}  # fmt: skip
    pad = "x" * max(0, 300 - len(json.dumps(base, separators=(",", ":"))) - 2)
    payload = {**base, "seq": 7, "pad": pad, "t": time.time()}
    return len(("42/dash," + json.dumps(["update", payload], separators=(",", ":"))).encode())


def packet_bytes(message: dict[str, Any]) -> int:
    from socketio import packet

    from app.extensions import socketio
    from app.realtime import NAMESPACE

    pkt = socketio.server.packet_class(packet.EVENT, namespace=NAMESPACE, data=["delta", message])
    return len(pkt.encode().encode())


class Capture:
    """What publish() builds (the summary whole) and what it emits (the patch), per call."""

    def __init__(self) -> None:
        import app.realtime as realtime

        self.whole: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self.sent: list[tuple[Any, dict[str, Any]]] = []
        patched, emit = realtime.patched, realtime.socketio.emit

        def keep_whole(event_id, stamp, plain, full):  # type: ignore[no-untyped-def]
            self.whole.append(({**plain, **stamp.as_dict()}, {**full, **stamp.as_dict()}))
            return patched(event_id, stamp, plain, full)

        def keep_sent(name, data, **kwargs):  # type: ignore[no-untyped-def]
            if name == "delta":
                self.sent.append((kwargs.get("to"), data))
            return emit(name, data, **kwargs)

        realtime.patched = keep_whole
        realtime.socketio.emit = keep_sent

    def clear(self) -> None:
        self.whole.clear()
        self.sent.clear()


def seed(start: datetime) -> tuple[Any, list[Any], Any]:
    from app.collection.targets import add_target
    from app.extensions import db
    from app.models import (
        Channel,
        Comment,
        EngagementSample,
        Event,
        EventStatus,
        OrgUnit,
        Platform,  # fmt: skip
        PlatformAccount,
    )

    unit = db.session.query(OrgUnit).filter_by(code="40").one()
    event = Event(title="Livestream tư vấn BHXH tự nguyện", channel=Channel.LIVESTREAM,
                  status=EventStatus.LIVE, org_unit=unit, cost_vnd=0, planned_start=start,
                  planned_end=start + timedelta(hours=2), actual_start=start)  # fmt: skip
    conference = Event(title="Hội nghị", channel=Channel.ONLINE_CONFERENCE, org_unit=unit,
                       cost_vnd=0, planned_start=start)  # fmt: skip
    account = PlatformAccount(platform=Platform.FACEBOOK, name="Fanpage", org_unit=unit,
                              credentials={"access_token": "x"}, health="ok", health_detail="",
                              rate_limit_usage={})  # fmt: skip
    db.session.add_all([event, conference, account])
    db.session.flush()
    targets = []
    for n, kind in enumerate(("facebook_live", "youtube_live")):
        target = add_target(event.id, kind, str(n + 1), account_id=account.id, status="live",
                            last_success_at=start)  # fmt: skip
        db.session.flush()
        targets.append(target)
        for i in range(360):
            db.session.add(EngagementSample(
                target_id=target.id, sampled_at=start + timedelta(seconds=10 * i), views=10 * i,
                live_viewers=100 + (i * 7) % 300, shares=i // 5, reactions_like=i,
                reactions_love=i // 3))  # fmt: skip
        for i in range(150):
            db.session.add(Comment(target_id=target.id, external_id=f"c{n}-{i}",
                                   author_name=f"Người xem {i}", is_lead=False,
                                   message=f"Cho em hỏi mức đóng BHXH tự nguyện {i}",
                                   lead_intents=[],
                                   created_at=start + timedelta(seconds=20 * i)))  # fmt: skip
    db.session.commit()
    return event, targets, conference


def new_sample(target: Any, at: datetime, i: int) -> Any:
    """One collected sample of ``target`` (the writer moves the target's row too)."""
    from app.extensions import db
    from app.models import EngagementSample
    from collectors.base import Sample

    db.session.add(EngagementSample(target_id=target.id, sampled_at=at, views=4000 + i,
                                    live_viewers=420 + i, shares=80 + i,
                                    reactions_like=400 + i, reactions_love=130))  # fmt: skip
    target.last_success_at = at  # as the writer does for each run
    target.next_run_at = at + timedelta(seconds=10)
    target.calls_used += 1
    return Sample(sampled_at=at, live_viewers=420 + i, views=4000 + i, shares=80 + i,
                  reactions={"like": 400 + i, "love": 130})  # fmt: skip


def new_comment(target: Any, at: datetime, i: int, phone: str | None) -> Any:
    from app.collection.changes import WrittenComment
    from app.extensions import db
    from app.models import Comment

    text = f"Cho em đăng ký tư vấn, sđt {phone}" if phone else f"Chương trình hay quá {i}"
    row = Comment(target_id=target.id, external_id=f"new-{i}", author_name="Chị Lan",
                  message=text, created_at=at, is_lead=bool(phone),
                  lead_intents=["tu_van"] if phone else [], phone=phone)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return WrittenComment(id=row.id, target_id=target.id, external_id=row.external_id,
                          author_name=row.author_name, message=text, created_at=at,
                          is_lead=bool(phone), lead_intents=tuple(row.lead_intents),
                          phone=phone)  # fmt: skip


def main() -> None:
    from app.collection.changes import Change
    from app.extensions import db
    from app.halls import services
    from app.models import utcnow
    from app.realtime import publish

    bare = bare_packet_bytes()
    with bench_app("sqlite"):
        start = datetime.now(UTC) - timedelta(hours=1)
        event, (fb, yt), conference = seed(start)
        halls = services.set_bridge_points(conference, "all", {})
        db.session.commit()
        capture = Capture()
        at = start + timedelta(seconds=3600)
        rows: list[tuple[str, int, list[int]]] = []

        def collected(target: Any, i: int, phone: str | None = None, comment: bool = False) -> None:
            nonlocal at
            at += timedelta(seconds=10)
            samples = (new_sample(target, at, i),)
            comments = (new_comment(target, at, i, phone),) if comment or phone else ()
            db.session.commit()
            publish(
                event.id,
                "collected",
                Change(event.id, target.id, target.kind, samples=samples, comments=comments),
            )

        def measure(name: str, step: Any) -> None:
            step(0)  # gives the next one a base
            capture.clear()
            step(1)
            (whole_plain, whole_full), sent = capture.whole[0], capture.sent
            before = packet_bytes(whole_plain)
            if whole_full != whole_plain:
                before = max(before, packet_bytes(whole_full))
            rows.append((name, before, [packet_bytes(data) for _, data in sent]))

        measure("counters only", lambda i: collected(fb, 10 + i))
        measure("new comment, no phone", lambda i: collected(yt, 20 + i, comment=True))
        measure(
            "new lead with a phone", lambda i: collected(fb, 30 + i, phone="+8491234567" + str(i))
        )

        def check_in(i: int) -> None:
            services.record_report(halls[i], f"bench-key-{i:04d}", 20 + i, [], utcnow())
            db.session.commit()
            publish(conference.id, "checkin")

        measure(f"check-in, 1 hall of {len(halls)}", check_in)

    print(f"bare Flask-SocketIO update (reference, this run): {bare} bytes")
    print(f"{'delta':<28} {'whole summary':>14} {'patch (now)':>16} {'vs bare':>9}")
    for name, before, after in rows:
        now = " + ".join(str(n) for n in after)
        print(f"{name:<28} {before:>14} {now:>16} {max(after) / bare:>8.2f}x")


if __name__ == "__main__":
    main()
