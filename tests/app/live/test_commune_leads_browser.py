"""Assigning leads on the live page's comment cards, in headless Chromium, by the follow-up
list's rule (``app.followup.lead_assign``).

A commune's officer on their commune's livestream offers and saves only their commune's
officers, and reads on the card, in Vietnamese, why a user the page never offered (a tampered
option) is refused. The province's officer on the province's conference gets, on the card of a
commune's person, that commune's officers in a group of their own, and on the card of a commenter
of no known commune the province's officers alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Comment, LeadWork
from tests.app.events.provincial import communes
from tests.app.followup.part_world import part_world
from tests.app.live import redis_app
from tests.app.live.commune_live import COMMENTER, commune_live
from tests.app.live.pages import open_live_tab
from tests.app.live.test_lead_assignees import REFUSED
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # a separate web process reads the rows

app = redis_app.app  # the live page's socket is served by a separate web process


def _holder(person_id: int) -> int | None:
    db.session.expire_all()
    return db.session.scalar(select(LeadWork.assignee_id).where(LeadWork.person_id == person_id))


def _choices(card: Any) -> list[tuple[str, str]]:
    """The assignee menu as (group label, value) pairs; "" for options outside any group."""
    pairs = card.locator("select.lead-assignee option").evaluate_all(
        "os => os.map(o => [o.parentElement.tagName === 'OPTGROUP' ? o.parentElement.label : '',"
        " o.value])"
    )
    return [(group, value) for group, value in pairs]


def _tamper(card: Any, user_id: int) -> None:
    """Choose a user the menu does not offer, as a tampered page would."""
    card.locator("select.lead-assignee").evaluate(
        f"s => {{ s.add(new Option('x', '{user_id}')); s.value = '{user_id}';"
        " s.dispatchEvent(new Event('change')); }"
    )


def test_a_commune_officer_assigns_their_livestreams_leads_to_their_communes_officers(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    commune, other = communes()
    live = commune_live(make, commune)
    me, colleague = make.user("officer", commune.code), make.user("officer", commune.code)
    make.user("officer", other.code)
    province = make.user("officer", HOME)
    db.session.commit()

    page, errors = open_live_tab(browser, web.url, me.email, live.event_id,
                                 viewport={"width": 390, "height": 844})  # fmt: skip
    card = page.locator(f'#feed li.comment.lead[data-id="{live.comment_id}"]')
    card.locator("select.lead-assignee").wait_for(timeout=20000)
    assert COMMENTER in card.inner_text()
    wait_for(lambda: card.get_attribute("data-person") == str(live.person_id),
             what="the card knows its lead")  # fmt: skip
    assert sorted(_choices(card)) == sorted([("", ""), ("", str(me.id)), ("", str(colleague.id))])
    card.locator("select.lead-assignee").select_option(str(colleague.id))
    card.locator(".lead-note", has_text="Đã lưu").wait_for(timeout=10000)
    assert _holder(live.person_id) == colleague.id

    _tamper(card, province.id)
    card.locator(".lead-note.failed", has_text=REFUSED).wait_for(timeout=10000)
    assert card.locator("select.lead-assignee").input_value() == str(colleague.id)
    assert _holder(live.person_id) == colleague.id
    assert errors == []


def test_the_province_officer_gets_a_communes_officers_on_its_peoples_cards(
    app: Flask, web: WebProcess, browser, make: Factory
) -> None:
    world = part_world(make)
    mine = make.user("officer", world.mine.code)
    theirs = make.user("officer", world.theirs.code)
    province = make.user("officer", HOME)
    db.session.commit()
    comments = dict(db.session.execute(select(Comment.external_id, Comment.id)).all())

    page, errors = open_live_tab(browser, web.url, province.email, world.event_id)
    card = page.locator(f'#feed li.comment.lead[data-id="{comments["c1"]}"]')  # commune A's
    who = card.locator("select.lead-assignee")
    who.locator("optgroup[data-commune]").wait_for(state="attached", timeout=20000)
    organisers = who.locator("optgroup:not([data-commune])").get_attribute("label")
    assert organisers is not None
    assert organisers.startswith("Cán bộ đơn vị tổ chức (")
    mine_group = who.locator("optgroup[data-commune]").get_attribute("label")
    assert mine_group is not None
    assert mine_group.startswith("Cán bộ ")
    assert world.mine.name.split(" ", 1)[1] in mine_group
    assert sorted(_choices(card)) == sorted(
        [("", ""), (organisers, str(province.id)), (mine_group, str(mine.id))]
    )
    # A commenter of no known commune: the province's officers alone, in no group.
    stranger = page.locator(f'#feed li.comment.lead[data-id="{comments["c3"]}"]')
    stranger.locator("select.lead-assignee").wait_for(timeout=10000)
    assert sorted(_choices(stranger)) == sorted([("", ""), ("", str(province.id))])

    who.select_option(str(mine.id))
    card.locator(".lead-note", has_text="Đã lưu").wait_for(timeout=10000)
    assert _holder(world.my_lead) == mine.id
    _tamper(card, theirs.id)  # another commune's officer
    card.locator(".lead-note.failed", has_text=REFUSED).wait_for(timeout=10000)
    assert who.input_value() == str(mine.id)
    assert _holder(world.my_lead) == mine.id
    assert errors == []
