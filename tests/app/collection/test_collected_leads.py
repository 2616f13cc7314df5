"""Lead comments become people in the batch that stores them, not at the next ``followup link``.

The tour saw the channels page say "Người được định danh 0" during and after a livestream whose
follow-up already listed its commenters: they were people only once ``flask followup link`` ran.
Here the runner (the one path of the embedded scheduler and of ``flask collect run``) writes
batches of a past livestream's comments: the commenters are people when the batch commits, one
per commenter across batches, the fanpage's own answer with its hotline never, and two batches
registering the same commenter at once on PostgreSQL make one person, not two.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.attendance.lead_people import register_collected_leads, register_comment_leads
from app.collection import runner
from app.extensions import db
from app.models import Attendance, Comment, Person, Target
from collectors.base import Batch, CommentRecord
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

START = datetime(2026, 10, 14, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội, weeks ago


class Scripted:
    kind = "facebook_live"

    def __init__(self, *answers: Batch) -> None:
        self.answers = list(answers)

    def collect(self, target, cursor) -> Batch:  # noqa: ANN001
        return self.answers.pop(0)


def comments(*records: tuple[str, str, str, str | None]) -> Batch:
    """A batch of (external id, message, author, author id) comments, a minute apart."""
    return Batch(
        comments=tuple(
            CommentRecord(
                cid, text, START + timedelta(minutes=i), author_name=name, author_external_id=author
            )  # fmt: skip
            for i, (cid, text, name, author) in enumerate(records)
        ),
        cursor={"since": "x"},
        status="live",
    )


def run(target: Target, batch: Batch, at: datetime = START + timedelta(hours=1)) -> None:
    (result,) = runner.run_targets(
        [target.id], factory=lambda kind, url: Scripted(batch), clock=lambda: at,
        publish=lambda *a: None,
    )  # fmt: skip
    assert result.outcome == "ok"
    db.session.expire_all()


def person_of(external_id: str) -> int | None:
    return db.session.scalar(sa.select(Comment.person_id).where(Comment.external_id == external_id))


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def live(app: Flask, make: Factory) -> Target:
    event = make.event(HOME, title="Livestream BHXH tự nguyện", planned_start=START)
    return make.target(event, make.account(HOME), external_id="live-10")


def test_a_batchs_lead_comments_are_people_when_it_commits(live: Target) -> None:
    run(live, comments(
        ("c1", "Tư vấn giúp em bhxh tự nguyện, sđt 0912 345 678", "Nguyễn Thị Hoa", "fb-1"),
        ("c2", "Mức đóng bao nhiêu vậy ạ", "Trần Văn Nam", "fb-2"),
        ("c3", "Chào cả nhà", "Lê Thu", "fb-3"),
    ))  # fmt: skip
    answer = Batch(
        comments=(CommentRecord("c4", "Chị để lại sđt, hoặc gọi tổng đài 1900 9068 để được tư vấn",
                                START + timedelta(minutes=5), author_name="BHXH Nghệ An",
                                author_external_id="page", parent_external_id="c1",
                                by_owner=True),),
        cursor={"since": "y"},
        status="live",
    )  # fmt: skip
    run(live, answer)
    hoa, nam = person_of("c1"), person_of("c2")
    assert None not in (hoa, nam)
    assert hoa != nam
    assert person_of("c3") is None  # a greeting is nobody to call
    assert person_of("c4") is None  # the fanpage's answer, hotline and all, is never a lead
    assert db.session.get(Person, hoa).phone == "+84912345678"
    touches = db.session.execute(
        sa.select(Attendance.person_id, Attendance.touched_at)
        .where(Attendance.event_id == live.event_id, Attendance.source == "comment")
        .order_by(Attendance.person_id)
    ).all()
    assert touches == sorted([(hoa, START), (nam, START + timedelta(minutes=1))])
    assert register_comment_leads(START + timedelta(days=1)) == 0  # nothing left for the job


def test_one_commenter_is_one_person_across_batches_and_edits(live: Target) -> None:
    run(live, comments(("c1", "cho em hỏi mức đóng", "Nguyễn Thị Hoa", "fb-1")))
    first = person_of("c1")
    # The same batch again (a retried poll), an edit that adds her number, and a new comment.
    run(live, comments(
        ("c1", "cho em hỏi mức đóng, sđt em 0987654321", "Nguyễn Thị Hoa", "fb-1"),
        ("c2", "em muốn đăng ký bhyt hộ gia đình", "Nguyễn Thị Hoa", "fb-1"),
    ))  # fmt: skip
    assert person_of("c1") == person_of("c2") == first
    assert count(Person) == 1
    assert count(Attendance) == 1  # one touch of the event, dated by her first comment
    assert db.session.scalar(sa.select(Attendance.touched_at)) == START


def test_an_edited_comment_that_becomes_a_lead_is_registered(live: Target) -> None:
    run(live, comments(("c1", "hay quá", "Phạm An", "fb-9")))
    assert person_of("c1") is None
    run(live, comments(("c1", "hay quá, đăng ký cho em với", "Phạm An", "fb-9")))
    assert person_of("c1") is not None


@pytest.mark.committing
def test_two_batches_registering_one_commenter_at_once_make_one_person(
    app: Flask, make: Factory, database_url: str
) -> None:
    """Two lives of one page collected side by side (two collector processes, or two threads):
    the second batch waits for the first one's commit and finds its person."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: there is nothing to wait for")
    account = make.account(HOME)
    event = make.event(HOME, title="Livestream hai kênh", planned_start=START)
    ids = []
    for n in (1, 2):
        target = make.target(event, account, external_id=f"live-{n}")
        comment = Comment(target_id=target.id, external_id=f"c{n}", message="tư vấn giúp em",
                          author_name="Nguyễn Thị Hoa", author_external_id="fb-1",
                          created_at=START + timedelta(minutes=n), is_lead=True,
                          lead_intents=["tu_van"])  # fmt: skip
        db.session.add(comment)
        db.session.flush()
        ids.append(comment.id)
    db.session.commit()
    first_registered = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with app.app_context():
            try:
                register_collected_leads([ids[0]])
                first_registered.set()
                time.sleep(0.5)  # the rest of its batch: rollups, the run record
                db.session.commit()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                first_registered.set()

    thread = threading.Thread(target=first)
    thread.start()
    first_registered.wait(10)
    with app.app_context():
        register_collected_leads([ids[1]])
        db.session.commit()
    thread.join(10)
    assert not errors
    db.session.expire_all()
    owners = set(db.session.scalars(sa.select(Comment.person_id).where(Comment.id.in_(ids))))
    assert None not in owners
    assert len(owners) == 1
    assert count(Person) == 1
