"""People made from comment leads carry their name as Vietnamese names are written.

A commenter's display name is typed however the commenter liked: "nguyen thi hoa" on a phone
without a Vietnamese keyboard, "TRẦN VĂN NAM" in capitals. Sheets and check-ins already stored
"Nguyễn Thị Hoa"; the people made from leads kept the display name as typed, so the call list
showed "nguyen thi hoa" beside "Lê Thị Mai". The keys telling who wrote a comment fold case, so a
commenter writing again (in any case) is still the same person.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.attendance.lead_people import register_comment_leads
from app.collection.writer import comment_row
from app.extensions import db
from app.identity.text import fold
from app.models import Comment, Person, Target
from collectors.base import CommentRecord
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

START = datetime(2026, 10, 14, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội, weeks ago
# As the commenter typed their display name → as their person stores it.
NAMES = {
    "nguyen thi hoa": "Nguyen Thi Hoa",
    "TRẦN  VĂN NAM": "Trần Văn Nam",
    "lò văn páo": "Lò Văn Páo",
    "Đinh Thu McKenzie": "Đinh Thu McKenzie",  # mixed case: written so on purpose
}


@pytest.fixture
def live(app: Flask, make: Factory) -> Target:
    event = make.event(HOME, title="Livestream BHXH tự nguyện", planned_start=START)
    return make.target(event, make.account(HOME), external_id="live-10")


def _comment(target: Target, cid: str, name: str, author: str | None, minute: int) -> Comment:
    """A lead comment stored as a collector stores it."""
    record = CommentRecord(cid, "cho em hỏi mức đóng bhxh tự nguyện ạ",
                           START + timedelta(minutes=minute), author_name=name,
                           author_external_id=author)  # fmt: skip
    comment = Comment(**comment_row(target.id, record))
    db.session.add(comment)
    db.session.flush()
    return comment


def _person_of(comment: Comment) -> Person:
    db.session.expire_all()
    return db.session.get(Person, db.session.get(Comment, comment.id).person_id)


def test_a_leads_person_is_named_as_names_are_written(live: Target) -> None:
    comments = {
        typed: _comment(live, f"c{i}", typed, f"fb-{i}", i) for i, typed in enumerate(NAMES)
    }
    assert register_comment_leads(START + timedelta(hours=1)) == len(NAMES)
    for typed, comment in comments.items():
        person = _person_of(comment)
        assert (person.full_name, person.name_folded) == (NAMES[typed], fold(typed))
        assert db.session.get(Comment, comment.id).author_name == typed  # the comment as given


@pytest.mark.parametrize("author", ["fb-7", None], ids=["author id", "name alone"])
def test_a_commenter_writing_again_is_still_their_person(live: Target, author: str | None) -> None:
    """Told by the author id, or (without one) by the folded name on the target: the second
    comment, in another case, finds the person the first one made."""
    first = _comment(live, "c1", "nguyen thi hoa", author, 0)
    assert register_comment_leads(START + timedelta(hours=1)) == 1
    again = _comment(live, "c2", "NGUYEN THI HOA", author, 30)
    assert register_comment_leads(START + timedelta(hours=2)) == 0
    assert _person_of(again).id == _person_of(first).id
    assert db.session.scalars(sa.select(Person.full_name)).all() == ["Nguyen Thi Hoa"]
