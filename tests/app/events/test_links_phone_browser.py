"""The links' confirmation on a phone (headless Chromium, 390 px), after a new event's form: each
pasted line is a card that fits the screen (the object on top, then its box, state, times and
account, each under its heading), a refused line's card says why; nothing scrolls sideways, not
the page and not the table inside its box. The form's fields paired on a laptop are spaced on the
phone as the others are. A screenshot is kept (``links-new-390.png``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from sandbox import Sandbox
from tests.app.collection.pasted import connect_all, links
from tests.app.live.pages import log_in
from tests.app.live.webserver import WebProcess
from tests.conftest import Factory, committing_app

pytestmark = pytest.mark.committing

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    yield from committing_app(database_url, tmp_path / "instance", timeout=2.0)


def gap(page, above: str, label_for: str) -> float:  # type: ignore[no-untyped-def]
    """Pixels from a box's bottom to the next field's label."""
    box, label = page.locator(above).bounding_box(), page.locator(f"label[for={label_for}]")
    top = label.bounding_box()
    assert box
    assert top
    return top["y"] - (box["y"] + box["height"])


def test_the_new_event_s_links_read_as_cards_on_a_phone(
    app: Flask, web: WebProcess, browser, make: Factory, sandbox: Sandbox, tmp_path: Path
) -> None:
    officer = make.user("officer")
    connect_all(make, sandbox)
    known = links(sandbox)
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, web.url, officer.email)
    page.goto(f"{web.url}/events/new")
    page.fill("#title", "Livestream hỏi đáp BHXH tự nguyện tháng 12")
    # Fields side by side on a laptop ("Kênh" and "Trạng thái") are spaced under each other on a
    # phone as the form's other fields are, not a row's gap further apart.
    alone, paired = gap(page, "#title", "channel"), gap(page, "#channel", "status")
    assert abs(paired - alone) < 1, (alone, paired)
    page.select_option("#channel", "livestream")
    page.fill("#links", "\n".join([known["facebook"][0], known["youtube"][0]]))
    with page.expect_navigation():
        page.click("form[data-submit-once] button[type=submit]")
    page.locator("table.links").wait_for()
    page.fill("section.paste-links textarea", "\n".join(
        [known["facebook"][0], known["youtube"][0],
         "https://facebook.com.evil.example/bhxh/videos/5566778899001122"]))  # fmt: skip
    with page.expect_navigation():
        page.click("section.paste-links button[type=submit]")
    page.screenshot(path=str(tmp_path / "links-new-390.png"), full_page=True)

    table = page.locator("table.links")
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), "the table scrolls in its box"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("table.links thead").is_hidden()  # each value under its own heading
    cards = page.locator("table.links tr.ready")
    assert cards.count() == 2
    first = cards.first
    # The object's title heads its card, above the box that tracks it.
    title = first.locator(".object-title").bounding_box()
    box = first.locator("input[type=checkbox]").bounding_box()
    assert title
    assert box
    assert title["y"] < box["y"]
    labels = first.locator("td[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels == ['"Theo dõi"', '"Trạng thái"', '"Bắt đầu"', '"Tài khoản"']
    for cell in first.locator("td").all():  # every cell inside the screen
        b = cell.bounding_box()
        assert b is not None
        assert b["x"] >= 0
        assert b["x"] + b["width"] <= PHONE["width"]
    refused = page.locator("table.links tr.refused")
    assert "Lan Tỏa không thu thập từ facebook.com.evil.example" in refused.inner_text()
    assert refused.locator("td").first.is_hidden()  # its "—" box column, empty on a card
