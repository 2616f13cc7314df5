"""A lead that cannot be registered costs its batch nothing: the registration runs in a SAVEPOINT.

The batch's samples and comments commit; the commenters whose registration fails stay leads
without a person (logged), the others of the batch are people at once, and ``flask followup
link``'s registration (``register_pending_leads``) picks the ones left over once they can be
registered, never stopped by one that still cannot. The failures are real ones, from the data: a
known commenter whose stored phone no longer decrypts (written under another data key), and on
PostgreSQL a row the database refuses (the INSERT fails in the database, which without a
savepoint aborts the whole transaction).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from app.attendance.lead_people import register_pending_leads
from app.collection import runner
from app.extensions import db
from app.models import Comment, EngagementSample, Person, Target
from collectors.base import Batch, CommentRecord, Sample
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

START = datetime(2026, 10, 14, 1, 0, tzinfo=UTC)
LATER = START + timedelta(hours=1)


class Scripted:
    def __init__(self, batch: Batch) -> None:
        self.batch = batch

    def collect(self, target, cursor) -> Batch:  # noqa: ANN001
        return self.batch


def batch(*records: tuple[str, str, str, str], minute: int = 0) -> Batch:
    """(external id, message, author, author id) comments a second apart, and a sample."""
    at = START + timedelta(minutes=minute)
    return Batch(
        samples=(Sample(at, live_viewers=120, views=400),),
        comments=tuple(
            CommentRecord(
                cid, text, at + timedelta(seconds=i), author_name=name, author_external_id=author
            )  # fmt: skip
            for i, (cid, text, name, author) in enumerate(records)
        ),
        cursor={"minute": minute},
        status="live",
    )


def run(target: Target, written: Batch) -> str:
    (result,) = runner.run_targets(
        [target.id], factory=lambda kind, url: Scripted(written), clock=lambda: LATER,
        publish=lambda *a: None,
    )  # fmt: skip
    db.session.expire_all()
    return result.outcome


def person_of(external_id: str) -> int | None:
    return db.session.scalar(sa.select(Comment.person_id).where(Comment.external_id == external_id))


@pytest.fixture
def live(make: Factory) -> Target:
    event = make.event(HOME, title="Livestream BHXH tự nguyện", planned_start=START)
    return make.target(event, make.account(HOME), external_id="live-7")


def unreadable_phone(person_id: int) -> None:
    """The person's phone as another data key wrote it: stored, but no longer decrypts."""
    stale = Fernet(Fernet.generate_key()).encrypt(b"+84912345678")
    db.session.execute(sa.text("UPDATE people SET phone = :phone WHERE id = :id"),
                       {"phone": stale, "id": person_id})  # fmt: skip


def test_a_lead_that_fails_to_register_leaves_its_batch_committed(
    live: Target, caplog: pytest.LogCaptureFixture
) -> None:
    first = batch(("c1", "tư vấn giúp em, sđt 0912345678", "Nguyễn Thị Hoa", "fb-1"))
    assert run(live, first) == "ok"
    hoa = person_of("c1")
    assert hoa is not None
    unreadable_phone(hoa)
    caplog.set_level(logging.WARNING)
    outcome = run(live, batch(
        ("c2", "cho em hỏi mức đóng bhxh tự nguyện", "Nguyễn Thị Hoa", "fb-1"),  # Hoa's phone
        ("c3", "đăng ký bhyt hộ gia đình giúp em", "Trần Văn Nam", "fb-2"),
        ("c4", "hay quá", "Lê Thu", "fb-3"),
        minute=5,
    ))  # fmt: skip
    assert outcome == "ok"
    stored = set(db.session.scalars(sa.select(Comment.external_id)))
    assert stored == {"c1", "c2", "c3", "c4"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EngagementSample)) == 2
    assert db.session.get(Target, live.id).cursor == {"minute": 5}
    assert person_of("c2") is None  # waits for a later registration
    assert person_of("c3") not in (None, hoa)  # the rest of the batch is registered at once
    c2 = db.session.scalar(sa.select(Comment.id).where(Comment.external_id == "c2"))
    assert f"lead comment {c2} not registered" in caplog.text

    # Left pending, the sweep of `flask followup link` skips it while it still fails...
    assert register_pending_leads(LATER) == 0
    assert person_of("c2") is None
    # ...and registers it, to the same person, once it can.
    people = Person.__table__
    db.session.execute(sa.update(people).where(people.c.id == hoa).values(phone="+84912345678"))
    register_pending_leads(LATER)
    db.session.expire_all()
    assert person_of("c2") == hoa


def test_the_sweep_registers_the_others_when_one_lead_fails(live: Target) -> None:
    assert run(live, batch(("c1", "tư vấn giúp em", "Nguyễn Thị Hoa", "fb-1"))) == "ok"
    unreadable_phone(person_of("c1"))
    for n, (author, name) in enumerate((("fb-1", "Nguyễn Thị Hoa"), ("fb-5", "Đỗ Minh"))):
        db.session.add(Comment(target_id=live.id, external_id=f"s{n}", message="tư vấn giúp em",
                               author_name=name, author_external_id=author, is_lead=True,
                               lead_intents=["tu_van"],
                               created_at=START + timedelta(minutes=9)))  # fmt: skip
    db.session.flush()
    assert register_pending_leads(LATER) == 1  # Đỗ Minh; Hoa's comment waits
    db.session.expire_all()
    assert person_of("s0") is None
    assert person_of("s1") is not None


def test_a_database_error_in_the_registration_is_rolled_back_to_its_savepoint(
    live: Target, backend: str
) -> None:
    """On PostgreSQL a failed INSERT aborts the transaction; only the savepoint is lost. The
    database refuses one person by a rule the test adds (rolled back with the test)."""
    if backend != "postgresql":
        pytest.skip("a refused INSERT aborts the transaction on PostgreSQL alone")
    db.session.execute(sa.text("ALTER TABLE people ADD CONSTRAINT test_refused "
                               "CHECK (full_name <> 'Tài Khoản Bị Chặn') NOT VALID"))  # fmt: skip
    outcome = run(live, batch(
        ("c1", "tư vấn giúp em bhxh tự nguyện", "Tài Khoản Bị Chặn", "fb-1"),
        ("c2", "cho em hỏi mức đóng", "Trần Văn Nam", "fb-2"),
    ))  # fmt: skip
    assert outcome == "ok"
    assert set(db.session.scalars(sa.select(Comment.external_id))) == {"c1", "c2"}
    assert person_of("c1") is None
    assert person_of("c2") is not None
