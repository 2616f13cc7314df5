"""An officer on a page of a lead world's event (``lead_world``) in headless Chromium, and the
call records stored: the set-up the call-queue browser tests share (the follow-up list, the live
page's cards), offline or not."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import select

from app.extensions import db
from app.models import LeadCall, User
from tests.app.followup.lead_world import LeadWorld, lead_world
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

PHONE = {"width": 390, "height": 844}


class OfficerPage(NamedTuple):
    """An officer logged in, in a browser context of its own, on one of the event's pages."""

    world: LeadWorld
    officer: User
    context: Any
    page: Any
    errors: list[str]  # what the scripts of its watched pages threw


def watched(page, errors: list[str]):  # type: ignore[no-untyped-def]
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def another_tab(context, url: str, errors: list[str]):  # type: ignore[no-untyped-def]
    """``url`` opened in a new tab of the same browser (its queue, its log-in), watched."""
    page = watched(context.new_page(), errors)
    page.goto(url)
    return page


def officer_on(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, where: str = "follow-up",
    viewport: dict[str, int] = PHONE,
) -> OfficerPage:  # fmt: skip
    """A lead world and an officer of its province logged in on its event's ``where`` page,
    ``(world, officer, context, page, errors)``."""
    world = lead_world(make)
    officer = make.user("officer", HOME)
    context = browser.new_context(viewport=viewport)
    errors: list[str] = []
    page = watched(context.new_page(), errors)
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{world.event_id}/{where}")
    return OfficerPage(world, officer, context, page, errors)


def stored_calls() -> list[LeadCall]:
    db.session.expire_all()
    return list(db.session.scalars(select(LeadCall).order_by(LeadCall.id)))
