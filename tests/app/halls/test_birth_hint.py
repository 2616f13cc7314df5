"""The check-in's birth box takes "15/06/1990" but keeps 1990 only (less personal data): the box
says so, so nobody expects the date back."""

from __future__ import annotations

import re

from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

SAID = "Năm sinh hoặc ngày sinh (chỉ lưu năm sinh)"


def test_the_birth_box_says_only_the_year_is_kept(client, make: Factory) -> None:
    event = make.event(HOME, title="Hội nghị tập huấn", channel="online_conference")
    (point,) = services.set_bridge_points(event, commune_codes(n=1), {})
    db.session.commit()
    html = client.get(f"/checkin/{point.checkin_token}").get_data(as_text=True)
    assert re.search(rf'<label for="birth-0">{re.escape(SAID)}</label>', html)
    assert ">Năm sinh hoặc ngày sinh<" not in html
