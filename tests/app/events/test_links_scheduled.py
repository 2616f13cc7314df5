"""`make run`'s newcomer: the links box names the sandbox page's scheduled live, which no demo
event tracks; pasted on a new livestream event it reads "Chưa bắt đầu" with its planned start in
Hà Nội time, and is tracked once confirmed. Only while this process runs a sandbox."""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.collection import runner
from app.extensions import db
from app.models import Channel, Comment, EngagementSample, Platform, Target
from app.timeparse import VN
from sandbox import Sandbox
from tests.app.collection import pasted
from tests.app.collection.pasted import connect_all
from tests.app.events.provincial import communes
from tests.app.events.test_links import ENGLISH, Forms, check
from tests.conftest import HOME, Factory, login

served_scheduled, scheduled = pasted.served_scheduled, pasted.scheduled
TIP = "Thử với các video sắp phát của môi trường chạy thử: "


@pytest.fixture
def running(app: Flask, scheduled: Sandbox) -> Iterator[Sandbox]:
    """The sandbox as `make run` registers it with the serving app (``LANTOA_SANDBOX``)."""
    app.extensions["lantoa_sandbox"] = scheduled
    yield scheduled
    app.extensions.pop("lantoa_sandbox", None)


def test_the_scheduled_live_named_by_the_box_is_tracked_on_a_new_event(
    client: FlaskClient, logged_in, make: Factory, running: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, running)
    event = make.event(channel=Channel.LIVESTREAM)
    link = running.scheduled_link
    assert link is not None
    box = htmllib.unescape(client.get(f"/events/{event.id}/links").get_data(as_text=True))
    planned = running.scenario.scheduled
    assert planned is not None
    on_youtube = f"https://www.youtube.com/watch?v={planned.params.youtube_video_id}"
    # One link per video platform of the sandbox: a newcomer finds a YouTube link too.
    assert f"{TIP}Facebook: {link} · YouTube: {on_youtube}" in box
    page = check(client, event.id, link, on_youtube)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count(planned.params.title) >= 2
    assert html.count("Chưa bắt đầu") == 2
    start = planned.datetime_at(planned.live_start).astimezone(VN)
    assert start.strftime("%d/%m/%Y %H:%M") == "25/11/2026 20:28"  # 30 minutes after 19:58
    assert start.strftime("%d/%m/%Y %H:%M") in html
    assert "đã được theo dõi" not in html
    assert not any(word in html for word in ENGLISH)

    done = client.post(f"/events/{event.id}/links", data=Forms(html).step("track"))
    assert done.status_code == 302
    tracked = {(t.kind, t.external_id) for t in db.session.scalars(sa.select(Target))}
    assert tracked == {
        ("facebook_live", planned.params.live_video_id),
        ("youtube_live", planned.params.youtube_video_id),
    }
    # Tracked now, so the box of another event no longer suggests it (it would be refused).
    other = make.event(channel=Channel.LIVESTREAM)
    page = htmllib.unescape(client.get(f"/events/{other.id}/links").get_data(as_text=True))
    assert "Liên kết video trực tiếp (Facebook, YouTube)" in page
    assert TIP not in page


@pytest.mark.parametrize("channel", [Channel.ONLINE_CONFERENCE])
def test_the_box_names_no_live_where_lives_are_refused(
    client: FlaskClient, logged_in, make: Factory, running: Sandbox, channel: Channel
) -> None:
    logged_in("officer")
    event = make.event(channel=channel)
    assert TIP not in htmllib.unescape(client.get(f"/events/{event.id}").get_data(as_text=True))


def test_without_a_running_sandbox_the_box_names_nothing(
    client: FlaskClient, logged_in, make: Factory, scheduled: Sandbox
) -> None:
    logged_in("officer")
    event = make.event(channel=Channel.LIVESTREAM)
    assert TIP not in htmllib.unescape(
        client.get(f"/events/{event.id}/links").get_data(as_text=True)
    )


