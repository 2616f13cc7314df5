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

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import Page, expect

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


NEW_PHONE = "0912 333 444"
SENT = ("idempotency_key", "action", "ref", "attendee", "sent_at")  # a correction's JSON, as sent


def two_halls(make: Factory) -> tuple[BridgePoint, BridgePoint]:
    event = event_with_channel(make)
    first, second = services.set_bridge_points(event, commune_codes(HOME, 2), {})
    db.session.commit()
    return first, second


def keep_report(page: Page, received: bool) -> dict[str, Any]:
    """A report (33 people, one row) kept for want of a network (``received``: the server had it
    all the same, its answer lost)."""
    page.fill("#head_count", "33")
    page.click("#checkin summary")
    fill_row(page, 0, *ROW)
    page.context.set_offline(True)
    page.click("#checkin button[type=submit]")
    expect(page.locator("#queue")).to_contain_text("1 báo cáo đang chờ mạng")
    (report,) = page.evaluate(QUEUE)
    if received:
        name, birth, phone = ROW
        body = {"idempotency_key": report["idempotency_key"], "head_count": "33",
                "attendees": [{"name": name, "birth": birth, "phone": phone}]}  # fmt: skip
        assert requests.post(page.url, json=body, timeout=30).status_code == 201
    return report


def keep_correction(page: Page, received: bool) -> dict[str, Any]:
    """A report sent (accepted), then, with no network, its person's phone corrected in "Vừa ghi"
    and the correction kept (``received``: the server applied it all the same, its answer lost)."""
    sent(page, [ROW])
    page.context.set_offline(True)
    page.locator("#recent li button.edit").first.click()
    page.fill("#fix-phone", NEW_PHONE)
    page.click("#recent form.fix button[type=submit]")
    # Polled from here: a predicate polled in the page is an eval the page's CSP refuses.
    (fix,) = wait_for(lambda: [it for it in page.evaluate(QUEUE) if it.get("kind") == "entry"])
    if received:
        body = {k: fix[k] for k in SENT}
        assert requests.post(page.url + "/entries", json=body, timeout=30).status_code == 201
    return fix


@dataclass
class Renewed:
    """A phone that kept something for its hall's link, which the organiser renewed meanwhile;
    back online, the old link refused it (404)."""

    point: BridgePoint
    other: BridgePoint  # another hall of the event
    page: Page
    kept: dict[str, Any]  # the report or the correction kept, as the phone's queue holds it
    old: str  # the old link's address


@pytest.fixture
def renewed(live_server: str, browser, make: Factory) -> Iterator[Callable[..., Renewed]]:  # type: ignore[no-untyped-def]
    """``renewed(received=False, correction=False)``: a kept report, or a kept correction, on a
    link renewed (``links.renew_link``, as the organiser's "Cấp đường dẫn mới" does); the phone
    is closed after the test."""
    contexts = []

    def kept_for_a_renewed_link(*, received: bool = False, correction: bool = False) -> Renewed:
        point, other = two_halls(make)
        context, page = on_phone(browser, hall_url(live_server, point))
        contexts.append(context)
        kept = (keep_correction if correction else keep_report)(page, received)
        old = page.url
        renew_link(point)
        db.session.commit()
        context.set_offline(False)
        card = page.locator("#rejected .rejected")
        if correction:
            expect(card).to_have_count(1)
        else:
            expect(card.locator("p.err").first).to_contain_text("đường dẫn mới")
        return Renewed(point, other, page, kept, old)

    yield kept_for_a_renewed_link
    for context in contexts:
        context.close()


def test_the_kept_report_is_offered_on_the_renewed_link_and_sent_once(
    live_server: str, renewed: Callable[..., Renewed]
) -> None:
    phone = renewed()
    page, key = phone.page, phone.kept["idempotency_key"]
    assert stored() == []
    # another hall's link on this phone: nothing offered
    page.goto(hall_url(live_server, phone.other))
    page.wait_for_function("localStorage.getItem('lantoa-checkin:' + location.pathname + ':link')")
    expect(page.locator("#carried")).to_have_count(0)
    page.goto(hall_url(live_server, phone.point))  # the hall's new link
    offer = page.locator("#carried")
    expect(offer).to_contain_text(OFFERED)
    expect(offer).to_contain_text("33 người")
    expect(offer).to_contain_text(ROW[0])
    page.get_by_role("button", name="Gửi bằng đường dẫn này").click()
    expect(page.locator("#done")).to_contain_text("Đã nhận")
    expect(offer).to_have_count(0)
    assert [(k, count, rows) for k, count, rows in stored()] == [(key, 33, 1)]
    page.reload()  # moved, not copied: the old link's queue no longer holds it
    wait_for(lambda: page.evaluate(QUEUE) == [])
    old_queue = f"localStorage.getItem('lantoa-checkin:{phone.old.split(live_server)[1]}')"
    assert page.evaluate(old_queue) == "[]"
    expect(page.locator("#carried")).to_have_count(0)
    assert len(stored()) == 1


