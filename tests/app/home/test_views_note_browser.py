"""The home card's note on views still to come, in headless Chromium at 1366 and 390 px.

A tour found "(YouTube đến lúc này; Facebook có khi buổi phát kết thúc)" drawn in the card's big
bold figure style over four lines: a ``<small>`` inside the figure's ``<dd>`` took its size and
weight. It is a small muted note under the figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.extensions import db
from app.models import EngagementSample, EventStatus, Platform
from tests.app.events.provincial import stop_clock
from tests.app.home.conftest import NOW, vn
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
STYLE_JS = """el => { const s = getComputedStyle(el);
  return [parseFloat(s.fontSize), s.fontWeight, s.display]; }"""


@pytest.mark.parametrize("width", [1366, 390])
def test_the_views_note_is_small_and_under_the_figure(
    live_server: str, browser, make: Factory, monkeypatch, tmp_path: Path, width: int
) -> None:
    event = make.event(HOME, title="Livestream hai nền tảng", status=EventStatus.LIVE,
                       planned_start=vn(25, 9), actual_start=vn(25, 9))  # fmt: skip
    fb = make.target(event, make.account(name="Fanpage"), external_id="live-3", status="live")
    yt = make.target(event, make.account(name="Kênh YouTube", platform=Platform.YOUTUBE),
                     kind="youtube_live", external_id="bhxhTNLive1", status="live")  # fmt: skip
    db.session.add_all([
        EngagementSample(target_id=fb.id, sampled_at=vn(25, 9, 30), live_viewers=30, extra={}),
        EngagementSample(target_id=yt.id, sampled_at=vn(25, 9, 30), live_viewers=20,
                         views=2500, extra={}),
    ])  # fmt: skip
    db.session.commit()
    stop_clock(monkeypatch, NOW)
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    views = page.locator(f'article.now[data-event="{event.id}"] [data-key="views"] dd')
    note = views.locator(".views-pending")
    assert "Facebook có khi buổi phát kết thúc" in note.inner_text()
    figure_size, figure_weight, _ = views.evaluate(STYLE_JS)
    size, weight, display = note.evaluate(STYLE_JS)
    assert int(figure_weight) >= 600  # the figure bold
    assert int(weight) < 600  # the note not
    assert size < figure_size * 0.7
    assert display == "block"  # on its own line, under the figure
    page.screenshot(path=str(shots(tmp_path) / f"home-views-note-{width}.png"), full_page=True)
    page.close()
