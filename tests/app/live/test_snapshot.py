"""The snapshot: its series, its comments newest first, phones masked for plain rooms."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from app.extensions import db
from app.identity.phones import mask_phone, mask_phones
from app.live import queries
from app.live.snapshot import build_snapshot
from app.models import Comment

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def test_comments_per_minute_and_deleted_comments(app: Flask, make: Any) -> None:
    event = make.event()
    target = make.target(event, make.account())
    for n, (seconds, deleted) in enumerate([(5, False), (50, False), (70, False), (80, True)]):
        db.session.add(Comment(
            target_id=target.id, external_id=f"c{n}", message="hi",
            created_at=T0 + timedelta(seconds=seconds),
            deleted_at=T0 + timedelta(minutes=5) if deleted else None,
        ))  # fmt: skip
    db.session.commit()
    assert queries.comments_per_minute(event.id) == [(T0, 2), (T0 + timedelta(minutes=1), 1)]
    snap = build_snapshot(event.id, can_see_phones=False, stamp={"epoch": "e1", "seq": 7})
    assert (snap["epoch"], snap["seq"]) == ("e1", 7)
    assert snap["series"]["comments_per_minute"] == [
        [T0.isoformat(), 2], [(T0 + timedelta(minutes=1)).isoformat(), 1]
    ]  # fmt: skip
    assert [c["id"] for c in snap["comments"]] == sorted(
        (c["id"] for c in snap["comments"]), reverse=True
    )
    assert len(snap["comments"]) == 3


def test_masking_keeps_the_last_three_digits_and_leaves_money_alone() -> None:
    assert mask_phone("+84912345678") == "09xx xxx 678"
    assert (
        mask_phones("gọi 0912.345.678, phí 1.700.000 đồng")
        == "gọi 09xx.xxx.678, phí 1.700.000 đồng"
    )


def test_the_snapshot_text_is_the_snapshots_json_encoded_once_with_each_joiners_time(
    app: Flask, make: Any, monkeypatch: Any
) -> None:
    from app.live import snapshot as module

    event = make.event()
    target = make.target(event, make.account())
    db.session.add(Comment(target_id=target.id, external_id="c1", message="gọi \x00 \"tôi\"",
                           created_at=T0))  # fmt: skip
    db.session.commit()
    stamp = {"epoch": "e1", "seq": 3}
    encodes: list[Any] = []
    dumps = json.dumps

    def counted(value: Any, **kw: Any) -> str:
        encodes.append(value)
        return dumps(value, **kw)

    monkeypatch.setattr(module.json, "dumps", counted)
    first = module.snapshot_json(event.id, False, stamp)
    whole = [v for v in encodes if isinstance(v, dict)]
    second = module.snapshot_json(event.id, False, stamp)
    assert [v for v in encodes if isinstance(v, dict)] == whole  # the payload encoded once
    expected = module.snapshot(event.id, False, stamp)
    for text in (first, second):
        got = json.loads(text)
        assert list(got) == list(expected)  # the same keys in the same order: the same bytes
        assert {**got, "server_time": None} == {**expected, "server_time": None}
        assert text == dumps({**expected, "server_time": got["server_time"]},
                             separators=(",", ":"))  # fmt: skip
