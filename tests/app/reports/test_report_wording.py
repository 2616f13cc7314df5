"""The report pages' and documents' words as a Vietnamese reader meets them."""

from __future__ import annotations

from tests.conftest import HOME, login


def test_a_bad_filter_value_is_quoted_the_vietnamese_way(client, make) -> None:
    """The value as typed between “…”, not Python's repr ('31/02/2026')."""
    login(client, make.user("viewer", HOME).email)
    response = client.get("/reports/channels", query_string={"from": "31/02/2026"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Từ ngày: ngày không có thật: “31/02/2026”; hãy chọn lại ngày" in html
    assert "&#39;31/02/2026&#39;" not in html
    assert "'31/02/2026'" not in html
