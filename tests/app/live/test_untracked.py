"""The live page of a livestream or post with nothing tracked yet, bookmarked or typed: a clear
sentence and the way back to the event page, where its links are tracked, instead of counters at
nought; in projector mode too. Once a target follows it, the page is the live page again."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from app.models import Channel
from tests.conftest import Factory

SENTENCE = "Sự kiện này chưa được theo dõi"


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("wall", ["", "?wall=1"])
@pytest.mark.parametrize(
    ("channel", "kind"), [(Channel.LIVESTREAM, "facebook_live"), (Channel.POST, "facebook_post")]
)
def test_nothing_tracked_says_so_and_leads_to_the_event_page(
    client: FlaskClient, logged_in, make: Factory, wall: str, channel: Channel, kind: str
) -> None:
    logged_in("viewer")
    event = make.event(title="Livestream chưa theo dõi", channel=channel)
    response = client.get(f"/events/{event.id}/live{wall}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _visible(html)
    assert SENTENCE in text
    assert "Về trang sự kiện để bắt đầu theo dõi" in text
    assert f'href="/events/{event.id}"' in html
    assert 'class="counter"' not in html  # no counters at nought
    assert 'id="live-config"' not in html
    assert "Chưa theo dõi · Livestream chưa theo dõi · Lan Tỏa" in html

    make.target(event, make.account(), kind=kind, external_id="v1")
    html = client.get(f"/events/{event.id}/live{wall}").get_data(as_text=True)
    assert SENTENCE not in _visible(html)
    assert 'class="counter"' in html
    assert 'id="live-config"' in html
