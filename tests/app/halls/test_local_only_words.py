"""A check-in link naming a loopback address is never shown without saying phones cannot open it.

A tour found the commune officer's hall card showing ``http://127.0.0.1:5096/checkin/…`` and its
QR code with no word, while the organisers' page warned in setting words (PUBLIC_BASE_URL,
README) and its ready-made Zalo message carried the same links unannounced. Every such place now
says it plainly; only an administrator's technical fold names the setting.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from tests.app.events.provincial import Provincial, provincial, stop_clock
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.conftest import Factory, login

PLAIN = "Liên kết này chỉ mở được trên chính máy chủ"
ASK = "hãy nhờ quản trị viên cấu hình địa chỉ công khai"


@pytest.fixture
def world(app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch) -> Provincial:
    stop_clock(monkeypatch)
    return provincial(make)


def test_the_commune_officers_hall_card_warns_beside_its_link(
    app: Flask, client: FlaskClient, world: Provincial, make: Factory
) -> None:
    app.config["PUBLIC_BASE_URL"] = None
    login(client, make.user("officer", world.mine).email)
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    card = re.search(r'<div class="card own-hall".*?</div>', html, re.S)[0]
    assert f"http://localhost/checkin/{world.my_token}" in card
    warning = re.search(r'id="local-only-1">(.*?)</p>', card, re.S)[1]
    assert PLAIN in warning
    assert ASK in warning
    assert "PUBLIC_BASE_URL" not in html
    assert "README" not in html


def test_with_a_public_address_the_card_says_nothing(
    app: Flask, client: FlaskClient, world: Provincial, make: Factory
) -> None:
    app.config["PUBLIC_BASE_URL"] = "https://lantoa.bhxhnghean.vn"
    login(client, make.user("officer", world.mine).email)
    html = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert f"https://lantoa.bhxhnghean.vn/checkin/{world.my_token}" in html
    assert PLAIN not in html


def test_the_zalo_message_is_warned_above_and_the_admin_gets_a_fold(
    app: Flask, client: FlaskClient, make: Factory, logged_in
) -> None:
    app.config["PUBLIC_BASE_URL"] = None
    event = event_with_channel(make)
    services.set_bridge_points(event, commune_codes(n=2), {})
    db.session.commit()
    logged_in("admin")
    html = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    share = html[html.index('id="share"') :]
    warning = re.search(r'id="local-only-share">(.*?)</p>', share, re.S)
    assert warning is not None
    assert PLAIN in warning[1]
    assert share.index('id="local-only-share"') < share.index('id="share-text"')  # above it
    assert "http://localhost/checkin/" in share[share.index('id="share-text"') :]
    top = re.search(r'id="local-only">(.*?)</p>', html, re.S)[1]
    assert PLAIN in top
    assert "PUBLIC_BASE_URL" not in top
    fold = re.search(r'id="local-only-setting">(.*?)</details>', html, re.S)[1]
    assert "PUBLIC_BASE_URL" in fold
    assert "Chi tiết kỹ thuật" in fold
