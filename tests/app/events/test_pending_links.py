"""Links typed on a new event's form wait for the officer's confirmation, and the pages say so.

A tour saved an event with a link, read "Đã lưu sự kiện." and thought it tracked: nothing is
until "Bắt đầu theo dõi" is pressed on the confirmation, and the confirmation was gone once left.
Now the confirmation says tracking waits (once), the event page lists the links not tracked yet
with the way back to the confirmation, which opens again, until they are tracked or cancelled.
"""

from __future__ import annotations

import html as html_lib

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Event, Target
from sandbox import Sandbox
from tests.app.collection.pasted import connect_all, links
from tests.app.events.test_new_event_links import _new
from tests.conftest import Factory, csrf_token

WAITS = "Các đường dẫn chưa được theo dõi"


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html_lib.unescape(response.get_data(as_text=True))


def test_typed_links_stay_pending_until_tracked(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    token = csrf_token(client, "/events/new")
    given = links(sandbox)["facebook"]
    saved = _new(client, token, given[0])
    confirmation = _text(client.get(saved.location))
    assert "Đã lưu sự kiện." in confirmation
    # Tracking waits for the confirmation, said once: the page's own note, no second notice.
    assert confirmation.count("Bắt đầu theo dõi”") == 1
    assert confirmation.count('class="flash warning') == 1
    assert 'id="not-tracked-yet"' in confirmation
    event = db.session.scalars(sa.select(Event)).one()
    assert db.session.scalar(sa.select(sa.func.count(Target.id))) == 0

    page = _text(client.get(f"/events/{event.id}"))  # left without confirming
    pending = page.split('id="pending-links"')[1].split("</section>")[0]
    assert "Đường dẫn chưa được theo dõi" in pending
    assert given[0][:60] in pending
    assert f'href="/events/{event.id}/links"' in pending
    again = _text(client.get(f"/events/{event.id}/links"))  # the confirmation opens again
    assert again.count('class="ready"') == 1
    assert "Bắt đầu theo dõi" in again

    account = again.split('name="items-0-account_id"')[1].split('value="')[1].split('"')[0]
    data = {"csrf_token": token, "step": "track", "links": given[0], "items-0-track": "y",
            "items-0-kind": given[1], "items-0-external_id": given[2],
            "items-0-account_id": account}  # fmt: skip
    tracked = client.post(f"/events/{event.id}/links", data=data)
    assert tracked.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Target.id))) == 1
    assert 'id="pending-links"' not in _text(client.get(f"/events/{event.id}"))
    assert 'class="ready"' not in _text(client.get(f"/events/{event.id}/links"))


def test_a_new_event_without_links_says_nothing_of_links(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    token = csrf_token(client, "/events/new")
    page = _text(client.get(_new(client, token, "").location))
    assert "Đã lưu sự kiện." in page
    assert WAITS not in page
    assert 'id="pending-links"' not in page


def test_cancel_on_the_confirmation_drops_the_typed_links(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    token = csrf_token(client, "/events/new")
    saved = _new(client, token, links(sandbox)["facebook"][0])
    confirmation = _text(client.get(saved.location))
    assert 'form="cancel-links"' in confirmation
    event = db.session.scalars(sa.select(Event)).one()

    cancelled = client.post(saved.location, data={"csrf_token": token, "step": "cancel"})
    assert cancelled.status_code == 302
    assert cancelled.location == f"/events/{event.id}"
    page = _text(client.get(cancelled.location))
    assert "Các đường dẫn không được theo dõi và đã được bỏ." in page
    assert 'id="pending-links"' not in page
    assert 'class="ready"' not in _text(client.get(saved.location))  # nothing to confirm again
    assert db.session.scalar(sa.select(sa.func.count(Target.id))) == 0
