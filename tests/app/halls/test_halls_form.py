"""The halls form without JavaScript: nothing typed is dropped, and communes are found by the
names officers use (today's, or the commune's before the 2025 merger, with or without accents).

Nghệ An's communes as the package names them: Xã Bạch Hà (17707, formerly Hiến Sơn, Mỹ Sơn,
Trù Sơn and Đại Sơn of Đô Lương) and Phường Thành Vinh (16681, formerly Phường Hưng Bình and
others of Thành phố Vinh).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.models import BridgePoint
from tests.app.halls.conftest import event_with_channel, page_token
from tests.conftest import Factory

BACH_HA, THANH_VINH, BAC_LY = "17707", "16681", "16819"


def url(event_id: int) -> str:
    return f"/events/{event_id}/bridge-points"


def post(client: FlaskClient, event_id: int, data: dict):  # type: ignore[no-untyped-def]
    token = page_token(client, url(event_id))
    return client.post(url(event_id), data={"csrf_token": token, **data})


def row(html: str, code: str) -> str:
    """The form's row of one commune (its opening tag included)."""
    start = html.rindex("<tr", 0, html.index(f'id="c-{code}"'))
    return html[start : html.index("</tr>", start)]


def shown(html: str, code: str) -> bool:
    return " hidden" not in row(html, code).split(">", 1)[0]


def formers_shown(html: str, code: str) -> list[str]:
    former = r'<small class="former muted" data-key="[^"]*" data-own="[^"]*">\(([^)]*)\)</small>'
    return re.findall(former, row(html, code))


def halls() -> list[str]:
    db.session.expire_all()
    return [p.org_unit.code for p in db.session.scalars(sa.select(BridgePoint))]


def test_a_count_typed_on_an_unticked_commune_is_refused_naming_it(
    client, make: Factory, organiser
) -> None:
    event = event_with_channel(make)
    response = post(client, event.id, {
        "action": "save", "commune": [BAC_LY, THANH_VINH], f"expected-{BAC_LY}": "40",
        f"expected-{BACH_HA}": "30",  # typed, box not ticked
    })  # fmt: skip
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Xã Bạch Hà có số dự kiến 30 nhưng chưa được chọn" in html
    assert halls() == []  # nothing written, not even the ticked ones
    # The form as typed: the two ticks, both numbers, to tick the box or clear the number.
    assert "checked" in row(html, BAC_LY)
    assert "checked" in row(html, THANH_VINH)
    assert 'value="40"' in row(html, BAC_LY)
    assert 'value="30"' in row(html, BACH_HA)
    assert "checked" not in row(html, BACH_HA)
    ticked = post(client, event.id, {
        "action": "save", "commune": [BAC_LY, BACH_HA], f"expected-{BACH_HA}": "30",
    })  # fmt: skip
    assert ticked.status_code == 302
    assert sorted(halls()) == sorted([BAC_LY, BACH_HA])


def test_a_contact_typed_on_an_unticked_commune_is_refused(
    client, make: Factory, organiser
) -> None:
    event = event_with_channel(make)
    response = post(client, event.id, {
        "action": "save", "commune": [BAC_LY], f"contact_phone-{BACH_HA}": "0912 345 678",
    })  # fmt: skip
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Xã Bạch Hà có thông tin người liên hệ nhưng chưa được chọn" in html
    assert 'value="0912 345 678"' in row(html, BACH_HA)
    assert halls() == []


def test_search_without_accents_finds_today_s_name(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    html = client.get(url(event.id), query_string={"q": "bach ha"}).get_data(as_text=True)
    assert shown(html, BACH_HA)
    assert formers_shown(html, BACH_HA) == []  # found by its own name
    assert not shown(html, BAC_LY)
    assert not shown(html, THANH_VINH)
    assert "1 xã, phường khớp" in html
    assert f'id="c-{BAC_LY}"' in html  # hidden, never left out of the form


def test_search_by_the_name_before_2025(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    for query in ("Phường Hưng Bình, TP Vinh", "hung binh", "Hưng Bình"):
        html = client.get(url(event.id), query_string={"q": query}).get_data(as_text=True)
        assert shown(html, THANH_VINH), query
        assert formers_shown(html, THANH_VINH) == ["trước đây: Phường Hưng Bình, Thành phố Vinh"], (
            query
        )
        assert not shown(html, BACH_HA), query
    html = client.get(url(event.id), query_string={"q": "my son do luong"}).get_data(as_text=True)
    assert shown(html, BACH_HA)
    assert formers_shown(html, BACH_HA) == ["trước đây: Xã Mỹ Sơn, Huyện Đô Lương"]


def test_search_keeps_ticked_and_typed_rows(client, make: Factory, organiser) -> None:
    """ "Tìm" without JavaScript posts the form: it comes back as typed, nothing saved."""
    event = event_with_channel(make)
    services.set_bridge_points(event, [BAC_LY], {})
    db.session.commit()
    html = client.get(url(event.id), query_string={"q": "hung binh"}).get_data(as_text=True)
    assert shown(html, BAC_LY)  # already a hall
    response = post(client, event.id, {
        "action": "find", "q": "hung binh", "commune": [BACH_HA], f"expected-{BACH_HA}": "30",
        f"contact_name-{THANH_VINH}": "",
    })  # fmt: skip
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert shown(html, THANH_VINH)
    assert shown(html, BACH_HA)
    assert shown(html, BAC_LY)
    assert "checked" in row(html, BACH_HA)
    assert 'value="30"' in row(html, BACH_HA)
    assert 'value="hung binh"' in html
    assert halls() == [BAC_LY]
    # The page's first button finds: Enter in a box never saves half a form.
    form = html[html.index('id="halls-form"') :]
    assert form.index('value="find"') < form.index('value="save"')
