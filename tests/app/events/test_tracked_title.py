"""What is tracked, as an officer knows it: a Facebook live pasted on an event is listed on the
event page by its title, linked to its own page on facebook.com, its kind in words; the platform's
id for it (a live-video node id, not the video id the officer pasted) only in the technical fold.
And a live that starts on another day than the event is planned is pointed out before it is
tracked, never refused. Against the sandbox over loopback HTTP.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.collection import runner
from app.collection.fit import elsewhen
from app.collection.targets import add_target
from app.extensions import db
from app.models import Channel, Target
from app.timeparse import VN
from sandbox import Sandbox
from tests.app.collection.pasted import connect_all, links
from tests.app.events.test_links import ENGLISH, Forms, check
from tests.conftest import Factory

pytestmark = pytest.mark.postgres  # the columns and their migration, on both databases


def permalink(sandbox: Sandbox) -> str:
    p = sandbox.scenario.params
    return f"https://www.facebook.com/{p.page_id}/videos/{p.video_id}/"


def target_items(page: str) -> list[str]:
    """Each tracked object's line of the event page, as written (tags kept)."""
    return re.findall(r'<li class="target">(.*?)</li>', page, flags=re.S)


def unfolded(item: str) -> str:
    """The text a reader sees without opening the technical fold."""
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<details.*?</details>", "", item,
                                                             flags=re.S)))  # fmt: skip


def track(client: FlaskClient, event_id: int, *lines: str, **changed: str) -> str:
    """Check the lines, confirm what the page offers (``changed`` fields altered), and answer the
    event page."""
    html = check(client, event_id, *lines).get_data(as_text=True)
    form = {**Forms(html).step("track"), **changed}
    done = client.post(f"/events/{event_id}/links", data=form)
    assert done.status_code == 302
    return client.get(done.location).get_data(as_text=True)


