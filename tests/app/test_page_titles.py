"""Page titles read "<page> · <what it is about> · Lan Tỏa": one separator on every tab.

The follow-up list said "Danh sách liên hệ tiếp — <event>" beside "Nhập danh sách người tham dự ·
<event>" and "Hội trường · <event>" in the same browser.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from tests.conftest import Factory

ROOT = Path(__file__).resolve().parents[2]
TITLE = re.compile(r"{% block title %}(.*?){% endblock %}", re.DOTALL)


def test_every_page_title_separates_its_parts_with_a_middle_dot() -> None:
    titles = {
        f"{path.relative_to(ROOT)}: {match.group(1)}"
        for path in (ROOT / "app/templates").rglob("*.html")
        for match in TITLE.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(titles) > 30
    dashed = sorted(title for title in titles if re.search(r"\s[—–-]\s", title))
    assert not dashed, dashed


def test_the_follow_up_list_is_titled_like_the_other_pages_of_an_event(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    event = make.event(title="Hội nghị BHYT hộ gia đình")
    logged_in("officer")
    response = client.get(f"/events/{event.id}/follow-up")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Danh sách liên hệ tiếp · Hội nghị BHYT hộ gia đình · Lan Tỏa</title>" in html
