"""The writer's change record: the batch's rows as written, comments with their database ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask import Flask

from app.collection.writer import write_batch
from app.extensions import db
from app.models import Comment
from collectors.base import Batch, CommentRecord, ParticipantRecord, Sample
from tests.conftest import Factory

pytestmark = pytest.mark.postgres  # comment ids come back through INSERT … RETURNING

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
HANOI = timezone(timedelta(hours=7))


def test_the_change_carries_the_rows_as_written(app: Flask, make: Factory) -> None:
    target = make.target(make.event(), make.account())
    sample = Sample(NOW, live_viewers=80, views=300)
    batch = Batch(
        samples=(sample,),
        comments=(
            CommentRecord("c1", "Tư vấn giúp em, sđt 0912 345 678", NOW.astimezone(HANOI), "Lan"),
            CommentRecord("c2", "Hay quá", NOW - timedelta(seconds=5), "Minh"),
            CommentRecord("c1", "Tư vấn giúp em, sđt 0912 345 678", NOW, "Lan"),  # seen twice
        ),
        participants=(ParticipantRecord("p1", "UBND xã A", NOW),),
    )
    change = write_batch(target, batch, NOW)
    db.session.commit()
    assert (change.event_id, change.target_id, change.kind) == (
        target.event_id,
        target.id,
        "facebook_live",
    )
    assert change.samples == (sample,)
    assert [p.participant_key for p in change.participants] == ["p1"]
    stored = {c.external_id: c for c in db.session.scalars(sa.select(Comment))}
    assert [c.external_id for c in change.comments] == ["c1", "c2"]
    for written in change.comments:
        row = stored[written.external_id]
        assert written.id == row.id
        assert (written.message, written.author_name, written.is_lead) == (
            row.message,
            row.author_name,
            row.is_lead,
        )
        assert written.created_at == row.created_at
        assert written.created_at.utcoffset() == timedelta(0)  # UTC, as the database returns it
        assert list(written.lead_intents) == list(row.lead_intents or [])
        assert written.phone == row.phone
    (lead,) = change.leads
    assert (lead.external_id, lead.phone) == ("c1", "+84912345678")


def test_an_edit_keeps_its_id_and_a_removed_comment_stays_hidden(app: Flask, make: Factory) -> None:
    target = make.target(make.event(), make.account())
    first = write_batch(target, Batch(comments=(CommentRecord("c1", "cũ", NOW),)), NOW)
    db.session.commit()
    db.session.execute(sa.update(Comment).values(deleted_at=NOW))
    db.session.commit()
    edited = Batch(comments=(CommentRecord("c1", "mới", NOW), CommentRecord("c2", "thêm", NOW)))
    second = write_batch(target, edited, NOW)
    db.session.commit()
    (old,) = first.comments
    by_id = {c.external_id: c for c in second.comments}
    assert by_id["c1"].id == old.id
    assert by_id["c1"].message == "mới"
    assert (by_id["c1"].deleted, by_id["c2"].deleted) == (True, False)
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 2


def test_the_pages_own_reply_is_never_a_lead(app: Flask, make: Factory) -> None:
    """The fanpage answering "cán bộ sẽ liên hệ, gọi 0238 3844 112" reads like a lead; it is not."""
    target = make.target(make.event(), make.account(external_id="104729318856412"))
    reply = "Cán bộ sẽ liên hệ tư vấn, hoặc bạn gọi BHXH tỉnh số 0238 3844 112 nhé"
    batch = Batch(
        comments=(
            CommentRecord("c1", "Cho em hỏi mức đóng, sđt 0912 345 678", NOW, "Lan", "9001"),
            CommentRecord("c2", reply, NOW, "BHXH tỉnh", "104729318856412", "c1", by_owner=True),
        )
    )
    change = write_batch(target, batch, NOW)
    db.session.commit()
    stored = {c.external_id: c for c in db.session.scalars(sa.select(Comment))}
    assert (stored["c2"].is_lead, stored["c2"].lead_intents, stored["c2"].phone) == (
        False,
        [],
        None,
    )
    assert stored["c2"].phone_bidx is None
    assert stored["c1"].is_lead
    assert [c.external_id for c in change.leads] == ["c1"]


def test_the_pages_own_reply_is_stored_as_the_pages(app: Flask, make: Factory) -> None:
    """The mark the collector gave (the page or channel wrote it) is stored with the comment and
    carried by the change, so the live page marks the reply and the counts leave it out; a
    comment read again with the mark (collected before the mark was stored) gains it."""
    target = make.target(make.event(), make.account(external_id="104729318856412"))
    reply = "Dạ anh để lại số điện thoại, bên em gọi lại ạ"
    asked = CommentRecord("c1", "Mức đóng thấp nhất là bao nhiêu?", NOW, "Lan", "9001")
    answer = CommentRecord("c2", reply, NOW, "BHXH tỉnh", "104729318856412", "c1", by_owner=True)
    change = write_batch(target, Batch(comments=(asked, answer)), NOW)
    db.session.commit()
    stored = {c.external_id: c.by_owner for c in db.session.scalars(sa.select(Comment))}
    assert stored == {"c1": False, "c2": True}
    assert {c.external_id: c.by_owner for c in change.comments} == {"c1": False, "c2": True}

    db.session.execute(sa.update(Comment).values(by_owner=False))  # as the migration left it
    db.session.commit()
    again = write_batch(target, Batch(comments=(answer,)), NOW)
    db.session.commit()
    assert db.session.scalar(sa.select(Comment.by_owner).where(Comment.external_id == "c2"))
    assert [c.by_owner for c in again.comments] == [True]
