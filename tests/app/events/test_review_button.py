"""The button to the live page says what it opens: for an ended event, the live page shows its end,
its figures in the past and its charts over the whole event, so the button reads "Xem lại diễn
biến", not "Theo dõi trực tiếp" (events/1 of the demo, a livestream over, offered to follow live).
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient

from app.models import EventStatus, utcnow
from tests.conftest import Factory


def button(html: str, event_id: int) -> str:
    return re.search(rf'<a class="button primary" href="/events/{event_id}/live">([^<]*)</a>',
                     html)[1]  # fmt: skip


def test_an_ended_livestream_offers_to_review_it(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("viewer")
    start = utcnow() - timedelta(days=3)
    ended = make.event(title="Livestream tháng 11", channel="livestream",
                       status=EventStatus.ENDED, planned_start=start, actual_start=start,
                       actual_end=start + timedelta(hours=1))  # fmt: skip
    make.target(ended, make.account(), kind="facebook_live", external_id="111_222")
    live = make.event(title="Livestream hôm nay", channel="livestream", status=EventStatus.LIVE,
                      planned_start=utcnow() - timedelta(minutes=10),
                      actual_start=utcnow() - timedelta(minutes=10))  # fmt: skip
    make.target(live, make.account(), kind="facebook_live", external_id="333_444")
    html = client.get(f"/events/{ended.id}").get_data(as_text=True)
    assert button(html, ended.id) == "Xem lại diễn biến"
    assert "Theo dõi trực tiếp" not in html
    assert button(client.get(f"/events/{live.id}").get_data(as_text=True), live.id) == (
        "Theo dõi trực tiếp"
    )


def test_nothing_tracked_offers_no_live_page(client: FlaskClient, logged_in, make: Factory) -> None:
    """A livestream or a post with nothing tracked yet: the live page would show empty counters
    and an empty collection list, so the event page offers no button to it."""
    logged_in("viewer")
    for channel in ("livestream", "post"):
        event = make.event(title=f"Chưa theo dõi {channel}", channel=channel)
        html = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert f'href="/events/{event.id}/live"' not in html
        kind = "facebook_post" if channel == "post" else "facebook_live"
        make.target(event, make.account(name=f"Fanpage {channel}"), kind=kind, external_id=channel)
        html = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert f'href="/events/{event.id}/live"' in html
