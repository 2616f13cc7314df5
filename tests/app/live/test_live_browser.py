"""The live page in headless Chromium against a real web process and the platform sandbox.

The web process (Flask-SocketIO, threading mode) runs on its own so the test can kill it with
SIGKILL and start it again; the test process plays the sandbox through the real runner, whose
``publish()`` reaches the web process through Redis, as the separate collector process does in
production. What is checked: counters and the chart grow as the live plays; hostile comments
show as text and run nothing; after a kill and restart the page reconnects and shows the totals
of the summary API; a viewer of another province is refused by the page and by the socket;
projector mode renders; a socket the server closes (an account changed) connects and joins again.
"""

from __future__ import annotations

import copy
import random
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.live.diff import diff, merge
from app.models import Comment, Target
from sandbox import Sandbox
from sandbox.scenario import HOSTILE_MESSAGES
from tests.app.live import redis_app
from tests.app.live.pages import (
    SUMMARY_KEYS,
    assert_page_shows,
    counter,
    log_in,
    play,
    seq,
    tracked,
)
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import HOME, OTHER, Factory

# Committing (this module's own app fixture): a separate web process reads the rows.
pytestmark = pytest.mark.committing

app = redis_app.app  # this module's app publishes through Redis (tests/app/live/redis_app.py)


def test_follows_the_sandbox_escapes_comments_and_resyncs_after_a_restart(
    app: Flask, web: WebProcess, browser, make: Factory, sandbox: Sandbox, fb_target: Target
) -> None:
    user = make.user("officer")
    dialogs: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, web.url, user.email)
    page.goto(f"{web.url}/events/{fb_target.event_id}/live")
    wait_for(lambda: seq(page) is not None, what="first snapshot")
    assert page.locator("#live-banner").is_hidden()
    assert page.locator("#feed-waiting").is_hidden()  # nothing waits while the feed scrolls
    # Not started (its live waits): no views to read yet, a dash, its age says why.
    assert page.inner_text('.counter[data-key="views"] > .value') == "—"
    assert counter(page, "live_viewers") == 0
    points_before = page.evaluate("document.getElementById('chart-viewers').data[0].x.length")

    play(sandbox, 240)
    wait_for(lambda: (counter(page, "live_viewers") or 0) > 0, what="viewers counter grows")
    wait_for(lambda: (counter(page, "comments") or 0) > 0, what="comments counter grows")
    assert seq(page) > 0
    # Live: the views come from the insights read at the end; until then not 0 but "chưa có".
    assert page.inner_text('.counter[data-key="views"] > .value') == "chưa có"
    points = page.evaluate("document.getElementById('chart-viewers').data[0].x.length")
    assert points > points_before
    peak = page.evaluate("document.getElementById('chart-viewers').data[1].y")
    assert peak == [max(page.evaluate("document.getElementById('chart-viewers').data[0].y"))]
    label = page.evaluate("document.getElementById('chart-viewers').data[1].text")
    assert label == [f"Đỉnh: {peak[0]:,}".replace(",", ".")]  # the page's words, redrawn

    # The web process dies; collection goes on without it, and the page says it is cut off.
    web.kill()
    page.locator("#live-banner.reconnecting").wait_for(state="visible", timeout=15000)
    assert "Mất kết nối" in page.inner_text("#live-banner")
    assert page.locator(".counter.stale").count() >= len(SUMMARY_KEYS)
    play(sandbox, sandbox.scenario.scripted_end + 60 - 240)  # a minute past the end
    web.start()
    page.locator("#live-banner").wait_for(state="hidden", timeout=30000)
    api = page.request.get(f"{web.url}/api/v1/events/{fb_target.event_id}/summary").json()
    wait_for(lambda: counter(page, "comments") == api["comments"], what="resynchronised totals")
    assert_page_shows(page, api)
    head = page.inner_text("#targets li .target-head")  # its title and kind, never its id
    shown = api["targets"][0]
    kind = "Video trực tiếp Facebook"
    assert head == (f"{shown['title']} · {kind}" if shown["title"] else kind), head
    own_peak = page.inner_text("#targets .target-peak")  # each target's own peak, beside it
    assert own_peak.startswith("đỉnh riêng")
    assert re.sub(r"\D", "", own_peak) == str(api["targets"][0]["peak_viewers"])

    # Ground truth of what the platform served, and hostile comments shown as text only.
    truth = sandbox.truth()["facebook"]
    removed = {*truth["deleted_comment_ids"], *truth["hidden_comment_ids"]}
    # The audience's comments: the Page's own replies are shown, not counted.
    page_replies = set(truth["page_comment_ids"])
    assert api["comments"] == len(set(truth["comment_ids"]) - removed - page_replies)
    assert api["shares"] == truth["shares"]
    assert api["peak_viewers"] == truth["max_live_views"]
    assert api["views"] == truth["insights"]["total_video_views"] > 0  # read at the end
    feed_texts = page.locator("#feed .comment .text").all_inner_texts()
    stored = set(db.session.scalars(sa.select(Comment.message)))
    for hostile in HOSTILE_MESSAGES:
        assert hostile in stored
        assert hostile in feed_texts
    assert page.locator("#feed img").count() == 0
    assert page.locator("#feed script").count() == 0
    assert dialogs == []
    assert errors == []
    # Leads only: every comment left visible is a lead.
    page.check("#leads-only")
    visible = page.locator("#feed li.comment:visible")
    assert visible.count() > 0
    assert visible.count() == page.locator("#feed li.comment.lead").count()


