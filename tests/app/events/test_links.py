"""Tracking by pasted links on the event pages, against the sandbox over loopback HTTP.

The officer pastes links on the event page (or on the event form), sees what each platform says
(title, state, start in dd/mm/yyyy and Vietnamese words), and only then confirms; a link that
cannot be tracked says in Vietnamese what to paste instead; nothing is written before the
confirmation, and a confirmation naming somebody else's account writes nothing at all.
"""

from __future__ import annotations

import base64
import re
import zlib
from html.parser import HTMLParser

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Channel, Target
from app.timeparse import VN
from sandbox import Sandbox
from tests.app.collection.pasted import connect_all, links
from tests.app.realtime.conftest import applied, join, live, received  # noqa: F401 - live
from tests.conftest import OTHER, Factory, csrf_token

ENGLISH = ("Track by link", "What the platforms say", "Live now", "Not started yet", "Paste ")


class Forms(HTMLParser):
    """The fields of each form of a page, as a browser would submit them untouched."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({})
        elif tag == "input" and self.forms and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.forms[-1][a["name"]] = a.get("value", "")
        elif tag == "select" and self.forms:
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None

    def step(self, step: str) -> dict[str, str]:
        return next(f for f in self.forms if f.get("step") == step)


def check(client: FlaskClient, event_id: int, *lines: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/events/{event_id}")
    return client.post(
        f"/events/{event_id}/links",
        data={"csrf_token": token, "step": "check", "links": "\n".join(lines)},
    )


def test_pasted_links_are_described_then_tracked_once_confirmed(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    event = make.event(channel=Channel.SMALL_GROUP)  # a channel that may stream and meet
    known = links(sandbox)
    pasted = [known[name][0] for name in ("facebook", "youtube", "zoom_id", "teams", "meet", "bbb")]
    page = check(client, event.id, *pasted, "https://fb.watch/qR7xYz1AbC/",
                 "https://facebook.com.evil.example/bhxh/videos/1")  # fmt: skip
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    p, c = sandbox.scenario.params, sandbox.conferences.conference.params
    for title in (p.title, c.title, c.meet_code):
        assert title in html
    # Nothing has started at the sandbox's t = 0 (Teams, which has no live state, is judged by
    # the scheduled start against the app's own clock).
    assert html.count("Chưa bắt đầu") >= 5
    assert "Video trực tiếp Facebook" in html
    assert "Cuộc họp Teams" in html
    start = sandbox.scenario.datetime_at(sandbox.scenario.live_start).astimezone(VN)
    assert start.strftime("%d/%m/%Y %H:%M") in html  # the live's start, in Hà Nội time
    assert "Máy chủ chỉ tạo cuộc họp khi cuộc họp bắt đầu" in html  # BBB before it starts
    assert "Liên kết rút gọn của Facebook (fb.watch)" in html
    assert "Lan Tỏa không thu thập từ facebook.com.evil.example" in html
    assert not any(word in html for word in ENGLISH)
    assert html.count('id="links"') == 1  # the paste box's label finds the box, not a copy
    assert db.session.scalars(sa.select(Target)).all() == []  # nothing before the confirmation

    confirm = Forms(html).step("track")
    done = client.post(f"/events/{event.id}/links", data=confirm)
    assert done.status_code == 302
    assert done.location.endswith(f"/events/{event.id}")
    tracked = {(t.kind, t.external_id) for t in db.session.scalars(sa.select(Target))}
    wanted = ("facebook", "youtube", "zoom_id", "teams", "meet", "bbb")
    assert tracked == {known[name][1:] for name in wanted}
    shown = client.get(done.location).get_data(as_text=True)
    assert "Đã bắt đầu theo dõi 6 mục." in shown
    assert "Cuộc họp Google Meet" in shown
    assert "meet_conference" not in shown  # the kinds are shown in words


def test_a_live_another_event_tracks_is_named_on_the_check_page(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    first = make.event(title="Livestream hỏi đáp tháng 12")
    url = links(sandbox)["facebook"][0]
    client.post(f"/events/{first.id}/links", data=Forms(
        check(client, first.id, url).get_data(as_text=True)).step("track"))  # fmt: skip
    second = make.event(title="Livestream thử")
    html = check(client, second.id, url).get_data(as_text=True)
    assert "Mục này đã được theo dõi trong sự kiện “Livestream hỏi đáp tháng 12”" in html
    assert '<tr class="ready">' not in html  # nothing left to confirm
    assert [t.event_id for t in db.session.scalars(sa.select(Target))] == [first.id]


def test_an_unticked_line_is_left_out(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    event = make.event(channel=Channel.SMALL_GROUP)
    known = links(sandbox)
    html = check(client, event.id, known["youtube"][0], known["zoom"][0]).get_data(as_text=True)
    confirm = Forms(html).step("track")
    del confirm["items-1-track"]
    client.post(f"/events/{event.id}/links", data=confirm)
    assert [t.kind for t in db.session.scalars(sa.select(Target))] == ["youtube_live"]


def _cookie_text(cookie: str) -> str:
    """What anyone holding the cookie can read: Flask's signed payload, base64 (maybe zlib)."""
    body = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return (zlib.decompress(raw) if cookie.startswith(".") else raw).decode()


