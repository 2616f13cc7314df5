"""Revision ab773ad74adb marks the page's own comments stored before d4b8e2a6f917, on both
databases.

A database at d4b8e2a6f917 holds what the application wrote before it: every comment a viewer's,
the fanpage's replies under its live and under a Page post, a YouTube channel's message on an
account naming its channel, the same page answering under another page's live, a channel's
message on an account that does not name it, comments without an author id, and built rollups.
After ``upgrade``: the page's and the channel's own comments (and only those) are marked, the
counts leave them out, and the rollups wait for a rebuild; a database with no such comment keeps
its rollups. The downgrade leaves the marks.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.models import Comment, RollupState, counted_comment
from tests.migrations.test_date_touches import Rows

BEFORE = "d4b8e2a6f917"  # the revision before ab773ad74adb
PAGE, OTHER_PAGE, CHANNEL = "104729318856412", "215830429967523", "UCbhxhNgheAn0000000000"
SEEN = datetime(2026, 11, 25, 13, 5, tzinfo=UTC)  # 20:05 in Hà Nội, during a livestream


class World:
    """Accounts, targets and comments as the revision before wrote them."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        self.event = rows.event("Livestream BHXH tự nguyện", planned_start=SEEN)
        self.comments: dict[str, int] = {}

    def account(self, platform: str, page: str | None) -> int:
        return self.rows.add("platform_accounts", platform=platform, name=platform,
                             org_unit_id=self.rows.unit, external_id=page, credentials=b"x",
                             health="ok", health_detail="", rate_limit_usage={})  # fmt: skip

    def target(self, kind: str, external_id: str, account_id: int | None = None) -> int:
        return self.rows.add("targets", event_id=self.event, account_id=account_id, kind=kind,
                             external_id=external_id, cursor={}, last_error="", failures=0,
                             calls_used=0)  # fmt: skip

    def comment(self, name: str, target_id: int, author: str | None, **kw: object) -> None:
        self.comments[name] = self.rows.add(
            "comments", target_id=target_id, external_id=f"c{len(self.comments)}",
            author_name="BHXH tỉnh Nghệ An" if author in (PAGE, CHANNEL) else "Nguyễn Thị Hoa",
            author_external_id=author, message=b"x", created_at=SEEN, is_lead=False,
            lead_intents=[], **kw,
        )  # fmt: skip


def _marks(world: World) -> dict[str, bool]:
    found = dict(db.session.execute(sa.select(Comment.id, Comment.by_owner)).all())
    return {name: bool(found[i]) for name, i in world.comments.items()}


def _counted() -> int:
    return db.session.scalar(sa.select(sa.func.count(Comment.id)).where(counted_comment()))


def _built(rows: Rows) -> None:
    table = sa.Table("rollup_state", rows.meta, autoload_with=rows.conn)
    rows.conn.execute(sa.insert(table).values(name="event_facts", built_at=rows.at(SEEN)))


def test_the_pages_own_comments_stored_before_are_marked(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        world = World(rows := Rows(conn, backend))
        live = world.target("facebook_live", "1029384756", world.account("facebook", PAGE))
        post = world.target("facebook_post", f"{PAGE}_77")  # the page is in the post id
        bare = world.target("facebook_post", "88")  # a bare id without its account: no page
        other = world.target("facebook_live", "5544", world.account("facebook", OTHER_PAGE))
        chat = world.target("youtube_live", "bhxhTNLive1", world.account("youtube", CHANNEL))
        unnamed = world.target("youtube_live", "bhxhTNLive2", world.account("youtube", None))
        world.comment("page under the live", live, PAGE)
        world.comment("page under the post", post, PAGE)
        world.comment("page's removed reply", live, PAGE, deleted_at=rows.at(SEEN))
        world.comment("channel in its chat", chat, CHANNEL)
        world.comment("marked already", live, PAGE, by_owner=True)
        world.comment("viewer under the live", live, "9001")
        world.comment("viewer under the post", post, "9002")
        world.comment("viewer named like the post", bare, "88")
        world.comment("page under another page's live", other, PAGE)
        world.comment("channel its account does not name", unnamed, CHANNEL)
        world.comment("no author id", chat, None)
        _built(rows)
    assert _counted() == 9  # every comment not removed, page's or not, as the figures were

    upgrade()
    mine = {"page under the live", "page under the post", "page's removed reply",
            "channel in its chat", "marked already"}  # fmt: skip
    assert _marks(world) == {name: name in mine for name in world.comments}
    assert _counted() == 6  # the viewers', and what cannot be told apart
    assert db.session.get(RollupState, "event_facts") is None  # rebuilt by `reports rollup`

    db.session.remove()
    downgrade(revision=BEFORE)
    assert _marks(world) == {name: name in mine for name in world.comments}  # nothing undone


@pytest.mark.parametrize("reply", [False, True], ids=["viewers only", "marked already"])
def test_rollups_stay_built_when_nothing_is_marked(empty: Flask, backend: str, reply: bool) -> None:
    """Comments the collectors already marked, or a viewer's alone, change no count."""
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        world = World(rows := Rows(conn, backend))
        live = world.target("facebook_live", "1029384756", world.account("facebook", PAGE))
        world.comment("viewer", live, "9001")
        if reply:
            world.comment("page", live, PAGE, by_owner=True)
        _built(rows)

    upgrade()
    assert _marks(world) == {"viewer": False} | ({"page": True} if reply else {})
    assert db.session.get(RollupState, "event_facts") is not None
