"""A join storm's snapshot: one read per event and number for every joiner, never older than the
last delta, phones only to the joiners who may see them."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.live import snapshot as module
from app.models import Comment, Target
from app.realtime import publish
from app.realtime.sequence import next_seq
from tests.app.realtime.conftest import join, received, token_for
from tests.app.realtime.test_handlers import written

pytestmark = pytest.mark.postgres


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The stamps the event's state was read at (the real read, counted)."""
    made: list[Any] = []
    real = module.build_pair

    def counted(event_id: int, stamp: Any, summaries: Any = None) -> Any:
        made.append(dict(stamp))
        return real(event_id, stamp, summaries)

    monkeypatch.setattr(module, "build_pair", counted)
    return made


@pytest.fixture
def lead_comment(app: Flask, make: Any) -> Target:
    """An event with one lead whose phone is in the comment and in its own field."""
    event = make.event()
    target = make.target(event, make.account())
    db.session.add(Comment(
        target_id=target.id, external_id="c1", author_name="<b>Lan</b>",
        message="Tư vấn BHXH tự nguyện cho em, sđt 0912 345 678 ạ",
        created_at=event.created_at + timedelta(minutes=1), is_lead=True,
        lead_intents=["bhxh_tu_nguyen"], phone="+84912345678",
    ))  # fmt: skip
    db.session.commit()
    return target


def add_comment(target: Target, n: int, message: str, phone: str | None = None) -> None:
    db.session.add(Comment(
        target_id=target.id, external_id=f"new-{n}", author_name=f"Người {n}", message=message,
        created_at=target.event.created_at + timedelta(minutes=2 + n), is_lead=phone is not None,
        phone=phone,
    ))  # fmt: skip
    db.session.commit()


def test_the_joiners_of_one_number_share_one_read_and_each_gets_its_phones(
    app: Flask, make: Any, live: Any, lead_comment: Target, reads: list[Any]
) -> None:
    viewers = [live(auth={"token": token_for(make.user("viewer"))}) for _ in range(3)]
    officers = [live(auth={"token": token_for(make.user("officer"))}) for _ in range(2)]
    acks = [join(sio, lead_comment.event_id) for sio in [*viewers, *officers]]
    assert len({(a["epoch"], a["seq"]) for a in acks}) == 1
    assert len(reads) == 1  # five joiners, two variants: the event read once
    for sio in viewers:
        (snap,) = received(sio, "snapshot")
        (comment,) = snap["comments"]
        assert snap["can_see_phones"] is False
        assert comment["phone"] == "09xx xxx 678"
        assert "0912 345 678" not in json.dumps(snap)
    for sio in officers:
        (snap,) = received(sio, "snapshot")
        assert snap["can_see_phones"] is True
        assert snap["comments"][0]["phone"] == "0912 345 678"


def test_a_joiner_after_a_delta_gets_the_new_state_not_the_kept_one(
    app: Flask, make: Any, live: Any, lead_comment: Target, reads: list[Any]
) -> None:
    first = live(auth={"token": token_for(make.user("viewer"))})
    before = join(first, lead_comment.event_id)
    add_comment(lead_comment, 1, "Cho em hỏi mức đóng, sđt 0987 654 321", "+84987654321")
    publish(lead_comment.event_id, "collected", written(lead_comment))
    (delta,) = received(first, "delta")
    assert delta["seq"] == before["seq"] + 1

    later = live(auth={"token": token_for(make.user("viewer"))})
    officer = live(auth={"token": token_for(make.user("officer"))})
    ack = join(later, lead_comment.event_id)
    join(officer, lead_comment.event_id)
    assert ack["seq"] == delta["seq"]
    (snap,) = received(later, "snapshot")
    assert snap["seq"] == delta["seq"]
    assert [c["author"] for c in snap["comments"]] == ["Người 1", "<b>Lan</b>"]
    assert snap["comments"][0]["phone"] == "09xx xxx 321"
    assert snap["summary"]["comments"] == 2
    (full,) = received(officer, "snapshot")
    assert full["comments"][0]["phone"] == "0987 654 321"
    assert [r["seq"] for r in reads] == [before["seq"], delta["seq"]]


