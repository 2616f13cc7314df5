"""Graph batch requests, usage headers and throttling over real HTTP.

Pins batch requests ( top-level token required, at most 50 operations, one
``{"code","headers","body"}`` per item in order, a failing item leaves the others alone, each item
counts as a call) and usage (``X-App-Usage`` and ``X-Business-Use-Case-Usage`` keyed by the Page
id, percentages of a rolling hour; code 4 at 100 % of the app budget, 80001 with
``estimated_time_to_regain_access`` in minutes at 100 % of the Page budget; access returns as
calls leave the window).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from sandbox import FacebookSettings, Sandbox


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    settings = FacebookSettings(app_calls_per_hour=40, page_calls_per_hour=20)
    with Sandbox.start(facebook=settings) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(server: Sandbox) -> Sandbox:
    server.reset()
    server.clock.set(server.scenario.live_start + 600)
    return server


def batch(sandbox: Sandbox, ops: list[dict[str, Any]], **form: Any) -> requests.Response:
    data = {"batch": json.dumps(ops), "access_token": sandbox.facebook_token, **form}
    return requests.post(f"{sandbox.facebook_url}/", data=data, timeout=5)


def usage(response: requests.Response, page_id: str) -> tuple[int, dict[str, int]]:
    app = json.loads(response.headers["X-App-Usage"])
    assert set(app) == {"call_count", "total_cputime", "total_time"}
    (buc,) = json.loads(response.headers["X-Business-Use-Case-Usage"])[page_id]
    assert buc["type"] == "pages"
    return app["call_count"], buc


def read(sandbox: Sandbox) -> requests.Response:
    return requests.get(
        f"{sandbox.facebook_url}/{sandbox.scenario.params.live_video_id}",
        params={"fields": "live_views"},
        headers={"Authorization": f"Bearer {sandbox.facebook_token}"},
        timeout=5,
    )


def test_batch_answers_each_item_in_order_and_failures_stay_local(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    ops = [
        {"method": "GET", "relative_url": f"{p.live_video_id}?fields=status,live_views"},
        {"method": "GET", "relative_url": "v25.0/does-not-exist?fields=id"},
        {"method": "GET", "relative_url": f"{p.post_id}?fields=nonsense"},
        {"method": "GET", "relative_url": f"/{p.live_video_id}/comments?limit=2&filter=stream"},
    ]
    response = batch(sandbox, ops)
    assert response.status_code == 200
    items = response.json()
    assert [item["code"] for item in items] == [200, 400, 400, 200]
    assert all(isinstance(item["body"], str) for item in items)
    bodies = [json.loads(item["body"]) for item in items]
    assert bodies[0]["status"] == "LIVE"
    assert bodies[1]["error"]["error_subcode"] == 33
    assert bodies[2]["error"]["code"] == 100
    assert len(bodies[3]["data"]) == 2
    assert {"name": "Content-Type", "value": "application/json; charset=UTF-8"} in items[0][
        "headers"
    ]
    assert "headers" not in batch(sandbox, ops[:1], include_headers="false").json()[0]


def test_batch_needs_a_top_level_token_and_at_most_50_items(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    op = {"method": "GET", "relative_url": f"{p.page_id}?access_token={sandbox.facebook_token}"}
    no_token = requests.post(
        f"{sandbox.facebook_url}/", data={"batch": json.dumps([op])}, timeout=5
    )
    assert no_token.status_code == 400
    assert no_token.json()["error"]["code"] == 104
    too_many = batch(sandbox, [op] * 51)
    assert too_many.status_code == 400
    assert "Maximum batch size is 50" in too_many.json()["error"]["message"]
    assert batch(sandbox, [op] * 5).status_code == 200
    assert (
        batch(
            sandbox,
            [],
        ).json()["error"]["code"]
        == 100
    )
    assert (
        requests.post(
            f"{sandbox.facebook_url}/",
            data={"batch": "[{", "access_token": sandbox.facebook_token},
            timeout=5,
        ).json()["error"]["code"]
        == 100
    )


def test_item_tokens_override_the_top_level_one(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    ops = [
        {"method": "GET", "relative_url": f"{p.page_id}?access_token=EAAwrong"},
        {"method": "GET", "relative_url": p.page_id},
    ]
    first, second = batch(sandbox, ops).json()
    assert json.loads(first["body"])["error"]["code"] == 190
    assert second["code"] == 200


def test_usage_headers_climb_with_calls_and_batch_items(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    app, buc = usage(read(sandbox), p.page_id)
    assert (app, buc["call_count"]) == (2, 5)  # 1 call of 40 and of 20
    op = {"method": "GET", "relative_url": f"{p.live_video_id}?fields=id"}
    app, buc = usage(batch(sandbox, [op] * 3), p.page_id)
    assert (app, buc["call_count"]) == (10, 20)  # 4 calls: each batch item counts
    ids = f"{p.live_video_id},{p.post_id}"
    response = requests.get(
        f"{sandbox.facebook_url}/",
        params={"ids": ids, "access_token": sandbox.facebook_token},
        timeout=5,
    )
    assert usage(response, p.page_id)[1]["call_count"] == 30  # each id counts
    assert buc["estimated_time_to_regain_access"] == 0


def test_page_budget_throttles_with_80001_until_calls_leave_the_hour(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    for _ in range(20):
        assert read(sandbox).status_code == 200
    throttled = read(sandbox)
    body = throttled.json()["error"]
    assert throttled.status_code == 400
    assert (body["code"], body["is_transient"]) == (80001, True)
    _, buc = usage(throttled, p.page_id)
    assert buc["call_count"] == 100
    assert buc["estimated_time_to_regain_access"] == 60
    sandbox.advance(30 * 60)
    assert read(sandbox).json()["error"]["code"] == 80001  # throttled calls do not count
    sandbox.advance(30 * 60)
    recovered = read(sandbox)
    assert recovered.status_code == 200
    assert usage(recovered, p.page_id)[1]["call_count"] == 5


def test_app_budget_throttles_with_code_4(sandbox: Sandbox) -> None:
    sandbox.facebook.page_usage.budget = 1000
    try:
        for _ in range(40):
            assert read(sandbox).status_code == 200
        throttled = read(sandbox)
        assert throttled.json()["error"]["code"] == 4
        assert usage(throttled, sandbox.scenario.params.page_id)[0] == 100
    finally:
        sandbox.facebook.page_usage.budget = 20


def test_batch_items_are_throttled_one_by_one(sandbox: Sandbox) -> None:
    p = sandbox.scenario.params
    op = {"method": "GET", "relative_url": f"{p.live_video_id}?fields=id"}
    items = batch(sandbox, [op] * 22).json()
    codes = [json.loads(item["body"]).get("error", {}).get("code") for item in items]
    assert codes == [None] * 20 + [80001, 80001]
