"""The links typed for an event wait with the event, for every officer who sees it.

They were kept an hour in the typing officer's session: another officer of the office did not see
them, and after an hour or a log-out the typed work was lost. Now they wait in the database until
an officer tracks them ("Bắt đầu theo dõi") or drops them ("Hủy" on their confirmation, "Xóa"
beside one line, audited), each with who typed it and when (Vietnam time, dd/mm/yyyy HH:MM).
Cancelling or tracking other links pasted meanwhile leaves them waiting.
"""

from __future__ import annotations

import html as html_lib
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import AuditLog, Event, PendingLink, Target, User
from sandbox import Sandbox
from tests.app.collection.pasted import connect_all, links
from tests.app.events.test_new_event_links import _new
from tests.conftest import Factory, csrf_token, login

TYPED_AT = datetime(2026, 12, 7, 1, 5, tzinfo=UTC)  # 08:05 in Vietnam


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html_lib.unescape(response.get_data(as_text=True))


def _pending_section(client: FlaskClient, event_id: int) -> str:
    page = _text(client.get(f"/events/{event_id}"))
    if 'id="pending-links"' not in page:
        return ""
    return page.split('id="pending-links"')[1].split("</section>")[0]


def _officer(app: Flask, make: Factory, name: str, role: str = "officer") -> FlaskClient:
    """A browser of its own, logged in as a new user of the province."""
    user = make.user(role)
    user.display_name = name
    db.session.commit()
    browser = app.test_client()
    login(browser, user.email)
    return browser


def _typed(client: FlaskClient, make: Factory, sandbox: Sandbox, *names: str) -> Event:
    """A new livestream event saved by ``client`` with the sandbox's links ``names`` typed on
    its form, left without confirming them."""
    connect_all(make, sandbox)
    token = csrf_token(client, "/events/new")
    saved = _new(client, token, "\n".join(links(sandbox)[n][0] for n in names))
    assert saved.location.endswith("/links")
    return db.session.scalars(sa.select(Event)).one()


def _waiting() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(PendingLink.line).order_by(PendingLink.id)))


def test_another_officer_sees_the_typed_links_and_tracks_them(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    lan = _officer(app, make, "Nguyễn Thị Lan")
    email = db.session.scalars(sa.select(User.email).where(User.display_name != "")).one()
    event = _typed(lan, make, sandbox, "facebook")
    given = links(sandbox)["facebook"]
    lan.post("/logout", data={"csrf_token": csrf_token(lan, f"/events/{event.id}")})
    db.session.execute(sa.update(PendingLink).values(created_at=TYPED_AT))
    db.session.commit()

    hung = _officer(app, make, "Trần Văn Hùng")
    pending = _pending_section(hung, event.id)
    assert given[0][:60] in pending
    assert "Do Nguyễn Thị Lan nhập lúc 07/12/2026 08:05" in pending
    assert 'name="step" value="drop"' in pending
    assert f'href="/events/{event.id}/links"' in pending
    assert f"/events/{event.id}/live" not in _text(hung.get(f"/events/{event.id}"))

    token = csrf_token(hung, f"/events/{event.id}")
    confirmation = _text(hung.get(f"/events/{event.id}/links"))
    assert confirmation.count('class="ready"') == 1
    account = confirmation.split('name="items-0-account_id"')[1].split('value="')[1].split('"')[0]
    data = {"csrf_token": token, "step": "track", "links": given[0], "items-0-track": "y",
            "items-0-kind": given[1], "items-0-external_id": given[2],
            "items-0-account_id": account}  # fmt: skip
    assert hung.post(f"/events/{event.id}/links", data=data).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Target.id))) == 1
    assert _waiting() == []
    login(lan, email)  # back after her log-out
    assert _pending_section(lan, event.id) == ""  # tracked: waiting for nobody


def test_a_reading_an_hour_old_is_asked_again(app: Flask, make: Factory, sandbox: Sandbox) -> None:
    lan = _officer(app, make, "Lan")
    event = _typed(lan, make, sandbox, "facebook")
    read = sandbox.calls_count("facebook")
    assert _text(lan.get(f"/events/{event.id}/links")).count('class="ready"') == 1
    assert sandbox.calls_count("facebook") == read  # fresh: shown as the platform said it
    typed = db.session.scalars(sa.select(PendingLink)).one()
    typed.created_at -= timedelta(hours=2)
    db.session.commit()
    assert _text(lan.get(f"/events/{event.id}/links")).count('class="ready"') == 1
    assert sandbox.calls_count("facebook") > read  # a status two hours old would mislead


