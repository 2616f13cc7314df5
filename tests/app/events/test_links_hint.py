"""The links box asks for what the event's channel can track: no meetings on a livestream or a
post, no live videos on an online conference (``app.collection.fit.misfit`` refuses them)."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from flask.testing import FlaskClient

from app.models import Channel, Platform
from tests.conftest import HOME, Factory

MEETINGS = ("Zoom", "Teams", "Google Meet", "BigBlueButton", "ID cuộc họp")
EXPECTED = {
    Channel.LIVESTREAM: ("Liên kết video trực tiếp (Facebook, YouTube), mỗi dòng một liên kết.",
                         "https://www.facebook.com/…/videos/…"),
    Channel.POST: ("Liên kết video (Facebook, YouTube), mỗi dòng một liên kết.",
                   "https://www.facebook.com/…/videos/…"),
    Channel.ONLINE_CONFERENCE: ("Liên kết cuộc họp (Zoom, Teams, Google Meet, BigBlueButton) "
                                "hoặc ID cuộc họp, mỗi dòng một liên kết.", "https://zoom.us/j/…"),
}  # fmt: skip


def connected(make: Factory) -> None:
    """An account of every platform for the officers' province: the box then asks for links
    alone (without one it says whom to ask: tests/app/events/test_links_scheduled.py)."""
    for platform in Platform:
        make.account(HOME, name=f"Tài khoản {platform.value}", platform=platform)


def box(page: str) -> tuple[str, str]:
    """The links box's help and placeholder as the officer reads them."""
    area = re.search(r'<textarea[^>]*name="links"[^>]*>', page)
    assert area, "no links box"
    placeholder = re.search(r'placeholder="([^"]*)"', area.group(0))
    hint = re.search(r'name="links"[^>]*>.*?</textarea>\s*<small class="hint">([^<]*)<', page, re.S)
    assert placeholder
    assert hint
    return htmllib.unescape(hint.group(1)), htmllib.unescape(placeholder.group(1))


@pytest.mark.parametrize("channel", list(EXPECTED))
def test_the_box_follows_the_channel_on_the_event_and_links_pages(
    client: FlaskClient, logged_in, make: Factory, channel: Channel
) -> None:
    logged_in("officer")
    connected(make)
    event = make.event(channel=channel)
    for url in (f"/events/{event.id}", f"/events/{event.id}/links", f"/events/{event.id}/edit"):
        hint, placeholder = box(client.get(url).get_data(as_text=True))
        assert (hint, placeholder) == EXPECTED[channel], url
        if channel is not Channel.ONLINE_CONFERENCE:
            assert not any(word in hint + placeholder for word in MEETINGS), url
        else:
            assert "facebook" not in (hint + placeholder).lower(), url


def test_an_in_person_conference_takes_every_kind_of_link(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    connected(make)
    event = make.event(channel=Channel.CONFERENCE)
    hint, _ = box(client.get(f"/events/{event.id}/links").get_data(as_text=True))
    assert "Facebook" in hint
    assert "Zoom" in hint
