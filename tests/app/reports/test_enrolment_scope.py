"""Each page says whose enrolments it credits, so pages that disagree can be compared.

The channel comparison of a unit credits the enrolments of every scheme; filtered to a campaign,
and on the campaign's page, only those of the campaign's scheme. The tour found the online
conference credited with 9 unfiltered and 4 filtered to its own campaign, without a word why.
"""

from __future__ import annotations

from tests.app.reports.conftest import OCTOBER
from tests.conftest import HOME, login

# "Người tham gia được ghi nhận" read as "participants recorded": these are enrolments credited.
LABEL = "Lượt tham gia BHXH và BHYT được ghi công: "
EVERY = (
    LABEL + "Tính mọi loại hình (BHXH tự nguyện, BHYT hộ gia đình và loại hình khác). "
    "Ở đây, sự kiện của một chiến dịch được ghi công lượt tham gia mới của người dự ở mọi loại "
    "hình; danh sách liên hệ của sự kiện chỉ tính loại hình của chiến dịch nên có thể ít hơn."
)
ONLY = "Chỉ tính loại hình của chiến dịch: BHXH tự nguyện."


def _scope(html: str) -> str:
    start = html.index('id="enrolment-scope">') + len('id="enrolment-scope">')
    return html[start : html.index("</p>", start)].strip()


def test_each_page_says_which_schemes_it_counts(client, make, month) -> None:
    login(client, make.user("manager", HOME).email)
    unfiltered = client.get("/reports/channels", query_string={**OCTOBER, "org_unit": HOME})
    assert _scope(unfiltered.get_data(as_text=True)) == EVERY
    filtered = client.get(
        "/reports/channels",
        query_string={**OCTOBER, "org_unit": HOME, "campaign_id": month.campaign_id},
    )
    assert _scope(filtered.get_data(as_text=True)) == LABEL + ONLY
    campaign = client.get(f"/reports/campaigns/{month.campaign_id}")
    assert _scope(campaign.get_data(as_text=True)) == ONLY
    monthly = client.get("/reports/monthly", query_string={"period": "2026-10", "org_unit": HOME})
    assert _scope(monthly.get_data(as_text=True)) == EVERY
