"""A new event with links typed on its form, against the sandbox over loopback HTTP: a link that
cannot be tracked refuses the whole form (nothing written, everything typed kept, each wrong line
named in Vietnamese), so fixing the link and submitting again makes one event, not two.
"""

from __future__ import annotations

import html as html_lib

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Event, Target
from sandbox import Sandbox
from tests.app.collection.pasted import connect_all, links
from tests.conftest import Factory, csrf_token


def _new(client: FlaskClient, token: str, typed: str, **more: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": token, "title": "Thử 09:00", "channel": "livestream",
            "status": "scheduled", "org_unit": "40", "campaign_id": "",
            "description": "Hỏi đáp chính sách", "links": typed, **more}  # fmt: skip
    return client.post("/events/new", data=data)


def _events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event)) or 0


def test_a_wrong_link_refuses_the_new_event_and_names_its_line(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    token = csrf_token(client, "/events/new")
    good = links(sandbox)["facebook"][0]
    typed = "\n".join([
        good,
        "livestream hôm nay",
        "",
        "https://www.facebook.com/bhxhnghean",
        "https://www.facebook.com/trang.khac/videos/987654321098765/",
    ])  # fmt: skip
    refused = _new(client, token, typed)
    assert refused.status_code == 422
    assert _events() == 0
    assert db.session.scalar(sa.select(sa.func.count(Target.id))) == 0
    page = html_lib.unescape(refused.get_data(as_text=True))
    assert "Đã lưu sự kiện" not in page
    assert "Sự kiện chưa được lưu" in page
    assert "Dòng 2 (“livestream hôm nay”)" in page
    assert "Dòng 4 (“https://www.facebook.com/bhxhnghean”)" in page
    assert "Dòng 5 (“https://www.facebook.com/trang.khac/videos/987654321098765/”)" in page
    assert "Dòng 1 " not in page  # the good line is not named
    # Everything typed is kept.
    assert 'value="Thử 09:00"' in page
    assert "Hỏi đáp chính sách" in page
    assert "livestream hôm nay" in page.split('id="links"')[1].split("</textarea>")[0]

    fixed = _new(client, token, good)
    assert fixed.status_code == 302
    assert fixed.location.endswith("/links")
    assert _events() == 1


def test_a_wrong_link_and_a_wrong_field_are_refused_together(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, sandbox)
    token = csrf_token(client, "/events/new")
    refused = _new(client, token, "livestream hôm nay", org_unit="999999")
    assert refused.status_code == 422
    page = html_lib.unescape(refused.get_data(as_text=True))
    assert "Dòng 1 (“livestream hôm nay”)" in page
    assert "999999" in page.split('name="org_unit"')[1]  # its own error, in the same answer
    assert _events() == 0


def test_a_new_event_without_links_is_saved_as_before(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    logged_in("officer")
    token = csrf_token(client, "/events/new")
    saved = _new(client, token, "  \n")
    assert saved.status_code == 302
    assert not saved.location.endswith("/links")
    assert _events() == 1


def test_the_form_s_button_is_disabled_once_pressed(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    page = client.get("/events/new").get_data(as_text=True)
    assert "data-submit-once" in page
    assert "js/submit-once.js" in page


def test_each_typed_link_is_read_once_from_its_platform(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    """Checked before the event is saved, then shown for confirmation and tracked: the
    confirmation shows what the first read said instead of asking the platforms again."""
    logged_in("officer")
    connect_all(make, sandbox)
    token = csrf_token(client, "/events/new")
    given = links(sandbox)
    typed = "\n".join([given["facebook"][0], given["youtube"][0]])
    saved = _new(client, token, typed)
    assert saved.status_code == 302
    read = {p: sandbox.calls_count(p) for p in ("facebook", "youtube")}
    assert read["facebook"] >= 1  # the check asked each platform
    assert read["youtube"] >= 1
    page = client.get(saved.location)
    assert page.status_code == 200
    shown = html_lib.unescape(page.get_data(as_text=True))
    assert shown.count('class="ready"') == 2  # both confirmed, as the platforms said
    assert {p: sandbox.calls_count(p) for p in read} == read  # not asked again
    event = db.session.scalars(sa.select(Event)).one()
    data = {"csrf_token": token, "step": "track", "links": typed}
    for n, (_, kind, external_id) in enumerate([given["facebook"], given["youtube"]]):
        row = shown.split(f'name="items-{n}-account_id"')[1].split('value="')[1].split('"')[0]
        data |= {f"items-{n}-track": "y", f"items-{n}-kind": kind,
                 f"items-{n}-external_id": external_id, f"items-{n}-account_id": row}  # fmt: skip
    tracked = client.post(f"/events/{event.id}/links", data=data)
    assert tracked.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Target.id))) == 2
    assert {p: sandbox.calls_count(p) for p in read} == read


def test_links_typed_on_the_edit_form_are_read_on_the_next_page(
    client: FlaskClient, logged_in, make: Factory, sandbox: Sandbox
) -> None:
    """Not read before an edit is saved: the confirmation page asks the platform."""
    logged_in("officer")
    connect_all(make, sandbox)
    token = csrf_token(client, "/events/new")
    event_id = int(_new(client, token, "").location.rstrip("/").split("/")[-1])
    data = {"csrf_token": token, "title": "Thử 09:00", "channel": "livestream",
            "status": "scheduled", "org_unit": "40", "campaign_id": "",
            "links": links(sandbox)["facebook"][0]}  # fmt: skip
    saved = client.post(f"/events/{event_id}/edit", data=data)
    assert saved.status_code == 302
    assert saved.location.endswith("/links")
    assert sandbox.calls_count("facebook") == 0
    page = html_lib.unescape(client.get(saved.location).get_data(as_text=True))
    assert page.count('class="ready"') == 1
    assert sandbox.calls_count("facebook") >= 1
