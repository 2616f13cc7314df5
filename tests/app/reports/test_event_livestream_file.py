"""A finished livestream's figures downloaded from its own page (the officer found no report
there: exports lived under "So sánh kênh truyền thông" alone, and the month's report was not in
the menu). The livestreams of ``test_livestreams``: E5 beside its office's four earlier ones."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.app.reports.test_livestreams import streams  # noqa: F401  (the fixture)
from tests.conftest import HOME, OTHER, login


@pytest.mark.postgres
def test_the_event_page_downloads_its_figures_as_excel(client, make, streams) -> None:  # noqa: F811
    login(client, make.user("viewer", HOME).email)
    page = client.get(f"/events/{streams['E5'].id}").get_data(as_text=True)
    link = re.search(r'id="after-download" href="([^"]+)"', page).group(1)
    assert 'id="menu-monthly"' in page  # the month's report is in the menu
    answer = client.get(link)
    assert answer.status_code == 200
    assert f"su-kien-{streams['E5'].id}" in answer.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.data))
    assert book.properties.creator.startswith("Bảo hiểm xã hội")
    mine, earlier = book.worksheets
    rows = {r[0]: r[1:] for r in mine.iter_rows(min_row=4, values_only=True) if r[0]}
    # The page's own figures and words: the views, ratio to the median.
    assert rows["Lượt xem"][0] == "4.200"
    assert rows["Lượt xem"][2] == "4,2 lần"
    assert "Sau buổi livestream" in mine["A1"].value
    titles = [r[1] for r in earlier.iter_rows(min_row=4, values_only=True) if r[1]]
    assert len(titles) == 4


def test_no_file_for_an_event_not_a_finished_livestream(client, make, streams) -> None:  # noqa: F811
    login(client, make.user("viewer", HOME).email)
    answer = client.get(f"/events/{streams['L'].id}/livestream.xlsx", follow_redirects=True)
    assert answer.request.path == f"/events/{streams['L'].id}"
    assert "chưa có buổi livestream đã kết thúc" in answer.get_data(as_text=True)


def test_no_file_of_another_office(client, make, streams) -> None:  # noqa: F811
    login(client, make.user("viewer", OTHER).email)
    assert client.get(f"/events/{streams['E5'].id}/livestream.xlsx").status_code == 404
