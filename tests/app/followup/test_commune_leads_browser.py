"""A commune's officer in headless Chromium assigns a lead of their part of the province's event:
the editor offers their commune's officers, keeps the holder the province chose while the status
changes, and says in the page's words why another unit's user is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.followup.lead_work import update_lead
from app.models import Event, LeadWork
from tests.app.followup.part_world import part_world
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

MY_LEAD = "Đinh Văn Ánh"  # the commune's registered commenter (part_world)


def test_a_commune_officer_assigns_within_their_commune(
    live_server: str, browser, make: Factory
) -> None:
    world = part_world(make)
    me, colleague = make.user("officer", world.mine.code), make.user("officer", world.mine.code)
    stranger = make.user("officer", world.theirs.code)
    province = make.user("officer", HOME)
    event = db.session.get(Event, world.event_id)
    update_lead(event, world.my_lead, province, {"assignee_id": province.id})
    db.session.commit()

    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, me.email)
    page.goto(f"{live_server}/events/{world.event_id}/follow-up")
    row = page.locator("table.list tbody tr", has_text=MY_LEAD)
    assert row.locator(".lead-assignee").inner_text() == province.email
    row.locator("button.lead-edit").click()
    editor = page.locator("#lead-editor")
    who = editor.locator("select[name=assignee_id]")
    assert who.input_value() == str(province.id)  # the holder, kept while other fields change
    offered = who.locator("option:not(.held)").evaluate_all("os => os.map(o => o.value)")
    assert sorted(offered) == sorted(["", str(me.id), str(colleague.id)])
    editor.locator("select[name=status]").select_option("call_back")
    editor.locator("button[value=save]").click()
    editor.wait_for(state="hidden")
    assert row.locator(".lead-status").inner_text() == "Hẹn lại"
    assert row.locator(".lead-assignee").inner_text() == province.email

    row.locator("button.lead-edit").click()
    who.select_option(str(colleague.id))
    editor.locator("button[value=save]").click()
    editor.wait_for(state="hidden")
    assert row.locator(".lead-assignee").inner_text() == colleague.email

    row.locator("button.lead-edit").click()
    assert who.locator("option.held").count() == 0  # the colleague is among the choices
    # A user of another unit, as a tampered page would send it: refused, said in Vietnamese.
    who.evaluate(f"s => {{ s.add(new Option('x', '{stranger.id}')); s.value = '{stranger.id}'; }}")
    editor.locator("button[value=save]").click()
    expect(editor.locator(".lead-editor-error")).to_have_text(
        "Không giao được việc liên hệ người này cho tài khoản đó: hãy chọn một cán bộ trong danh "
        "sách (xã chỉ giao cho cán bộ của chính xã mình)."
    )
    assert errors == []
    db.session.expire_all()
    held = db.session.scalar(
        db.select(LeadWork.assignee_id).where(LeadWork.person_id == world.my_lead)
    )
    assert held == colleague.id
