"""Collection status in plain words, on /collection and in the API."""

from __future__ import annotations

from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from tests.conftest import HOME, Factory


def test_status_page_and_api_explain_a_paused_account(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    account = make.account(HOME, name="Fanpage hết hạn", health="auth_expired")
    event = make.event(HOME, title="Live tối nay")
    make.target(event, account, paused_reason="auth_expired", last_error="token expired (code 190)")
    healthy = make.account(HOME, name="Kênh ổn", rate_limit_usage={"usage_pct": 42})
    make.account(HOME, name="Kênh YouTube", rate_limit_usage={"quota_units": 475,
                                                            "quota_limit": 10_000})  # fmt: skip
    make.target(event, healthy, external_id="2", status="live")
    user = logged_in("viewer")
    html = client.get("/collection").get_data(as_text=True)
    assert "Mã truy cập đã hết hạn: cần cấp quyền lại cho tài khoản này" in html
    assert "Tạm dừng: mã truy cập của tài khoản đã hết hạn" in html
    assert "token expired (code 190)" in html
    assert "Đang phát trực tiếp: đang thu thập" in html
    assert "42 %" in html
    assert '<td class="num">475 / 10.000</td>' in html  # units of the day's allowance
    assert '<td class="num">—</td>' in html  # an account with no such allowance
    assert "Video trực tiếp Facebook · 1" in html
    assert "facebook_live" not in html
    assert "<td>Facebook</td>" in html
    assert "<td>facebook</td>" not in html
    token = issue_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    targets = client.get(f"/api/v1/events/{event.id}/targets", headers=headers).get_json()
    states = {t["external_id"]: t["state"] for t in targets}
    assert states == {
        "1": "Paused: the account's access token expired",
        "2": "Live: collecting",
    }
    accounts = client.get("/api/v1/accounts", headers=headers).get_json()
    assert {a["name"]: a["health"] for a in accounts} == {
        "Fanpage hết hạn": "auth_expired",
        "Kênh ổn": "ok",
        "Kênh YouTube": "ok",
    }
    assert all("credentials" not in a for a in accounts)
