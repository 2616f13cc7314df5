"""The printable sheet: one card per hall, whose QR code is the hall's own check-in link."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import segno
import sqlalchemy as sa

from app.collation import sorted_vietnamese
from app.extensions import db
from app.halls import links, services
from app.halls.qr import qr_svg
from app.models import AuditLog, BridgePoint
from tests.app.halls.conftest import commune_codes, event_with_channel, page_token
from tests.conftest import HOME, Factory

BORDER = 4  # segno's quiet zone, in modules


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """Read the modules back out of segno's SVG path (M/m moves, h runs of dark modules)."""
    path = re.search(r' d="([^"]+)"', svg)
    assert path, "no path in the SVG"
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for cmd, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path.group(1)):
        if cmd == "M":
            x, y = float(a), float(b)
        elif cmd == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y - 0.5) - BORDER
            dark |= {(row, int(x) - BORDER + i) for i in range(int(float(a)))}
            x += float(a)
    return dark


def matrix_modules(url: str) -> set[tuple[int, int]]:
    matrix = segno.make(url, error="m", micro=False, boost_error=False).matrix
    return {(r, c) for r, row in enumerate(matrix) for c, bit in enumerate(row) if bit & 1}


def test_qr_svg_encodes_exactly_the_link() -> None:
    link = "http://localhost/checkin/AbC-123_xyz"
    assert dark_modules(str(qr_svg(link))) == matrix_modules(link)
    assert dark_modules(str(qr_svg(link))) != matrix_modules(link + "x")
    assert "<title>http://localhost/checkin/AbC-123_xyz</title>" in str(qr_svg(link))


def test_sheet_has_a_card_for_every_hall(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    codes = commune_codes(n=7)
    services.set_bridge_points(event, codes, {codes[0]: 80})
    db.session.commit()
    halls = list(db.session.scalars(sa.select(BridgePoint)))
    halls[0].contact_name, halls[0].contact_phone = "Trần Thị Bình", "+84987654321"
    revoked = next(h for h in halls if h.org_unit.code == codes[-1])
    links.revoke(revoked, revoked.created_at)
    db.session.commit()

    response = client.get(f"/events/{event.id}/bridge-points/print")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    cards = re.findall(
        r'<article class="card" data-commune="(\d+)"[^>]*>(.*?)</article>', html, re.S
    )
    # In Vietnamese order of the commune names (Đ after D), as every list of halls.
    in_order = sorted_vietnamese(halls, key=lambda h: h.org_unit.name)
    assert [code for code, _ in cards] == [h.org_unit.code for h in in_order]
    for hall in halls:
        body = dict(cards)[hall.org_unit.code]
        assert hall.org_unit.name in body
        link = f"http://localhost/checkin/{hall.checkin_token}"
        if hall is revoked:
            assert link not in body
            assert "<svg" not in body
            continue
        assert f"<code>{link}</code>" in body
        (svg,) = re.findall(r"<svg.*?</svg>", body, re.S)
        assert dark_modules(svg) == matrix_modules(link)
    first = dict(cards)[halls[0].org_unit.code]
    assert "Trần Thị Bình" in first
    assert "Trần Thị Bình · 0987 654 321" in first  # grouped as Vietnamese write it
    assert ">80<" in first
    assert "size: A4" in html
    assert "break-inside: avoid" in html
    logged = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "bridge_points.print"))
    assert [entry.detail for entry in logged] == [{"halls": 7}]


def test_sheet_for_viewers_and_other_provinces(app, client, make: Factory, logged_in) -> None:
    from tests.conftest import OTHER, login

    mine, foreign = event_with_channel(make), event_with_channel(make, org_unit=OTHER)
    logged_in("viewer")
    assert client.get(f"/events/{mine.id}/bridge-points/print").status_code == 403
    officer = app.test_client()
    login(officer, make.user("officer").email)
    assert officer.get(f"/events/{foreign.id}/bridge-points/print").status_code == 404
    assert page_token(officer, f"/events/{mine.id}/bridge-points")


