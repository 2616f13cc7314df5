"""Named livestreams the sandbox can play, by the name ``flask sandbox run --scenario`` takes.

``dien-bien`` is the one of the acceptance checks: a province office's fanpage livestream that
reported 1,700 views, 534 reactions, 139 shares and 105 comments. Every figure is reached by the
end of the broadcast (nothing settles later), so the views the officer sees at the end are the
1,700 of the report.
"""

from __future__ import annotations

from sandbox.scenario.params import ScenarioParams

DIEN_BIEN = ScenarioParams(
    title="BHYT học sinh, sinh viên - Bảo vệ, chăm sóc sức khỏe thế hệ trẻ",
    description="Livestream tuyên truyền chính sách BHYT học sinh, sinh viên của BHXH tỉnh",
    page_name="BHXH tỉnh Điện Biên",
    final_views=1700,
    final_reactions=534,
    final_shares=139,
    comment_count=105,
    deleted_comments=0,  # every comment stays: 105 at the end, as reported
    hidden_comments=0,
    live_share_of_views=1.0,
    late_share=0.0,
)
PRESETS: dict[str, ScenarioParams] = {"default": ScenarioParams(), "dien-bien": DIEN_BIEN}