def test_links_typed_on_the_event_form_are_checked_next(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    token = csrf_token(client, "/events/new")
    url = links(sandbox)["facebook_watch"][0]
    saved = client.post("/events/new", data={
        "csrf_token": token, "title": "Livestream tháng 12", "channel": "livestream",
        "status": "scheduled", "org_unit": "40", "campaign_id": "", "links": url,
    })  # fmt: skip
    assert saved.status_code == 302
    assert saved.location.endswith("/links")
    # The link (a Zoom one may hold its passcode) crosses the redirect encrypted in the shared
    # store, not readable in the session cookie.
    cookie = client.get_cookie("session").value
    assert "facebook" not in _cookie_text(cookie)
    page = client.get(saved.location)
    html = page.get_data(as_text=True)
    assert sandbox.scenario.params.title in html
    client.post(saved.location, data=Forms(html).step("track"))
    [target] = db.session.scalars(sa.select(Target))
    assert (target.kind, target.external_id) == links(sandbox)["facebook_watch"][1:]
    assert client.get(saved.location).get_data(as_text=True).count("Chưa bắt đầu") == 0


def test_a_platform_with_several_accounts_asks_which(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    accounts = connect_all(make, sandbox)
    broken = make.account(name="Fanpage cũ", credentials={"access_token": "revoked",
                          "base_url": sandbox.facebook_url})  # fmt: skip
    event = make.event()
    html = check(client, event.id, links(sandbox)["facebook"][0]).get_data(as_text=True)
    assert re.search(r'<select [^>]*name="items-0-account_id"', html)
    confirm = Forms(html).step("track")
    assert confirm["items-0-account_id"] == str(accounts["facebook"].id)  # the one that answered
    assert "Fanpage cũ" in html
    confirm["items-0-account_id"] = str(broken.id)  # the officer may still choose
    client.post(f"/events/{event.id}/links", data=confirm)
    [target] = db.session.scalars(sa.select(Target))
    assert target.account_id == broken.id


def test_a_zoom_link_without_a_zoom_account_says_to_connect_one(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    make.account(name="Fanpage")
    event = make.event(channel=Channel.ONLINE_CONFERENCE)
    html = check(client, event.id, links(sandbox)["zoom"][0]).get_data(as_text=True)
    assert "Đơn vị của bạn chưa kết nối tài khoản Zoom nào." in html
    assert Forms(html).step("track")  # the form is there…
    assert "Bắt đầu theo dõi" not in html  # …with nothing to confirm


def test_a_confirmation_with_another_province_s_account_writes_nothing(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    theirs = make.account(OTHER, name="Fanpage Huế")
    event = make.event()
    known = links(sandbox)
    html = check(client, event.id, known["youtube"][0], known["facebook"][0]).get_data(as_text=True)
    confirm = Forms(html).step("track")
    confirm["items-1-account_id"] = str(theirs.id)
    done = client.post(f"/events/{event.id}/links", data=confirm, follow_redirects=True)
    assert f"không có tài khoản {theirs.id}" in done.get_data(as_text=True)
    assert db.session.scalars(sa.select(Target)).all() == []  # not even the YouTube one


def test_too_many_or_no_links_are_refused_on_the_field(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    event = make.event()
    many = check(client, event.id, *[f"https://youtu.be/bhxhTNLiv{n:02d}" for n in range(21)])
    assert many.status_code == 422
    assert "Mỗi lần dán tối đa 20 liên kết." in many.get_data(as_text=True)
    blank = check(client, event.id, "   ")
    assert blank.status_code == 422
    assert re.search(r'class="error" role="alert">[^<]+<', blank.get_data(as_text=True))


def test_viewers_see_no_paste_box(client: FlaskClient, logged_in, make: Factory) -> None:
    logged_in("viewer")
    event = make.event()
    assert "Theo dõi bằng liên kết" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert client.get(f"/events/{event.id}/links").status_code == 403


def test_a_youtube_link_with_a_malformed_id_names_the_id(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    """A watch?v= or youtu.be link does name a video, so the message says its id is not a
    YouTube id rather than that the link points at no video."""
    logged_in("officer")
    connect_all(make, sandbox)
    event = make.event()
    page = check(client, event.id, "https://www.youtube.com/watch?v=demo1764990000",
                 "https://youtu.be/abc")  # fmt: skip
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Mã video “demo1764990000” trong liên kết này không phải mã của YouTube" in html
    assert "Mã video “abc”" in html
    assert "không chỉ đến video nào" not in html
    assert not any(word in html for word in ENGLISH)


def test_a_facebook_share_link_is_not_called_a_short_link(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    """www.facebook.com/share/v/… is a full address that does not name the video: the message
    says so and tells the officer to open it and copy the live's address."""
    logged_in("officer")
    connect_all(make, sandbox)
    event = make.event()
    page = check(client, event.id, "https://www.facebook.com/share/v/1AbCdEfGh/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đây là liên kết chia sẻ của Facebook (facebook.com/share/…)" in html
    assert "sao chép địa chỉ của video trực tiếp" in html
    assert "rút gọn" not in html
    assert not any(word in html for word in ENGLISH)


def test_meeting_links_on_a_livestream_are_refused_naming_the_channel(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    """The tour's case: a Meet link and a BigBlueButton id pasted on a livestream were offered
    ticked and tracked, and the event then showed "Google Meet 0 · BigBlueButton 0"."""
    logged_in("officer")
    connect_all(make, sandbox)
    event = make.event()  # a livestream
    known = links(sandbox)
    html = check(client, event.id, known["meet"][0], known["bbb"][0], known["youtube"][0])
    html = html.get_data(as_text=True)
    for kind in ("Cuộc họp Google Meet", "Cuộc họp BigBlueButton"):
        assert (f"{kind} không theo dõi được trong sự kiện thuộc kênh Livestream") in html
    confirm = Forms(html).step("track")
    assert [k for k in confirm if k.endswith("-track")] == ["items-0-track"]  # the live only
    client.post(f"/events/{event.id}/links", data=confirm)
    assert [t.kind for t in db.session.scalars(sa.select(Target))] == ["youtube_live"]


def test_a_live_on_an_online_conference_is_refused(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    event = make.event(channel=Channel.ONLINE_CONFERENCE)
    html = check(client, event.id, links(sandbox)["facebook"][0]).get_data(as_text=True)
    words = "Video trực tiếp Facebook không theo dõi được trong sự kiện thuộc kênh Hội nghị trực"
    assert words in html
    assert "Bắt đầu theo dõi" not in html


def test_a_meeting_tracked_by_link_turns_the_open_live_pages_to_it(
    client: FlaskClient,
    logged_in,
    make: Factory,
    sandbox: Sandbox,
    live,  # noqa: F811
) -> None:
    """An online conference followed by check-in alone, its live page open: once its Zoom
    meeting is tracked, a delta says its halls connect to a meeting (the board turns to it at
    once, not at the meeting's first read, which may fail)."""
    logged_in("officer")
    connect_all(make, sandbox)
    event = make.event(channel=Channel.ONLINE_CONFERENCE, title="Hội nghị trực tuyến BHYT")
    sio = live()
    assert join(sio, event.id)["ok"] is True
    (snapshot,) = received(sio, "snapshot")
    assert snapshot["summary"]["meeting"] is False
    html = check(client, event.id, links(sandbox)["zoom_id"][0]).get_data(as_text=True)
    done = client.post(f"/events/{event.id}/links", data=Forms(html).step("track"))
    assert done.status_code == 302
    deltas = received(sio, "delta")
    assert [d["reason"] for d in deltas] == ["targets"]
    assert applied(snapshot["summary"], *deltas)["meeting"] is True
