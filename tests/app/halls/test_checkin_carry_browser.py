"""A report kept offline for a hall's link that the organiser renewed meanwhile goes with the
officer to the new link: opened on the same phone, the new link offers it ("Báo cáo chưa gửi từ
đường dẫn cũ": "Gửi bằng đường dẫn này" / "Bỏ") and sends it under its own key, so one the server
had in fact received counts once. Another hall's link never offers it. A correction of an entry
("Sửa" in "Vừa ghi") kept the same way goes with the reports: the server applies it once (a key
it applied before is answered from its audit row), and another hall's link refuses it (404).

The network is really cut (the browser context offline) and the link really renewed
(``links.renew_link``, as the organiser's "Cấp đường dẫn mới" does).
"""

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.halls import entries, services
from app.halls.links import renew_link
from app.models import AuditLog, BridgePoint, Person
from tests.app.halls.checkin_phones import fill_row, hall_url, on_phone, sent
from tests.app.halls.checkin_posts import stored
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.app.live.webserver import wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
ROW = ("Lương Văn Thắng", "1970", "0912 111 222")
OFFERED = "Báo cáo chưa gửi từ đường dẫn cũ"
QUEUE = "JSON.parse(localStorage.getItem('lantoa-checkin:' + location.pathname) || '[]')"


def two_halls(make: Factory) -> tuple[BridgePoint, BridgePoint]:
    event = event_with_channel(make)
    first, second = services.set_bridge_points(event, commune_codes(HOME, 2), {})
    db.session.commit()
    return first, second


def kept_offline(browser, live_server: str, point: BridgePoint, received: bool = False):  # type: ignore[no-untyped-def]
    """A phone on the hall's link that kept a report (33 people, one row) for want of a network
    (``received``: the server had it all the same, its answer lost); then the organiser renewed
    the link."""
    context, page = on_phone(browser, hall_url(live_server, point))
    page.fill("#head_count", "33")
    page.click("#checkin summary")
    fill_row(page, 0, *ROW)
    context.set_offline(True)
    page.click("#checkin button[type=submit]")
    expect(page.locator("#queue")).to_contain_text("1 báo cáo đang chờ mạng")
    key = page.evaluate(QUEUE)[0]["idempotency_key"]
    old = page.url
    if received:
        name, birth, phone = ROW
        body = {"idempotency_key": key, "head_count": "33",
                "attendees": [{"name": name, "birth": birth, "phone": phone}]}  # fmt: skip
        assert requests.post(old, json=body, timeout=30).status_code == 201
    renew_link(point)
    db.session.commit()
    return context, page, key, old


def gone_from_old_link(page) -> None:  # type: ignore[no-untyped-def]
    card = page.locator("#rejected .rejected")
    expect(card.locator("p.err").first).to_contain_text("đường dẫn mới")


def test_the_kept_report_is_offered_on_the_renewed_link_and_sent_once(
    live_server: str, browser, make: Factory
) -> None:
    point, other = two_halls(make)
    context, page, key, old = kept_offline(browser, live_server, point)
    context.set_offline(False)
    gone_from_old_link(page)
    assert stored() == []
    page.goto(hall_url(live_server, other))  # another hall's link on this phone: nothing offered
    page.wait_for_function("localStorage.getItem('lantoa-checkin:' + location.pathname + ':link')")
    expect(page.locator("#carried")).to_have_count(0)
    page.goto(hall_url(live_server, point))  # the hall's new link
    offer = page.locator("#carried")
    expect(offer).to_contain_text(OFFERED)
    expect(offer).to_contain_text("33 người")
    expect(offer).to_contain_text(ROW[0])
    page.get_by_role("button", name="Gửi bằng đường dẫn này").click()
    expect(page.locator("#done")).to_contain_text("Đã nhận")
    expect(offer).to_have_count(0)
    assert [(k, count, rows) for k, count, rows in stored()] == [(key, 33, 1)]
    page.reload()  # moved, not copied: the old link's queue no longer holds it
    page.wait_for_function(f"{QUEUE}.length === 0")
    assert (
        page.evaluate(f"localStorage.getItem('lantoa-checkin:{old.split(live_server)[1]}')") == "[]"
    )
    expect(page.locator("#carried")).to_have_count(0)
    assert len(stored()) == 1
    context.close()


def test_a_report_received_before_its_answer_was_lost_counts_once(
    live_server: str, browser, make: Factory
) -> None:
    point, _other = two_halls(make)
    context, page, key, _old = kept_offline(browser, live_server, point, received=True)
    context.set_offline(False)
    gone_from_old_link(page)
    page.goto(hall_url(live_server, point))
    page.get_by_role("button", name="Gửi bằng đường dẫn này").click()
    expect(page.locator("#done")).to_contain_text("Đã nhận trước đó")
    assert stored() == [(key, 33, 1)]
    context.close()