def test_a_pasted_live_is_listed_by_its_title_and_link_not_by_the_platforms_id(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    p = sandbox.scenario.params
    event = make.event(channel=Channel.LIVESTREAM)
    pasted_link = links(sandbox)["facebook"][0]
    assert p.video_id in pasted_link
    assert p.live_video_id not in pasted_link
    page = track(client, event.id, pasted_link)
    (item,) = target_items(page)
    assert f'<a class="object-title" href="{permalink(sandbox)}"' in item
    assert 'target="_blank" rel="noopener noreferrer"' in item
    seen = unfolded(item)
    assert p.title in seen
    assert "Video trực tiếp Facebook" in seen
    assert p.live_video_id not in seen  # the id the officer could not check…
    assert f"Mã trên nền tảng: {p.live_video_id}" in htmllib.unescape(item)  # …only when asked
    target = db.session.scalars(sa.select(Target)).one()
    assert (target.title, target.url) == (p.title, permalink(sandbox))


def test_a_tampered_confirmation_keeps_no_link_off_the_platforms_sites(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    """The title and link ride in the confirmation form: a link changed there to another site
    (or a script) is not kept, and the object is still tracked, under its title."""
    logged_in("officer")
    connect_all(make, sandbox)
    known = links(sandbox)
    for evil in ("javascript:alert(document.cookie)", "https://facebook.com.evil.example/v/1",
                 "//evil.example/videos/1"):  # fmt: skip
        event = make.event(channel=Channel.LIVESTREAM)
        page = track(
            client,
            event.id,
            known["facebook"][0],
            **{"items-0-url": evil, "items-0-title": "x" * 900},
        )
        target = db.session.scalars(sa.select(Target).where(Target.event_id == event.id)).one()
        assert (target.url, target.title) == (None, "x" * 500)
        assert "evil" not in page
        assert "javascript:" not in page
        db.session.delete(target)  # the same live may be tracked by the next event
        db.session.commit()


def test_a_meeting_link_is_kept_without_its_passcode(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    known = links(sandbox)
    c = sandbox.conferences.conference.params
    event = make.event(channel=Channel.ONLINE_CONFERENCE)
    page = track(client, event.id, known["zoom"][0], known["meet"][0], known["bbb"][0])
    stored = {t.kind: t.url for t in db.session.scalars(sa.select(Target))}
    assert stored == {
        # Zoom's own join_url (the paste had ?pwd=…, so has the join_url): no passcode kept
        "zoom_meeting": f"https://us02web.zoom.us/j/{c.zoom_meeting_id}",
        "meet_conference": f"https://meet.google.com/{c.meet_code}",
        "bbb_meeting": None,  # opened only through a signed join link, never kept
    }
    assert not {"QmhYaE", "pwd=", "password=", "checksum="} & set(re.findall(r"QmhYaE|\w+=", page))
    items = [unfolded(i) for i in target_items(page)]
    assert any("Cuộc họp Google Meet" in i for i in items)  # no title: its kind names it
    assert not any(word in page for word in ENGLISH)


def test_a_live_starting_days_before_the_planned_event_is_pointed_out_before_tracking(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    start = sandbox.scenario.datetime_at(sandbox.scenario.live_start)
    local = start.astimezone(VN)
    planned = (local + timedelta(days=2)).replace(hour=20, minute=0, second=0, microsecond=0)
    event = make.event(channel=Channel.LIVESTREAM, planned_start=planned.astimezone(UTC))
    html = check(client, event.id, links(sandbox)["facebook"][0]).get_data(as_text=True)
    warning = (
        f"Video này bắt đầu lúc {local:%H:%M} ngày {local:%d/%m/%Y}, còn sự kiện dự kiến 20:00 "
        f"ngày {planned:%d/%m/%Y}: kiểm tra lại đường dẫn."
    )
    assert warning in htmllib.unescape(html)
    assert 'class="time-warning" role="status"' in html
    assert "Bắt đầu theo dõi" in html  # a warning, not a refusal
    assert db.session.scalars(sa.select(Target)).all() == []
    done = client.post(f"/events/{event.id}/links", data=Forms(html).step("track"))
    assert done.status_code == 302
    assert len(db.session.scalars(sa.select(Target)).all()) == 1

    near = make.event(channel=Channel.LIVESTREAM, planned_start=start - timedelta(minutes=30))
    assert (start - timedelta(minutes=30)).astimezone(VN).date() == local.date()
    html = check(client, near.id, links(sandbox)["youtube"][0]).get_data(as_text=True)
    assert "time-warning" not in html
    assert "kiểm tra lại đường dẫn" not in html


def test_when_a_start_is_far_from_the_plan(app: Flask) -> None:
    """More than three hours apart, or another day in Hà Nội (UTC+7), whichever the object."""

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 12, day, hour, minute, tzinfo=VN)

    with app.test_request_context():
        brief = elsewhen(at(9, 20), "facebook_live", at(7, 0, 31))
        assert brief == (
            "Video này bắt đầu lúc 00:31 ngày 07/12/2026, còn sự kiện dự kiến 20:00 ngày "
            "09/12/2026: kiểm tra lại đường dẫn."
        )
        assert elsewhen(at(9, 20), "facebook_live", at(9, 22, 59)) == ""
        assert elsewhen(at(9, 20), "facebook_live", at(9, 17)) == ""  # three hours early: fine
        assert elsewhen(at(9, 20), "facebook_live", at(9, 23, 1)) != ""
        late = elsewhen(at(9, 23), "zoom_meeting", at(10, 0, 30))  # 1 h 30 after, next day
        assert late.startswith("Cuộc họp này bắt đầu lúc 00:30 ngày 10/12/2026")
        assert elsewhen(None, "facebook_live", at(9, 20)) == ""
        assert elsewhen(at(9, 20), "youtube_live", None) == ""


def test_collection_names_a_target_tracked_before_titles_were_kept(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    """A target with no title (from before), or a link rebuilt from the pasted id, gets the
    title and permalink the live node gives on its next poll."""
    accounts = connect_all(make, sandbox)
    p = sandbox.scenario.params
    event = make.event(channel=Channel.LIVESTREAM)
    rebuilt = f"https://www.facebook.com/watch/?v={p.video_id}"
    target = add_target(event.id, "facebook_live", p.live_video_id,
                        account_id=accounts["facebook"].id, url=rebuilt)  # fmt: skip
    db.session.commit()
    t = sandbox.scenario.live_start + 120
    sandbox.clock.set(t)
    at = sandbox.scenario.datetime_at(t)
    runner.run_targets([target.id], clock=lambda: at, publish=lambda *a: None)
    db.session.expire_all()
    target = db.session.get(Target, target.id)
    assert target.status == "live"
    assert (target.title, target.url) == (p.title, permalink(sandbox))
