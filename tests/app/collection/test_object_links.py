"""Where an officer opens a tracked object that was not pasted (added by id, from the API or the
form): the address each platform's answers give, kept by the first collection and linked from
/collection and the event page. YouTube gives none: a video's address is built from its id.
Zoom's ``join_url`` is kept without its passcode; Teams' ``joinWebUrl`` as Graph gives it;
BigBlueButton gives none (a meeting opens only through a signed join link): no link at all.
Against the sandbox over loopback HTTP, collected by the runner as in production.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.collection import runner
from app.collection.targets import add_target
from app.extensions import db
from app.models import Channel, Target
from sandbox import Sandbox
from tests.app.collection import pasted
from tests.app.collection.pasted import connect_all
from tests.conftest import Factory

pytestmark = pytest.mark.postgres
served, sandbox = pasted.served, pasted.sandbox

TITLE = re.compile(r'<(a|span) class="object-title"([^>]*)>(.*?)</\1>', flags=re.S)
ITEMS = {  # each object's place on the page, its platform id in the technical fold within it
    "collection": re.compile(r'<td class="card-title">(.*?)</td>', flags=re.S),
    "event": re.compile(r'<li class="target">(.*?)</li>', flags=re.S),
}


def shown(page: str, where: str) -> dict[str, tuple[str, str | None]]:
    """By platform id: each object's name as written on ``page`` and the address its title
    opens (None: none). Its title is an anchor only where there is an address."""
    found = {}
    for item in ITEMS[where].findall(page):
        titles = TITLE.findall(item)
        if not titles:  # another table's first cell (an account)
            continue
        ident = re.search(r"Mã trên nền tảng: ([^<·]+)", htmllib.unescape(item))
        ((tag, attributes, name),) = titles
        href = re.search(r'href="([^"]*)"', attributes)
        assert (tag == "a") == (href is not None), item  # no anchor without an address
        assert ident is not None, item
        link = htmllib.unescape(href.group(1)) if href else None
        found[ident.group(1).strip()] = (htmllib.unescape(name), link)
    return found


def test_objects_added_by_id_link_to_where_the_platform_says_they_open(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    accounts = connect_all(make, sandbox)
    p, c = sandbox.scenario.params, sandbox.conferences.conference.params
    live = make.event(channel=Channel.LIVESTREAM, title="Tư vấn BHXH trên YouTube")
    meeting = make.event(channel=Channel.ONLINE_CONFERENCE, title="Hội nghị trực tuyến")
    ids = {
        "youtube_live": (live.id, p.youtube_video_id),
        "zoom_meeting": (meeting.id, c.zoom_meeting_id),
        "teams_meeting": (meeting.id, c.teams_meeting_id),
        "bbb_meeting": (meeting.id, c.bbb_meeting_id),
    }
    platform = {"youtube_live": "youtube", "zoom_meeting": "zoom", "teams_meeting": "teams",
                "bbb_meeting": "bbb"}  # fmt: skip
    targets = [
        add_target(event_id, kind, external_id, account_id=accounts[platform[kind]].id)
        for kind, (event_id, external_id) in ids.items()
    ]
    db.session.commit()
    assert all(t.url is None for t in targets)  # added by id: nothing pasted to rebuild
    t = max(sandbox.scenario.live_start, c.start_offset) + 120  # both running
    sandbox.clock.set(t)
    at = sandbox.scenario.datetime_at(t)
    runner.run_targets([t.id for t in targets], clock=lambda: at, publish=lambda *a: None)
    db.session.expire_all()
    stored = {t.kind: (t.title, t.url) for t in db.session.scalars(sa.select(Target))}
    youtube = f"https://www.youtube.com/watch?v={p.youtube_video_id}"
    zoom = f"https://us02web.zoom.us/j/{c.zoom_meeting_id}"  # Zoom's join_url, no ?pwd=
    teams = sandbox.conferences.teams.join_web_url
    assert {k: url for k, (_title, url) in stored.items()} == {
        "youtube_live": youtube,
        "zoom_meeting": zoom,
        "teams_meeting": teams,
        "bbb_meeting": None,
    }
    assert all(title for title, _url in stored.values()), stored  # each platform named it

    logged_in("officer")
    collection = client.get("/collection").get_data(as_text=True)
    events = "".join(client.get(f"/events/{e.id}").get_data(as_text=True) for e in (live, meeting))
    for page, where in ((collection, "collection"), (events, "event")):
        links = shown(page, where)
        assert links == {
            external_id: (stored[kind][0], stored[kind][1])
            for kind, (_e, external_id) in ids.items()
        }
        assert links[c.bbb_meeting_id][1] is None  # named, never linked
        assert "pwd=" not in page
        assert "QmhYaE" not in page