def test_a_kept_report_discarded_on_the_new_link_is_gone(
    live_server: str, browser, make: Factory
) -> None:
    point, _other = two_halls(make)
    context, page, _key, _old = kept_offline(browser, live_server, point)
    context.set_offline(False)
    gone_from_old_link(page)
    page.goto(hall_url(live_server, point))
    page.get_by_role("button", name="Bỏ", exact=True).click()
    expect(page.locator("#carried")).to_have_count(0)
    page.reload()
    page.wait_for_function("localStorage.getItem('lantoa-checkin:' + location.pathname + ':link')")
    expect(page.locator("#carried")).to_have_count(0)
    assert stored() == []
    context.close()


NEW_PHONE = "0912 333 444"


def phones() -> list[str | None]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Person.phone).filter_by(full_name=ROW[0])))


def applied(point: BridgePoint, key: str) -> int:
    """How many times the server applied the correction under ``key`` (its audit rows)."""
    db.session.expire_all()
    found = (
        sa.select(sa.func.count())
        .select_from(AuditLog)
        .where(
            AuditLog.action.in_(entries.ACTIONS.values()), AuditLog.object_id == f"{point.id}:{key}"
        )
    )
    return int(db.session.scalar(found) or 0)


def corrected_offline(browser, live_server: str, point: BridgePoint, received: bool = False):  # type: ignore[no-untyped-def]
    """A phone on the hall's link that sent a report (accepted), then, with no network, corrected
    its person's phone in "Vừa ghi" (``received``: the server applied it all the same, its answer
    lost); then the organiser renewed the link. ``(context, page, correction)``."""
    context, page = on_phone(browser, hall_url(live_server, point))
    sent(page, [ROW])
    context.set_offline(True)
    page.locator("#recent li button.edit").first.click()
    page.fill("#fix-phone", NEW_PHONE)
    page.click("#recent form.fix button[type=submit]")
    # Polled from here: a predicate polled in the page is an eval the page's CSP refuses.
    (fix,) = wait_for(lambda: [it for it in page.evaluate(QUEUE) if it.get("kind") == "entry"])
    if received:
        body = {k: fix[k] for k in ("idempotency_key", "action", "ref", "attendee", "sent_at")}
        assert requests.post(page.url + "/entries", json=body, timeout=30).status_code == 201
    renew_link(point)
    db.session.commit()
    return context, page, fix


def test_a_kept_correction_is_offered_on_the_renewed_link_and_applied(
    live_server: str, browser, make: Factory
) -> None:
    point, other = two_halls(make)
    context, page, fix = corrected_offline(browser, live_server, point)
    context.set_offline(False)
    expect(page.locator("#rejected .rejected")).to_have_count(1)  # 404 on the old link
    assert phones() == ["+84912111222"]
    page.goto(hall_url(live_server, other))  # another hall's link on this phone: nothing offered
    page.wait_for_function("localStorage.getItem('lantoa-checkin:' + location.pathname + ':link')")
    expect(page.locator("#carried")).to_have_count(0)
    body = {k: fix[k] for k in ("idempotency_key", "action", "ref", "attendee", "sent_at")}
    refused = requests.post(page.url + "/entries", json=body, timeout=30)
    assert refused.status_code == 404  # another hall's link: no such entry there
    page.goto(hall_url(live_server, point))  # the hall's new link
    offer = page.locator("#carried")
    expect(offer).to_contain_text(OFFERED)
    expect(offer).to_contain_text(f"sửa {ROW[0]} (ghi lúc ")
    page.get_by_role("button", name="Gửi bằng đường dẫn này").click()
    expect(offer).to_have_count(0)
    wait_for(lambda: phones() == ["+84912333444"])
    wait_for(lambda: page.evaluate(QUEUE) == [])
    expect(page.locator("#recent")).to_contain_text("09xx xxx 444")  # as another phone's entry
    expect(page.locator("#recent")).to_contain_text("Đã sửa.")
    assert applied(point, fix["idempotency_key"]) == 1
    assert len(stored()) == 1  # the report, sent before: not again
    context.close()


def test_a_correction_applied_before_its_answer_was_lost_is_applied_once(
    live_server: str, browser, make: Factory
) -> None:
    point, _other = two_halls(make)
    context, page, fix = corrected_offline(browser, live_server, point, received=True)
    assert phones() == ["+84912333444"]
    context.set_offline(False)
    expect(page.locator("#rejected .rejected")).to_have_count(1)
    page.goto(hall_url(live_server, point))
    page.get_by_role("button", name="Gửi bằng đường dẫn này").click()
    expect(page.locator("#carried")).to_have_count(0)
    wait_for(lambda: page.evaluate(QUEUE) == [])  # answered (from the audit row), not refused
    assert applied(point, fix["idempotency_key"]) == 1
    assert phones() == ["+84912333444"]
    context.close()
