"""The event page's halls part says "Halls" once: its heading. An in-person conference with no
hall showed "Điểm cầu" twice in a row (the heading, then a button named the same) and only then
"Chưa có điểm cầu nào.". Now the sentence comes under the heading and the button says what it
does: "Thêm điểm cầu" with no hall yet, "Quản lý điểm cầu" once there are some."""

from __future__ import annotations

import re

from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.conftest import Factory


def halls_part(html: str) -> str:
    """The page from the halls' heading to the next heading, tags stripped, one line per block."""
    start = html.index("<h2>Điểm cầu</h2>")
    end = html.find("<h2", start + 1)
    part = html[start : end if end > 0 else None]
    part = re.sub(r"<form.*?</form>", "", part, flags=re.S)  # the tracking form's own words
    text = re.sub(r"<[^>]+>", "\n", part)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def test_no_hall_yet_one_heading_then_the_sentence_and_the_button(
    client, make: Factory, logged_in
) -> None:
    logged_in("officer")
    event = event_with_channel(make, "conference")
    db.session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    part = halls_part(html)
    assert part.split("\n")[:3] == ["Điểm cầu", "Chưa có điểm cầu nào.", "Thêm điểm cầu"]
    assert part.split("\n").count("Điểm cầu") == 1
    assert f'href="/events/{event.id}/bridge-points"' in html


def test_with_halls_the_button_is_not_a_second_heading(client, make: Factory, logged_in) -> None:
    logged_in("officer")
    event = event_with_channel(make, "conference")
    codes = commune_codes(n=2)
    services.set_bridge_points(event, codes, dict.fromkeys(codes, 30))
    db.session.commit()
    part = halls_part(client.get(f"/events/{event.id}").get_data(as_text=True))
    lines = part.split("\n")
    assert lines[:3] == ["Điểm cầu", "Quản lý điểm cầu", "In đường dẫn"]  # then the board
    assert "Chưa có điểm cầu nào." not in lines


def test_a_viewer_sees_the_heading_and_the_sentence_alone(client, make: Factory, logged_in) -> None:
    logged_in("viewer")
    event = event_with_channel(make, "conference")
    db.session.commit()
    part = halls_part(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert part.split("\n")[:2] == ["Điểm cầu", "Chưa có điểm cầu nào."]
    assert "Thêm điểm cầu" not in part