def test_a_viewer_sees_the_waiting_links_and_cannot_drop_them(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    lan = _officer(app, make, "Lan")
    event = _typed(lan, make, sandbox, "facebook")
    viewer = _officer(app, make, "Minh", role="viewer")
    pending = _pending_section(viewer, event.id)
    assert links(sandbox)["facebook"][0][:60] in pending
    assert "sau khi một cán bộ xác nhận" in pending
    assert 'value="drop"' not in pending
    assert "/links" not in pending
    number = db.session.scalars(sa.select(PendingLink.id)).one()
    token = csrf_token(viewer, f"/events/{event.id}")
    drop = {"csrf_token": token, "step": "drop", "pending": number}
    refused = viewer.post(f"/events/{event.id}/links", data=drop)
    assert refused.status_code == 403
    assert len(_waiting()) == 1


def test_one_waiting_link_is_removed_and_audited(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    lan = _officer(app, make, "Lan")
    event = _typed(lan, make, sandbox, "facebook", "youtube")
    typist = db.session.scalars(sa.select(PendingLink.created_by_id)).first()
    facebook, youtube = (links(sandbox)[n][0] for n in ("facebook", "youtube"))
    assert _waiting() == [facebook, youtube]
    hung = _officer(app, make, "Hùng")
    first = db.session.scalars(sa.select(PendingLink.id).order_by(PendingLink.id)).first()
    token = csrf_token(hung, f"/events/{event.id}")
    drop = {"csrf_token": token, "step": "drop", "pending": first}
    dropped = hung.post(f"/events/{event.id}/links", data=drop, follow_redirects=True)
    assert "Đã xóa đường dẫn: đường dẫn này sẽ không được theo dõi." in _text(dropped)
    assert _waiting() == [youtube]
    pending = _pending_section(hung, event.id)
    assert youtube[:60] in pending
    assert facebook[:60] not in pending
    entry = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "event.links_drop")
    ).one()  # fmt: skip
    assert entry.object_id == str(event.id)
    assert entry.user_id != typist  # who dropped it, beside who typed it
    assert entry.detail == {"links": 1, "typed_by": [typist]}
    assert facebook not in str(entry.detail)  # a pasted link may carry its passcode

    again = hung.post(f"/events/{event.id}/links", data=drop, follow_redirects=True)
    assert "không còn chờ nữa" in _text(again)
    assert _waiting() == [youtube]
    assert db.session.scalar(sa.select(sa.func.count(Target.id))) == 0


def test_other_links_cancelled_or_tracked_leave_the_waiting_ones(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    lan = _officer(app, make, "Lan")
    event = _typed(lan, make, sandbox, "facebook")
    facebook = links(sandbox)["facebook"][0]
    youtube, kind, external_id = links(sandbox)["youtube"]
    hung = _officer(app, make, "Hùng")
    url = f"/events/{event.id}/links"
    token = csrf_token(hung, f"/events/{event.id}")

    shown = _text(hung.post(url, data={"csrf_token": token, "links": youtube}))
    assert shown.count('class="ready"') == 1
    assert facebook not in shown  # his own paste, not the waiting link
    cancel = shown.split('id="cancel-links"')[1].split("</form>")[0]
    assert f'name="links" value="{youtube}"' in cancel
    hung.post(url, data={"csrf_token": token, "step": "cancel", "links": youtube})
    assert _waiting() == [facebook]

    shown = _text(hung.post(url, data={"csrf_token": token, "links": youtube}))
    account = shown.split('name="items-0-account_id"')[1].split('value="')[1].split('"')[0]
    data = {"csrf_token": token, "step": "track", "links": youtube, "items-0-track": "y",
            "items-0-kind": kind, "items-0-external_id": external_id,
            "items-0-account_id": account}  # fmt: skip
    assert hung.post(url, data=data).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Target.id))) == 1
    assert _waiting() == [facebook]
    assert facebook[:60] in _pending_section(lan, event.id)


def test_links_typed_again_on_the_edit_form_wait_once(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    lan = _officer(app, make, "Lan")
    event = _typed(lan, make, sandbox, "facebook")
    facebook, youtube = (links(sandbox)[n][0] for n in ("facebook", "youtube"))
    token = csrf_token(lan, f"/events/{event.id}/edit")
    data = {"csrf_token": token, "title": event.title, "channel": "livestream",
            "status": "scheduled", "org_unit": "40", "campaign_id": "", "description": "",
            "links": f"{facebook}\n{youtube}"}  # fmt: skip
    assert lan.post(f"/events/{event.id}/edit", data=data).location.endswith("/links")
    assert _waiting() == [facebook, youtube]
    both = _text(lan.get(f"/events/{event.id}/links"))
    assert both.count('class="ready"') == 2  # the two read now: one was never asked


def test_only_the_lines_read_an_hour_ago_are_asked_again(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    """A line's reading is its own: an old one asks its platform again, a fresh one does not."""
    lan = _officer(app, make, "Lan")
    event = _typed(lan, make, sandbox, "facebook", "youtube")
    facebook, youtube = (links(sandbox)[n][0] for n in ("facebook", "youtube"))
    old = db.session.scalars(sa.select(PendingLink).where(PendingLink.id == sa.select(
        sa.func.min(PendingLink.id)).scalar_subquery())).one()  # fmt: skip
    assert old.line == facebook
    old.created_at -= timedelta(hours=2)
    db.session.commit()
    asked = {p: sandbox.calls_count(p) for p in ("facebook", "youtube")}

    page = _text(lan.get(f"/events/{event.id}/links"))
    assert page.count('class="ready"') == 2
    assert page.index(facebook) < page.index(youtube)  # the lines in the order typed
    assert sandbox.calls_count("facebook") > asked["facebook"]  # two hours old: asked again
    assert sandbox.calls_count("youtube") == asked["youtube"]  # read minutes ago: kept


def test_links_typed_on_the_edit_form_are_read_the_kept_one_is_not(
    app: Flask, make: Factory, sandbox: Sandbox
) -> None:
    lan = _officer(app, make, "Lan")
    event = _typed(lan, make, sandbox, "facebook")
    facebook, youtube = (links(sandbox)[n][0] for n in ("facebook", "youtube"))
    token = csrf_token(lan, f"/events/{event.id}/edit")
    data = {"csrf_token": token, "title": event.title, "channel": "livestream",
            "status": "scheduled", "org_unit": "40", "campaign_id": "", "description": "",
            "links": f"{facebook}\n{youtube}"}  # fmt: skip
    assert lan.post(f"/events/{event.id}/edit", data=data).location.endswith("/links")
    asked = {p: sandbox.calls_count(p) for p in ("facebook", "youtube")}
    assert _text(lan.get(f"/events/{event.id}/links")).count('class="ready"') == 2
    assert sandbox.calls_count("youtube") > asked["youtube"]  # never read: read now
    assert sandbox.calls_count("facebook") == asked["facebook"]  # read when the event was saved
