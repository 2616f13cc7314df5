"""A head count far above the hall's expected one is stored, and marked for the province officer
on the halls board and the bridge-points page (computed from expected vs reported, nothing kept).
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from app.extensions import db
from app.halls import services
from app.halls.unusual import unsure_words, unusual_count
from app.models import utcnow
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.conftest import Factory

pytestmark = pytest.mark.postgres
MARK = "(chưa chắc: dự kiến 45)"  # the live page's words (``unsure_words``), as everywhere


@pytest.mark.parametrize(
    ("count", "expected", "unusual"),
    [(4500, 45, True), (136, 45, True), (135, 45, False), (45, 45, False), (3, 45, False),
     (11, 1, True), (10, 1, False), (None, 45, False),
     (1001, 0, True), (1000, 0, False), (1500, None, True)],
)  # fmt: skip
def test_the_rule(count: int | None, expected: int | None, unusual: bool) -> None:
    assert unusual_count(count, expected) is unusual


@pytest.mark.parametrize(
    ("count", "expected", "vi", "en"),
    [(4500, 45, "(chưa chắc: dự kiến 45)", "(unsure: 45 expected)"),
     (4000, 1200, "(chưa chắc: dự kiến 1.200)", "(unsure: 1,200 expected)"),
     (1500, 0, "(chưa chắc: chưa có số dự kiến)", "(unsure: no expected count)"),
     (45, 45, "", ""), (None, 45, "", "")],
)  # fmt: skip
def test_the_words_beside_it(
    app: Flask, count: int | None, expected: int, vi: str, en: str
) -> None:
    """The live page's words (its script fills ``__N__``), as the reports and files say them."""
    with app.test_request_context():
        for locale, words in (("vi", vi), ("en", en)):
            with force_locale(locale):
                assert unsure_words(count, expected) == words


def two_halls(make: Factory, first: int, second: int):  # type: ignore[no-untyped-def]
    """An online conference whose two halls (45 expected each) sent ``first`` and ``second``."""
    event = event_with_channel(make)
    codes = commune_codes(n=2)
    points = services.set_bridge_points(event, codes, {codes[0]: 45, codes[1]: 45})
    db.session.commit()
    by_code = {p.org_unit.code: p for p in points}
    for code, count in zip(codes, (first, second), strict=True):
        services.record_report(by_code[code], f"key-{code}-0001", count, [], utcnow())
    db.session.commit()
    return event, [by_code[c] for c in codes]


def row_of(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</tr>", start)]


def test_the_bridge_points_page_marks_only_the_unusual_count(
    client, make: Factory, organiser
) -> None:
    event, (odd, usual) = two_halls(make, 4500, 40)
    html = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    assert "4.500" in row_of(html, f'id="hall-{odd.id}"')
    assert MARK in row_of(html, f'id="hall-{odd.id}"')
    assert MARK not in row_of(html, f'id="hall-{usual.id}"')
    assert "Unusual" not in html


def test_the_hall_board_marks_it_and_a_later_count_clears_it(
    client, make: Factory, organiser
) -> None:
    event, (odd, usual) = two_halls(make, 4500, 40)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert MARK in row_of(html, f'data-hall="{odd.org_unit.code}"')
    assert MARK not in row_of(html, f'data-hall="{usual.org_unit.code}"')
    services.record_report(odd, "corrected-0001", 45, [], utcnow())  # the officer sent it again
    db.session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert MARK not in html