def print_sheet(client, event_id: int) -> tuple[dict[str, str], str, str]:  # type: ignore[no-untyped-def]
    """Each card's link state by commune, the warning over the cards ("" if none), the page."""
    html = client.get(f"/events/{event_id}/bridge-points/print").get_data(as_text=True)
    cards = dict(re.findall(r'data-commune="(\d+)" data-link="(\w+)"', html))
    warning = re.search(r'<div class="stale" role="alert" id="links-stale">(.*?)</div>', html, re.S)
    return cards, warning.group(1) if warning else "", html


def card(html: str, code: str) -> str:
    body = html[html.index(f'data-commune="{code}"') :]
    return body[: body.index("</article>")]


def test_an_ended_conferences_sheet_says_its_links_expired(
    client, make: Factory, organiser
) -> None:
    """An ended conference printed "Valid until 17/11/2026 10:00" on every card, saying nowhere
    that the links no longer opened; the halls page said "Expired on" in red. A new link would be
    expired too (its end is the event's): the sheet sends the organiser to the event's dates."""
    ended = datetime.now(UTC) - timedelta(days=10)
    event = make.event(HOME, title="Hội nghị đã qua", channel="online_conference",
                       planned_start=ended, planned_end=ended + timedelta(hours=2))  # fmt: skip
    codes = commune_codes(n=2)
    services.set_bridge_points(event, codes, {}, now=ended - timedelta(days=1))  # chosen before
    db.session.commit()
    revoked = db.session.scalar(
        sa.select(BridgePoint).where(BridgePoint.org_unit.has(code=codes[1]))
    )
    links.revoke(revoked, datetime.now(UTC))
    db.session.commit()

    cards, warning, html = print_sheet(client, event.id)
    assert cards == {codes[0]: "expired", codes[1]: "revoked"}
    assert "1 đường dẫn dưới đây đã hết hạn" in warning
    assert "1 đường dẫn đã bị thu hồi" in warning
    assert f'href="/events/{event.id}/edit"' in warning  # where the dates, so the links, change
    assert f'href="/events/{event.id}/bridge-points"' in warning  # where a revoked one is renewed
    expired = card(html, codes[0])
    assert "Đã hết hạn — sự kiện đã kết thúc" in expired
    assert "Đã hết hạn lúc" in expired
    assert "Hiệu lực đến" not in expired

    event.planned_end = datetime.now(UTC) + timedelta(days=1)  # the conference is held again
    links.renew_link(revoked)
    db.session.commit()
    cards, warning, html = print_sheet(client, event.id)
    assert cards == {codes[0]: "valid", codes[1]: "valid"}
    assert warning == ""
    assert "Đã hết hạn" not in html
    assert "Hiệu lực đến" in card(html, codes[0])


def test_an_expired_link_of_an_undated_event_is_renewed(client, make: Factory, organiser) -> None:
    """No dates: a link lives thirty days from its issue, and a new link starts them again."""
    event = make.event(HOME, title="Nhóm nhỏ", channel="small_group")
    codes = commune_codes(n=2)
    old, fresh = services.set_bridge_points(event, codes, {})
    old.checkin_issued_at = datetime.now(UTC) - timedelta(days=31)
    db.session.commit()

    cards, warning, html = print_sheet(client, event.id)
    assert cards == {old.org_unit.code: "expired", fresh.org_unit.code: "valid"}
    assert "1 đường dẫn dưới đây đã hết hạn" in warning
    assert "Cấp đường dẫn mới" in warning
    assert f'href="/events/{event.id}/bridge-points"' in warning
    assert "/edit" not in warning
    assert "Đã hết hạn — cấp đường dẫn mới trước khi in" in card(html, old.org_unit.code)
    assert "Hiệu lực đến" in card(html, fresh.org_unit.code)

    links.renew_link(old)
    db.session.commit()
    cards, warning, _ = print_sheet(client, event.id)
    assert set(cards.values()) == {"valid"}
    assert warning == ""