def test_a_report_received_before_its_answer_was_lost_counts_once(
    live_server: str, renewed: Callable[..., Renewed]
) -> None:
    phone = renewed(received=True)
    phone.page.goto(hall_url(live_server, phone.point))
    phone.page.get_by_role("button", name="Gửi bằng đường dẫn này").click()
    expect(phone.page.locator("#done")).to_contain_text("Đã nhận trước đó")
    assert stored() == [(phone.kept["idempotency_key"], 33, 1)]


def test_a_kept_report_discarded_on_the_new_link_is_gone(
    live_server: str, renewed: Callable[..., Renewed]
) -> None:
    phone = renewed()
    page = phone.page
    page.goto(hall_url(live_server, phone.point))
    page.get_by_role("button", name="Bỏ", exact=True).click()
    expect(page.locator("#carried")).to_have_count(0)
    page.reload()
    page.wait_for_function("localStorage.getItem('lantoa-checkin:' + location.pathname + ':link')")
    expect(page.locator("#carried")).to_have_count(0)
    assert stored() == []


def phones() -> list[str | None]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Person.phone).filter_by(full_name=ROW[0])))


def applied(point: BridgePoint, key: str) -> int:
    """How many times the server applied the correction under ``key`` (its audit rows)."""
    db.session.expire_all()
    found = sa.select(sa.func.count()).select_from(AuditLog).where(
        AuditLog.action.in_(entries.ACTIONS.values()), AuditLog.object_id == f"{point.id}:{key}"
    )  # fmt: skip
    return int(db.session.scalar(found) or 0)


def test_a_kept_correction_is_offered_on_the_renewed_link_and_applied(
    live_server: str, renewed: Callable[..., Renewed]
) -> None:
    phone = renewed(correction=True)
    page, fix = phone.page, phone.kept
    assert phones() == ["+84912111222"]
    # another hall's link on this phone: nothing offered
    page.goto(hall_url(live_server, phone.other))
    page.wait_for_function("localStorage.getItem('lantoa-checkin:' + location.pathname + ':link')")
    expect(page.locator("#carried")).to_have_count(0)
    refused = requests.post(page.url + "/entries", json={k: fix[k] for k in SENT}, timeout=30)
    assert refused.status_code == 404  # another hall's link: no such entry there
    page.goto(hall_url(live_server, phone.point))  # the hall's new link
    offer = page.locator("#carried")
    expect(offer).to_contain_text(OFFERED)
    expect(offer).to_contain_text(f"sửa {ROW[0]} (ghi lúc ")
    page.get_by_role("button", name="Gửi bằng đường dẫn này").click()
    expect(offer).to_have_count(0)
    wait_for(lambda: phones() == ["+84912333444"])
    wait_for(lambda: page.evaluate(QUEUE) == [])
    expect(page.locator("#recent")).to_contain_text("09xx xxx 444")  # as another phone's entry
    expect(page.locator("#recent")).to_contain_text("Đã sửa.")
    assert applied(phone.point, fix["idempotency_key"]) == 1
    assert len(stored()) == 1  # the report, sent before: not again


def test_a_correction_applied_before_its_answer_was_lost_is_applied_once(
    live_server: str, renewed: Callable[..., Renewed]
) -> None:
    phone = renewed(received=True, correction=True)
    assert phones() == ["+84912333444"]
    phone.page.goto(hall_url(live_server, phone.point))
    phone.page.get_by_role("button", name="Gửi bằng đường dẫn này").click()
    expect(phone.page.locator("#carried")).to_have_count(0)
    wait_for(lambda: phone.page.evaluate(QUEUE) == [])  # answered (from the audit row), not refused
    assert applied(phone.point, phone.kept["idempotency_key"]) == 1
    assert phones() == ["+84912333444"]
