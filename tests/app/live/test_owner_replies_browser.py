"""The page's own replies on the live page, in headless Chromium: the sandbox's Facebook Page
answers some of its viewers under its live ("Dạ anh để lại số điện thoại, bên em gọi lại ạ");
the collector marks them, the writer stores the mark, and the page shows each reply muted with
"Trang trả lời", never as a lead (no lead card, no lead work to do, hidden by "Leads only"),
both as the deltas bring them and from the snapshot after a reload. The comments counter counts
the audience's comments: the replies are shown, not counted.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from app.extensions import db
from app.models import Comment, Target
from sandbox import Sandbox
from tests.app.live import redis_app
from tests.app.live.pages import (
    counter,
    open_live,
    open_live_tab,
    play,
    short_live,  # noqa: F401 - fixture: this module's sandbox
)
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # a separate web process reads the rows

app = redis_app.app  # this module's app publishes through Redis (tests/app/live/redis_app.py)


def _page_replies(page) -> set[str]:  # type: ignore[no-untyped-def]
    return set(page.eval_on_selector_all("#feed li.comment.by-owner",
                                         "els => els.map(e => e.dataset.id)"))  # fmt: skip


def _shows_replies_marked(page, replies: set[str], how: str) -> None:  # type: ignore[no-untyped-def]
    """Once the page shows ``replies`` (the stored ones) marked: each muted with its badge,
    none a lead, hidden by "Leads only", and left out of the comments counter."""
    wait_for(lambda: _page_replies(page) == replies, what=f"the replies marked ({how})")
    cards = page.locator("#feed li.comment.by-owner")
    expect(cards).to_have_count(len(replies))
    expect(cards.locator(".owner-badge")).to_have_text(["Trang trả lời"] * len(replies))
    assert cards.locator(".lead-badge, .lead-work, .intent").count() == 0
    assert page.locator("#feed li.comment.lead.by-owner").count() == 0
    muted = cards.first.evaluate("e => getComputedStyle(e).color")
    viewer = page.locator("#feed li.comment:not(.by-owner)").first
    assert muted != viewer.evaluate("e => getComputedStyle(e).color")
    # The audience's comments: what the feed shows, less the page's replies.
    shown = page.locator("#feed li.comment").count()
    wait_for(lambda: counter(page, "comments") == shown - len(replies),
             what=f"the counter leaves the replies out ({how})")  # fmt: skip
    page.check("#leads-only")
    expect(page.locator("#feed li.comment.by-owner:visible")).to_have_count(0)
    page.uncheck("#leads-only")


def test_the_pages_own_replies_are_marked_never_leads_and_not_counted(
    app: Flask, web: WebProcess, browser, make: Factory, sandbox: Sandbox, fb_target: Target
) -> None:
    officer = make.user("officer")  # an officer works leads on their cards
    event_id = fb_target.event_id
    page, errors = open_live_tab(browser, web.url, officer.email, event_id)

    play(sandbox, sandbox.scenario.scripted_end)  # by Socket.IO deltas, the page not reloaded
    owned = sa.select(Comment.id).where(
        Comment.target_id == fb_target.id, Comment.by_owner, Comment.deleted_at.is_(None)
    )
    replies = {str(i) for i in db.session.scalars(owned)}
    assert replies  # the Page answered some askers, and the collector said so
    page.locator("#feed li.comment.lead .lead-work").first.wait_for(timeout=20000)
    _shows_replies_marked(page, replies, "by the deltas")
    api = page.request.get(f"{web.url}/api/v1/events/{event_id}/summary").json()
    assert api["comments"] == counter(page, "comments")

    open_live(page, web.url, event_id)  # the snapshot marks them the same
    _shows_replies_marked(page, replies, "from the snapshot")
    assert errors == []
