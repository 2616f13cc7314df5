"""PUBLIC_BASE_URL: checked at start-up, the base of links built with or without a request."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.public_urls import BadPublicBaseUrl, local_only, normalise_base_url, public_url
from tests.conftest import _config


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        (None, None),
        ("  ", None),
        ("https://lantoa.bhxhnghean.vn/", "https://lantoa.bhxhnghean.vn"),
        ("http://192.0.2.10:8080", "http://192.0.2.10:8080"),
        ("https://bhxh.example.vn/lantoa/", "https://bhxh.example.vn/lantoa"),
    ],
)
def test_the_setting_is_kept_without_its_trailing_slash(given: str | None, kept: str | None):
    assert normalise_base_url(given) == kept


@pytest.mark.parametrize(
    "given",
    ["lantoa.bhxhnghean.vn", "ftp://lantoa.vn", "https://", "https://x.vn/?a=1",
     "https://x.vn/#top", "https://user:pw@x.vn"],
)  # fmt: skip
def test_a_setting_no_phone_could_open_stops_start_up(given: str, tmp_path: Path) -> None:
    with pytest.raises(BadPublicBaseUrl, match="PUBLIC_BASE_URL"):
        normalise_base_url(given)
    config = {**_config("sqlite:///" + str(tmp_path / "x.sqlite3"), tmp_path / "instance"),
              "PUBLIC_BASE_URL": given}  # fmt: skip
    with pytest.raises(BadPublicBaseUrl):
        create_app(config)


def test_links_are_built_under_the_base_even_without_a_request(app: Flask) -> None:
    app.config["PUBLIC_BASE_URL"] = "https://bhxh.example.vn/lantoa"
    assert public_url("checkin.page", token="AbC") == "https://bhxh.example.vn/lantoa/checkin/AbC"


def test_without_the_setting_the_requests_address_is_used(app: Flask) -> None:
    app.config["PUBLIC_BASE_URL"] = None
    with app.test_request_context("/", base_url="http://10.0.0.5:5000"):
        assert public_url("checkin.page", token="AbC") == "http://10.0.0.5:5000/checkin/AbC"
        assert not local_only()


@pytest.mark.parametrize(
    "base", ["http://127.0.0.1:5000", "http://localhost:5000", "http://[::1]:5000"]
)
def test_loopback_links_are_local_only(app: Flask, base: str) -> None:
    app.config["PUBLIC_BASE_URL"] = None
    with app.test_request_context("/", base_url=base):
        assert local_only()
    app.config["PUBLIC_BASE_URL"] = "https://lantoa.example.vn"
    with app.test_request_context("/", base_url=base):
        assert not local_only()
