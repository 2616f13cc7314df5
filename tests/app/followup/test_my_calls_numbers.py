""" "My calls" offers no call's outcome needing a number to a lead who left none: the row's
button says so (``data-no-number``) by the server's one rule (app.followup.numbers_left), which
counts a number left in a comment, not only the one on the person's record."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Person
from tests.app.followup.calls_world import LATE, calls_world, person_id
from tests.conftest import Factory, login


def _buttons(html: str) -> dict[int, str]:
    """Each row's button of the editor, by person."""
    found = re.findall(r'<button type="button" class="lead-edit"[^>]*>', html)
    return {int(re.search(r'data-person="(\d+)"', b).group(1)): b for b in found}


def test_a_lead_with_no_number_is_marked_for_the_editor(
    make: Factory, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = calls_world(make)
    ha = db.session.get(Person, person_id("Lê Thị Hà"))
    ha.phone, ha.phone_bidx = None, None  # her number struck off: none is left anywhere
    db.session.commit()
    monkeypatch.setattr("app.followup.calls_page.utcnow", lambda: LATE)
    login(client, w.me.email)
    html = client.get("/follow-up/calls").get_data(as_text=True)
    buttons = _buttons(html)
    assert "data-no-number" in buttons[ha.id]
    # Ánh's record has no number but his comment does: he may be called (the server agrees).
    assert "data-no-number" not in buttons[w.world.my_lead]
    assert "data-no-number" not in buttons[person_id("Phan Văn Cường")]
    # The editor marks the outcomes needing one and holds the reason, hidden until asked.
    assert re.search(r'<option value="called"[^>]* data-needs-number>Đã gọi</option>', html)
    assert re.search(r'<option value="wrong_number"[^>]* data-needs-number>', html)
    assert not re.search(r'<option value="call_back"[^>]* data-needs-number', html)
    assert '<p class="lead-editor-no-number muted" hidden>Người này không để lại số' in html