def test_once_tracked_it_goes_live_at_its_planned_start_and_yields_figures(
    client: FlaskClient, logged_in, make: Factory, running: Sandbox
) -> None:
    """Collected by the real collectors through the runner: nothing before the sandbox clock
    reaches its planned start; viewers and comments of its own script after."""
    logged_in("officer")
    connect_all(make, running)
    event = make.event(channel=Channel.LIVESTREAM)
    planned = running.scenario.scheduled
    assert planned is not None
    assert running.scheduled_link is not None
    html = check(client, event.id, running.scheduled_link).get_data(as_text=True)
    client.post(f"/events/{event.id}/links", data=Forms(html).step("track"))
    (target,) = db.session.scalars(sa.select(Target)).all()

    def collect(t: float) -> None:
        running.clock.set(t)
        at = running.scenario.datetime_at(t)
        runner.run_targets([target.id], clock=lambda: at, publish=lambda *a: None)
        db.session.expire_all()

    def stored(model: type) -> int:
        query = sa.select(sa.func.count()).select_from(model)
        return db.session.scalar(query.where(model.target_id == target.id))  # type: ignore[attr-defined]

    collect(planned.live_start - 600)  # ten minutes before: scheduled, nothing said yet
    assert stored(Comment) == 0
    viewers = db.session.scalars(sa.select(EngagementSample.live_viewers)).all()
    assert all(not v for v in viewers)
    collect(planned.live_start + 20 * 60)
    assert stored(Comment) > 0
    assert max(v or 0 for v in db.session.scalars(sa.select(EngagementSample.live_viewers))) > 0
    comment_ids = db.session.scalars(sa.select(Comment.external_id)).all()
    assert all(i.startswith(f"{planned.params.video_id}_") for i in comment_ids)


NO_ACCOUNT = (
    "Đơn vị của bạn chưa có tài khoản nền tảng nào được kết nối để đọc các liên kết này: hãy nhờ "
    "lãnh đạo kết nối tài khoản."
)


def new_event_box(client: FlaskClient, channel: Channel = Channel.LIVESTREAM) -> str:
    """The links box's help on /events/new for ``channel`` (the form's first is a livestream;
    the others are in the script's data-hints)."""
    page = client.get("/events/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    hints = re.search(r'data-hints="([^"]*)"', html)
    assert hints
    return json.loads(htmllib.unescape(hints.group(1)))[channel.value]["hint"]


def test_a_commune_without_accounts_is_told_whom_to_ask_not_shown_links_it_cannot_use(
    app: Flask, client: FlaskClient, make: Factory, running: Sandbox
) -> None:
    """The province's accounts read the province's pastes, never a commune's (``check_links``
    reads through the user's unit and those below): a commune officer shown the sandbox's links
    had every one refused ("Đơn vị của bạn chưa kết nối tài khoản Facebook nào")."""
    connect_all(make, running)  # the province's
    commune = communes(1)[0]
    login(client, make.user("officer", commune.code).email)
    for channel in (Channel.LIVESTREAM, Channel.ONLINE_CONFERENCE, Channel.CONFERENCE):
        hint = new_event_box(client, channel)
        assert TIP not in hint, channel
        assert hint.endswith(NO_ACCOUNT), (channel, hint)
    event = make.event(commune.code, channel=Channel.LIVESTREAM)
    for page in (f"/events/{event.id}", f"/events/{event.id}/links", "/events/new"):
        html = htmllib.unescape(client.get(page).get_data(as_text=True))
        assert NO_ACCOUNT in html, page
        assert running.scheduled_link not in html, page
    # The province's officer reads them through the province's accounts: offered both.
    province = app.test_client()
    login(province, make.user("officer", HOME).email)
    hint = new_event_box(province)
    assert f"{TIP}Facebook: " in hint
    assert " · YouTube: " in hint
    assert NO_ACCOUNT not in hint


def test_a_commune_is_offered_the_links_of_the_platforms_it_has_an_account_of(
    client: FlaskClient, make: Factory, running: Sandbox
) -> None:
    commune = communes(1)[0]
    make.account(commune.code, "Kênh YouTube xã", platform=Platform.YOUTUBE,
                 credentials={"api_key": running.youtube_api_key,
                              "base_url": running.youtube_url})  # fmt: skip
    login(client, make.user("officer", commune.code).email)
    hint = new_event_box(client)
    planned = running.scenario.scheduled
    assert planned is not None
    on_youtube = f"https://www.youtube.com/watch?v={planned.params.youtube_video_id}"
    assert hint.endswith(f"{TIP}YouTube: {on_youtube}"), hint
    assert "Facebook:" not in hint
    assert NO_ACCOUNT not in hint
    # The link offered is one the commune's paste is read with: not refused for want of an
    # account.
    event = make.event(commune.code, channel=Channel.LIVESTREAM)
    html = check(client, event.id, on_youtube).get_data(as_text=True)
    assert "Chưa bắt đầu" in html
    assert "chưa kết nối tài khoản" not in html
