"""The sandbox's root page lists what a newcomer can paste on a new event, platform by platform
(it answered 404, and the event form's tip named only Facebook)."""

from __future__ import annotations

import re
import urllib.request

from sandbox import Sandbox
from sandbox.clock import ManualClock
from sandbox.scenario import Scenario


def test_the_root_page_lists_a_link_per_platform() -> None:
    with Sandbox.start(scenario=Scenario(scheduled_in=1800), clock=ManualClock()) as sandbox:
        with urllib.request.urlopen(sandbox.url + "/") as answer:
            assert answer.status == 200
            html = answer.read().decode()
        p = sandbox.scenario.params
        for platform in ("Facebook", "YouTube", "Zoom", "Microsoft Teams", "Google Meet",
                         "BigBlueButton"):  # fmt: skip
            assert f"<h2>{platform}</h2>" in html
        assert f"https://www.youtube.com/watch?v={p.youtube_video_id}" in html
        assert sandbox.scheduled_link in html
        assert "Video trực tiếp đã lên lịch" in html
        assert len(re.findall(r'<a href="https://', html)) == 7
        # it speaks of itself as the interface does, not as "Sandbox"
        assert "<h1>Môi trường chạy thử của Lan Tỏa</h1>" in html
        assert "sandbox" not in re.sub(r"<[^>]*>|https?://\S+", "", html).lower()