def test_a_number_moved_by_another_process_is_read_afresh(
    app: Flask, make: Any, live: Any, lead_comment: Target, reads: list[Any]
) -> None:
    """The collector process publishes without this process's ``forget``: its new number alone
    makes the kept read too old."""
    first = live(auth={"token": token_for(make.user("viewer"))})
    before = join(first, lead_comment.event_id)
    add_comment(lead_comment, 1, "Em muốn đăng ký")
    moved = next_seq(lead_comment.event_id)  # what the other process's publish reserved
    later = live(auth={"token": token_for(make.user("viewer"))})
    ack = join(later, lead_comment.event_id)
    assert (
        (ack["epoch"], ack["seq"]) == (moved.epoch, moved.seq) != (before["epoch"], before["seq"])
    )
    (snap,) = received(later, "snapshot")
    assert [c["author"] for c in snap["comments"]] == ["Người 1", "<b>Lan</b>"]
    assert len(reads) == 2


def test_the_kept_read_ages_out_without_a_delta(
    app: Flask, make: Any, lead_comment: Target, reads: list[Any], monkeypatch: Any
) -> None:
    stamp = {"epoch": "e1", "seq": 4}
    module.snapshot_json(lead_comment.event_id, False, stamp)
    module.snapshot_json(lead_comment.event_id, True, stamp)
    assert len(reads) == 1
    monkeypatch.setattr(module, "SNAPSHOT_REUSE_SECONDS", 0.0)
    module.snapshot_json(lead_comment.event_id, False, stamp)
    assert len(reads) == 2


def test_a_late_joiners_older_number_is_sent_but_never_kept_over_the_newer(
    app: Flask, make: Any, lead_comment: Target, reads: list[Any]
) -> None:
    event_id = lead_comment.event_id
    newer, older = {"epoch": "e1", "seq": 5}, {"epoch": "e1", "seq": 4}
    module.snapshot_json(event_id, False, newer)
    assert json.loads(module.snapshot_json(event_id, False, older))["seq"] == 4
    assert json.loads(module.snapshot_json(event_id, False, newer))["seq"] == 5
    assert reads == [newer, older]  # the newer read was still kept
    # A new epoch (Redis restarted) replaces the kept read whatever its number.
    module.snapshot_json(event_id, False, {"epoch": "e2", "seq": 1})
    module.snapshot_json(event_id, False, {"epoch": "e2", "seq": 1})
    assert len(reads) == 3


def test_joiners_arriving_during_the_read_wait_for_it(
    app: Flask, make: Any, lead_comment: Target, monkeypatch: Any
) -> None:
    """The storm's first joiner reads; those that come while it reads take its read."""
    event_id = lead_comment.event_id
    stamp = {"epoch": "e1", "seq": 9}
    real, started, release = module.build_pair, threading.Event(), threading.Event()
    made: list[int] = []

    def held(*args: Any) -> Any:
        made.append(1)
        started.set()
        assert release.wait(10)
        return real(*args)

    monkeypatch.setattr(module, "build_pair", held)
    texts: list[str] = []

    def joiner(phones: bool) -> None:
        with app.app_context():
            texts.append(module.snapshot_json(event_id, phones, stamp))
            db.session.remove()

    threads = [threading.Thread(target=joiner, args=(i % 2 == 0,)) for i in range(5)]
    threads[0].start()
    assert started.wait(10)
    for thread in threads[1:]:
        thread.start()
    time.sleep(0.5)  # each waits for the first's read (else it would be reading too)
    release.set()
    for thread in threads:
        thread.join(20)
    assert len(texts) == 5
    assert made == [1]
    assert sorted(json.loads(t)["can_see_phones"] for t in texts) == [
        False,
        False,
        True,
        True,
        True,
    ]