def test_viewer_of_another_province_is_refused(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    theirs = tracked(make, org_unit=HOME, title="Livestream Nghệ An")
    own = tracked(make, org_unit=OTHER, title="Livestream Huế")
    stranger = make.user("manager", org_unit=OTHER)
    page = browser.new_page()
    log_in(page, web.url, stranger.email)
    response = page.goto(f"{web.url}/events/{theirs.id}/live")
    assert response.status == 404
    page.goto(f"{web.url}/events/{own.id}/live")
    wait_for(lambda: seq(page) is not None, what="own event's snapshot")
    ack = page.evaluate(
        """(id) => new Promise((resolve) => {
             const s = io('/live');
             s.on('connect', () => s.emit('join', {event_id: id}, resolve));
           })""",
        theirs.id,
    )
    assert ack["ok"] is False
    assert ack["status"] in (403, 404)
    assert page.locator("#feed li.comment").count() == 0


def test_wall_mode_renders_large_and_dark(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    user = make.user("viewer")
    event = tracked(make)
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    log_in(page, web.url, user.email)
    page.goto(f"{web.url}/events/{event.id}/live?wall=1")
    wait_for(lambda: seq(page) is not None, what="snapshot")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(11, 18, 32)"
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.counter .value')).fontSize)"
    )
    assert size >= 48
    assert page.locator("#chart-viewers .main-svg").count() > 0
    assert page.locator("#feed").count() == 0
    assert page.locator("#chart-reactions").count() == 0
    assert page.locator("header.top").is_hidden()
    # A 1366×768 projector: type and chart shrink with the screen, nothing scrolls.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.reload()
    wait_for(lambda: seq(page) is not None, what="snapshot")
    assert page.evaluate("document.documentElement.scrollHeight") <= 768
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.counter .value')).fontSize)"
    )
    assert size >= 40


