"""A commenter with a name longer than the people's columns (a shop's page, a name in decorative
letters) is a person at once, on PostgreSQL too (which refuses a value longer than its column):
the name cut at a word to fit, folded and cut again (folding may lengthen it: "ß" is "ss"); the
comment keeps the name as the platform gave it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.attendance.lead_people import register_pending_leads
from app.collection import runner
from app.extensions import db
from app.identity.text import NAME_CHARS, fit
from app.models import Comment, Person, Target
from collectors.base import Batch, CommentRecord, Sample
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

START = datetime(2026, 10, 14, 1, 0, tzinfo=UTC)
# A shop's page: 56 words, 247 characters (its comments keep them all).
SHOP = (
    "Shop Mẹ Bầu Và Bé Yêu Chính Hãng Giá Tốt Nhất Nghệ An Chuyên Sỉ Lẻ Quần Áo Sơ Sinh "
    "Bỉm Sữa Nhập Khẩu Đồ Dùng Cho Mẹ Sau Sinh Hàng Xách Tay Straße Đức Nhật Hàn Quốc "
    "Uy Tín Giao Hàng Toàn Quốc Thanh Toán Khi Nhận Hàng Hotline Zalo Tư Vấn ﬁt Miễn Phí"
)
# 200 characters exactly, that folding makes 228: "Straße" 28 times, a space between, "Stra".
GERMAN = " ".join(["Straße"] * 28) + " Stra"


class Scripted:
    def __init__(self, batch: Batch) -> None:
        self.batch = batch

    def collect(self, target, cursor) -> Batch:  # noqa: ANN001
        return self.batch


def run(target: Target, *records: tuple[str, str, str]) -> None:
    at = START + timedelta(minutes=1)
    written = Batch(
        samples=(Sample(at, live_viewers=80, views=200),),
        comments=tuple(
            CommentRecord(
                cid,
                "tư vấn bhxh tự nguyện giúp em",
                at,
                author_name=name,
                author_external_id=author,
            )
            for cid, name, author in records
        ),  # fmt: skip
        cursor={"minute": 1},
        status="live",
    )
    (result,) = runner.run_targets(
        [target.id], factory=lambda kind, url: Scripted(written),
        clock=lambda: START + timedelta(hours=1), publish=lambda *a: None,
    )  # fmt: skip
    assert result.outcome == "ok"
    db.session.expire_all()


def person(external_id: str) -> Person | None:
    stmt = sa.select(Person).join(Comment, Comment.person_id == Person.id)
    return db.session.scalar(stmt.where(Comment.external_id == external_id))


@pytest.fixture
def live(make: Factory) -> Target:
    event = make.event(HOME, title="Livestream BHXH tự nguyện", planned_start=START)
    return make.target(event, make.account(HOME), external_id="live-9")


def test_a_name_longer_than_its_column_is_cut_at_a_word(live: Target) -> None:
    assert (len(SHOP), len(GERMAN)) == (247, NAME_CHARS)
    run(live, ("c1", SHOP, "fb-shop"), ("c2", GERMAN, "fb-de"), ("c3", "Trần Văn Nam", "fb-3"))
    shop, german = person("c1"), person("c2")
    assert shop is not None
    assert german is not None
    # Whole words only, as long as the column allows.
    assert shop.full_name == SHOP[: SHOP.rindex(" ", 0, NAME_CHARS + 1)]
    assert len(shop.full_name) <= NAME_CHARS
    assert SHOP.startswith(shop.full_name + " ")
    assert shop.full_name.endswith("Giao Hàng Toàn Quốc Thanh")  # not "Thanh To"
    assert shop.name_folded.startswith("shop me bau va be yeu chinh hang")
    assert len(shop.name_folded) <= NAME_CHARS
    # Folded, 200 characters grew to 228: cut again at a word ("strasse" whole, 25 of them).
    assert german.full_name == GERMAN
    assert german.name_folded == " ".join(["strasse"] * 25)
    # The comments keep the names whole, as the platform gave them.
    stored = {
        c: n for c, n in db.session.execute(sa.select(Comment.external_id, Comment.author_name))
    }
    assert (stored["c1"], stored["c2"]) == (SHOP, GERMAN)
    assert person("c3") is not None


def test_a_long_names_next_comment_finds_its_person(live: Target) -> None:
    """Without an author id the folded name is the key: the same cut each time, one person."""
    run(live, ("c1", SHOP, None))
    first = person("c1")
    assert first is not None
    db.session.add(Comment(target_id=live.id, external_id="c9", message="cho em hỏi mức đóng",
                           author_name=SHOP, is_lead=True, lead_intents=["tu_van"],
                           created_at=START + timedelta(minutes=30)))  # fmt: skip
    db.session.flush()
    assert register_pending_leads(START + timedelta(hours=2)) == 0  # nobody new
    db.session.expire_all()
    assert person("c9").id == first.id


def test_fit_cuts_at_a_word() -> None:
    assert fit("Nguyễn Thị Hoa", 200) == "Nguyễn Thị Hoa"
    assert fit("Nguyễn Thị Hoa", 10) == "Nguyễn Thị"  # "Hoa" would be cut: left out
    assert fit("Nguyễn Thị Hoa", 11) == "Nguyễn Thị"  # the space after it: dropped
    assert fit("Nguyễn Thị Hoa", 12) == "Nguyễn Thị"
    assert fit("Supercalifragilistic", 5) == "Super"  # one word longer than the column
