"""A livestream that starts on a registered fanpage becomes an event by itself."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from app.collection.discovery import discover_account, due_accounts
from app.extensions import db
from app.models import Event, Target
from sandbox import Sandbox
from tests.conftest import HOME


def test_a_live_on_a_registered_page_becomes_an_event(app: Flask, make, sandbox: Sandbox) -> None:
    app.extensions.pop("lantoa_http", None)
    creds = sandbox.credentials()
    account = make.account(
        HOME,
        credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url},
        external_id=creds["facebook_page_id"],
    )
    now = sandbox.scenario.datetime_at(0)
    assert [a.id for a in due_accounts(now)] == [account.id]
    assert discover_account(account, now) == []  # not live yet (the page's past lives are VOD)
    assert due_accounts(now) == []  # asked again only after the discovery interval
    sandbox.advance(60)
    later = now + timedelta(seconds=60)
    (event,) = discover_account(account, later)
    assert event.title == sandbox.scenario.params.title
    assert (event.channel.value, event.status.value, event.origin) == (
        "livestream",
        "live",
        "discovered",
    )
    assert event.org_unit.code == HOME
    target = db.session.scalars(sa.select(Target).where(Target.event_id == event.id)).one()
    assert target.external_id == creds["facebook_live_video_id"]
    p = sandbox.scenario.params
    assert target.title == p.title  # what the event page lists it by, and its own page
    assert target.url == f"https://www.facebook.com/{p.page_id}/videos/{p.video_id}/"
    assert target.next_run_at == later
    # Asking again does not create it twice.
    assert discover_account(account, later + timedelta(seconds=60)) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1


def test_discovery_with_an_expired_token_marks_the_account(
    app: Flask, make, sandbox: Sandbox
) -> None:
    app.extensions.pop("lantoa_http", None)
    account = make.account(
        credentials={"access_token": "expired", "base_url": sandbox.facebook_url},
        external_id=sandbox.credentials()["facebook_page_id"],
    )
    assert discover_account(account, sandbox.scenario.datetime_at(0)) == []
    db.session.expire_all()
    assert account.health == "auth_expired"
    assert due_accounts(sandbox.scenario.datetime_at(3600)) == []