def test_a_page_open_when_the_live_ends_stops_warning_that_its_figures_are_late(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    """On the projector the live ends: the last collection ends the target and the event in
    one batch, and the next delta brings both. Before, the page kept the event "live" from its
    first load and, two minutes on, warned that the figures had stopped moving."""
    from datetime import timedelta

    from app.models import EngagementSample, EventStatus, utcnow
    from app.realtime import publish

    quiet_since = utcnow() - timedelta(minutes=10)
    event = make.event(status=EventStatus.LIVE, actual_start=quiet_since - timedelta(hours=1))
    target = make.target(event, make.account(), status="live", last_success_at=quiet_since)
    db.session.add(EngagementSample(target_id=target.id, sampled_at=quiet_since, live_viewers=80))
    db.session.commit()
    page = browser.new_page()
    log_in(page, web.url, make.user("viewer").email)
    page.goto(f"{web.url}/events/{event.id}/live")
    wait_for(lambda: seq(page) is not None, what="snapshot")
    banner = page.locator("#live-banner")
    wait_for(lambda: banner.is_visible(), what="the late live's warning")
    assert "stale" in (banner.get_attribute("class") or "")
    dot = "getComputedStyle(document.querySelector('h1 .dot')).backgroundColor"
    assert page.evaluate(dot) == "rgb(220, 38, 38)"  # red while live
    before = seq(page)
    target.status, event.status = "ended", EventStatus.ENDED
    db.session.commit()
    publish(event.id, "collected")
    wait_for(lambda: seq(page) == before + 1, what="the delta of the end")
    wait_for(lambda: banner.is_hidden(), what="no warning once the live has ended")
    assert page.locator(".counter.stale").count() == 0
    assert page.evaluate(dot) == "rgb(156, 163, 175)"  # grey: over


def test_a_comment_a_moderator_deleted_leaves_the_feed_and_the_count(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    """A chat message with a stranger's insult is in the live page's feed; the channel's
    moderator deletes it on YouTube. The next collection says so, and the feed drops it."""
    from app.collection.writer import write_batch
    from app.models import EventStatus, utcnow
    from app.realtime import publish
    from collectors.base import Batch, CommentRecord

    now = utcnow()
    event = make.event(status=EventStatus.LIVE, actual_start=now)
    target = make.target(event, make.account(), status="live", kind="youtube_live")
    said = (CommentRecord("insult", "đồ lừa đảo", now), CommentRecord("asks", "mức đóng?", now))
    write_batch(target, Batch(comments=said, status="live"), now)
    db.session.commit()
    page = browser.new_page()
    log_in(page, web.url, make.user("viewer").email)
    page.goto(f"{web.url}/events/{event.id}/live")
    wait_for(lambda: page.locator("#feed li.comment").count() == 2, what="both comments")
    assert counter(page, "comments") == 2
    before = seq(page)
    change = write_batch(target, Batch(status="live", removed_comments=("insult",)), now)
    db.session.commit()
    publish(event.id, "collected", change)
    wait_for(lambda: seq(page) == before + 1, what="the delta of the deletion")
    assert page.locator("#feed li.comment").count() == 1
    assert "mức đóng?" in page.inner_text("#feed")
    assert "lừa đảo" not in page.inner_text("#feed")
    assert counter(page, "comments") == 1


def test_views_without_facebook_say_so_until_its_read_at_the_end(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    """YouTube serves views during the broadcast, Facebook only once it ends: the counter says
    which platform its views leave out, and stops saying it when that read comes."""
    from app.collection.writer import write_batch
    from app.models import EventStatus, utcnow
    from app.realtime import publish
    from collectors.base import Batch, Sample

    now = utcnow()
    event = make.event(status=EventStatus.LIVE, actual_start=now)
    fb = make.target(event, make.account(), status="live", external_id="fb")
    yt = make.target(event, make.account(name="YT"), status="live", kind="youtube_live")
    write_batch(fb, Batch(samples=(Sample(now, live_viewers=438),), status="live"), now)
    write_batch(yt, Batch(samples=(Sample(now, live_viewers=77, views=118),), status="live"), now)
    db.session.commit()
    page = browser.new_page()
    log_in(page, web.url, make.user("viewer").email)
    page.goto(f"{web.url}/events/{event.id}/live")
    wait_for(lambda: seq(page) is not None, what="snapshot")
    note = page.locator('.counter[data-key="views"] .note')
    assert note.inner_text() == (
        "lượt xem YouTube đến lúc này; lượt xem Facebook được cộng vào khi buổi phát kết thúc"
    )
    before = seq(page)
    later = now + timedelta(seconds=5)
    change = write_batch(fb, Batch(samples=(Sample(later, views=1700),), status="ended"), later)
    db.session.commit()
    publish(event.id, "collected", change)
    wait_for(lambda: seq(page) == before + 1, what="the delta of the read at the end")
    assert counter(page, "views") == 1818
    assert note.is_hidden()


def test_the_page_merges_patches_as_the_server_makes_them(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    """``lantoaLive.merge`` (live.js) applies ``app.live.diff``'s patches to the same result."""
    old = {
        "views": None,
        "live_viewers": 5,
        "reactions": {"like": 1, "love": 0, "total": 1},
        "targets": [{"id": 3, "live_viewers": 5, "status": "live"}, {"id": 4, "live_viewers": 0}],
        "halls": [{"id": i, "head_count": None, "status": "not_connected"} for i in range(6)],
        "gone": {"a": 1},
    }
    new = copy.deepcopy(old)
    new.update(views=100, live_viewers=9)
    new["reactions"].update(like=4, total=4)
    del new["reactions"]["love"]
    new["targets"][0]["live_viewers"] = 9
    new["halls"][4].update(head_count=12, status="reported_only")
    new["halls"] = [new["halls"][4], *new["halls"][:4], {"id": 9, "head_count": 1}]
    del new["gone"]
    page = browser.new_page()
    log_in(page, web.url, make.user("viewer").email)
    page.goto(f"{web.url}/events/{tracked(make).id}/live")
    wait_for(lambda: seq(page) is not None, what="snapshot")
    rng = random.Random(7)
    cases = [(old, new), (new, old), (old, old)]
    for _ in range(10):  # boards reordered at random: rows gone, new, moved
        rows = [{"id": i, "n": i} for i in range(rng.randint(1, 30))]
        later = [dict(r, n=r["n"] + 1) for r in rows if rng.random() > 0.2]
        later += [{"id": 100 + i, "n": 0} for i in range(rng.randint(0, 4))]
        rng.shuffle(later)
        cases.append(({"halls": rows}, {"halls": later}))
    for before, after in cases:
        patch = diff(before, after)
        merged = page.evaluate("([s, p]) => window.lantoaLive.merge(s, p)", [before, patch])
        assert merged == after
        assert merged == merge(before, patch)


def test_a_socket_the_server_closes_connects_again_and_joins_as_the_account_now_is(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    """An administrator's change of role or unit closes the user's sockets (in whichever web
    process holds them); the page must come back on its own, joined under the new role."""
    from app.realtime import sockets

    user = make.user("officer")
    event = tracked(make)
    page = browser.new_page()
    log_in(page, web.url, user.email)
    page.goto(f"{web.url}/events/{event.id}/live")
    wait_for(lambda: seq(page) is not None, what="snapshot")
    first = page.evaluate("window.lantoaLive.socket.id")
    wait_for(lambda: sockets.close_for(user.id) > 0, what="the socket known to Redis")
    wait_for(
        lambda: (
            page.evaluate("window.lantoaLive.socket.connected && window.lantoaLive.socket.id")
            not in (False, None, first)
        ),
        what="a new socket after the server closed the first",
    )
    wait_for(lambda: page.evaluate("window.lantoaLive.state.connection") == "live",
             what="joined again")  # fmt: skip


def test_a_page_whose_session_ended_says_so_and_stops(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    """Logged out everywhere (a new password, an administrator's revocation): the open socket is
    closed, the page connects again and its join is refused (401); it says the session ended, in
    Vietnamese, instead of reconnecting for ever or saying the event is not theirs."""
    from app.realtime import sockets

    user = make.user("officer")
    event = tracked(make)
    page = browser.new_page(locale="vi-VN")
    log_in(page, web.url, user.email)
    page.goto(f"{web.url}/events/{event.id}/live")
    wait_for(lambda: seq(page) is not None, what="snapshot")
    user.revoke_sessions()
    db.session.commit()
    wait_for(lambda: sockets.close_for(user.id) > 0, what="the socket known to Redis")
    wait_for(lambda: page.evaluate("window.lantoaLive.state.connection") == "refused",
             what="the join refused")  # fmt: skip
    banner = page.inner_text("#live-banner")
    assert (
        banner
        == "Phiên đăng nhập đã kết thúc: hãy đăng nhập lại để theo dõi trực tiếp sự kiện này."
    )
    assert page.evaluate("window.lantoaLive.socket.connected") is False
