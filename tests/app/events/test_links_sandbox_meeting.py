"""`make run`'s newcomer making an online conference: the links box names a meeting of the
sandbox no event tracks yet. The demo's conference tracks the sandbox meeting on Zoom, so the Zoom
link pasted from the sandbox page was refused ("đã được theo dõi trong sự kiện …") and the box
offered nothing else; the same meeting plays on Google Meet, BigBlueButton and Teams."""

from __future__ import annotations

import html as htmllib
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.models import Channel
from sandbox import Sandbox
from tests.app.collection import pasted
from tests.app.collection.pasted import connect_all
from tests.app.events.test_links import check
from tests.conftest import Factory

served_scheduled, scheduled = pasted.served_scheduled, pasted.scheduled
TIP = "Thử với cuộc họp của môi trường chạy thử: "


@pytest.fixture
def running(app: Flask, scheduled: Sandbox) -> Iterator[Sandbox]:
    """The sandbox as `make run` registers it with the serving app (``LANTOA_SANDBOX``)."""
    app.extensions["lantoa_sandbox"] = scheduled
    yield scheduled
    app.extensions.pop("lantoa_sandbox", None)


def box(client: FlaskClient, event_id: int) -> str:
    return htmllib.unescape(client.get(f"/events/{event_id}").get_data(as_text=True))


def test_the_box_names_a_meeting_no_event_tracks_and_it_is_not_refused(
    client: FlaskClient, logged_in, make: Factory, running: Sandbox
) -> None:
    logged_in("officer")
    accounts = connect_all(make, running)
    params = running.conferences.conference.params
    zoom = f"https://us02web.zoom.us/j/{params.zoom_meeting_id}"
    conference = make.event(channel=Channel.ONLINE_CONFERENCE)
    assert f"{TIP}Zoom: {zoom}" in box(client, conference.id)

    # As under make run: the demo's conference tracks the sandbox meeting on Zoom.
    demo = make.event(channel=Channel.ONLINE_CONFERENCE, title="Hội nghị (chạy thử)")
    make.target(demo, accounts["zoom"], kind="zoom_meeting", external_id=params.zoom_meeting_id)
    meet = f"https://meet.google.com/{params.meet_code}"
    page = box(client, conference.id)
    assert f"{TIP}Google Meet: {meet}" in page
    assert f"{TIP}Zoom" not in page
    checked = check(client, conference.id, meet).get_data(as_text=True)
    assert "đã được theo dõi" not in htmllib.unescape(checked)
    assert "Bắt đầu theo dõi" in htmllib.unescape(checked)


def test_a_livestream_is_offered_no_meeting(
    client: FlaskClient, logged_in, make: Factory, running: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, running)
    event = make.event(channel=Channel.LIVESTREAM)
    assert TIP not in box(client, event.id)


def test_without_a_running_sandbox_the_box_names_no_meeting(
    client: FlaskClient, logged_in, make: Factory, scheduled: Sandbox
) -> None:
    logged_in("officer")
    connect_all(make, scheduled)
    event = make.event(channel=Channel.ONLINE_CONFERENCE)
    assert TIP not in box(client, event.id)
