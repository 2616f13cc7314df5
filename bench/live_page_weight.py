"""Live page weight and time to first counters in headless Chromium.

Serves the app (Flask-SocketIO in this process, Werkzeug threads) on a fresh SQLite database with
one livestream event holding 360 samples and 150 comments, logs a viewer in, then loads
``/events/<id>/live`` three ways and reports, from Chrome DevTools Protocol Network events
(``encodedDataLength``: bytes on the wire, headers included):

- cold cache, compressed (what the browser asks for: zstd/br/gzip),
- cold cache, ``Accept-Encoding: identity`` (what compression saves),
- warm cache (the same page loaded again: fingerprinted assets come from the browser cache),

and for each: the time from navigation start to the counters painted (server-rendered, first
contentful paint) and to the first socket snapshot applied (``data-seq`` set on the body).

    .venv/bin/python bench/live_page_weight.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._setup import bench_app  # noqa: E402

PASSWORD = "bench password 123"


def seed(app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    from app.auth.passwords import hash_password
    from app.collection.targets import add_target
    from app.extensions import db
    from app.models import (
        Channel,
        Comment,
        EngagementSample,
        Event,
        EventStatus,
        OrgUnit,
        Platform,
        PlatformAccount,
        Role,
        User,
    )

    unit = db.session.query(OrgUnit).filter_by(code="40").one()
    user = User(email="viewer@bench.vn", role=Role.VIEWER, org_unit=unit,
                password_hash=hash_password(PASSWORD))  # fmt: skip
    start = datetime.now(UTC) - timedelta(hours=1)
    event = Event(title="Livestream tư vấn BHXH tự nguyện", channel=Channel.LIVESTREAM,
                  status=EventStatus.LIVE, org_unit=unit, cost_vnd=0, planned_start=start,
                  planned_end=start + timedelta(hours=2), actual_start=start)  # fmt: skip
    account = PlatformAccount(platform=Platform.FACEBOOK, name="Fanpage", org_unit=unit,
                              credentials={"access_token": "x"}, health="ok", health_detail="",
                              rate_limit_usage={})  # fmt: skip
    db.session.add_all([user, event, account])
    db.session.flush()
    target = add_target(event.id, "facebook_live", "1", account_id=account.id, status="live",
                        last_success_at=datetime.now(UTC))  # fmt: skip
    db.session.flush()
    for i in range(360):
        at = start + timedelta(seconds=10 * i)
        db.session.add(EngagementSample(target_id=target.id, sampled_at=at, views=10 * i,
                                        live_viewers=100 + (i * 7) % 300, shares=i // 5,
                                        reactions_like=i, reactions_love=i // 3))  # fmt: skip
    for i in range(150):
        lead = i % 4 == 0
        db.session.add(Comment(target_id=target.id, external_id=f"c{i}",
                               author_name=f"Người xem {i}", is_lead=lead,
                               message=f"Cho em hỏi mức đóng BHXH tự nguyện {i}",
                               lead_intents=["muc_dong"] if lead else [],
                               created_at=start + timedelta(seconds=20 * i)))  # fmt: skip
    db.session.commit()
    return event.id, user.email


def serve(app) -> str:  # type: ignore[no-untyped-def]
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def measure(page, cdp, url: str) -> dict:  # type: ignore[no-untyped-def]
    sizes: dict[str, float] = {}
    kinds: dict[str, str] = {}

    def on_response(event: dict) -> None:
        kinds[event["requestId"]] = event["response"]["url"].split("?")[0].rsplit("/", 1)[-1]

    def on_finished(event: dict) -> None:
        sizes[event["requestId"]] = event["encodedDataLength"]

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function("document.body && document.body.hasAttribute('data-seq')", timeout=30000)
    snapshot_ms = (time.perf_counter() - t0) * 1000
    page.wait_for_load_state("load")
    fcp = page.evaluate(
        "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
    )
    time.sleep(0.3)
    cdp.remove_listener("Network.responseReceived", on_response)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    by_file = {kinds.get(k, "?"): v for k, v in sizes.items()}
    return {
        "bytes": sum(sizes.values()),
        "files": by_file,
        "fcp_ms": fcp,
        "snapshot_ms": snapshot_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import logging

    from playwright.sync_api import sync_playwright

    from tests.servers import CHROMIUM, CHROMIUM_ARGS

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with bench_app("sqlite") as app:
        event_id, email = seed(app)
        base = serve(app)
        url = f"{base}/events/{event_id}/live"
        results: dict[str, list[dict]] = {"cold": [], "cold, identity": [], "warm": []}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                for mode in ("cold", "cold, identity"):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(base + "/login")
                    page.fill("#email", email)
                    page.fill("#password", PASSWORD)
                    with page.expect_navigation():
                        page.click("main button[type=submit]")
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.clearBrowserCache")
                    if mode.endswith("identity"):
                        cdp.send("Network.setExtraHTTPHeaders",
                                 {"headers": {"Accept-Encoding": "identity"}})  # fmt: skip
                    results[mode].append(measure(page, cdp, url))
                    if mode == "cold":
                        page.goto(base + "/events")
                        results["warm"].append(measure(page, cdp, url))
                    context.close()
            browser.close()
    print(f"live page weight, {args.runs} runs each (median); Chromium {CHROMIUM}")
    for mode, runs in results.items():
        print(f"  {mode}: snapshot ms per run", [round(r["snapshot_ms"]) for r in runs])
    for mode, runs in results.items():
        kb = statistics.median(r["bytes"] for r in runs) / 1024
        fcp = statistics.median(r["fcp_ms"] or 0 for r in runs)
        snap = statistics.median(r["snapshot_ms"] for r in runs)
        print(f"  {mode:16s} {kb:8.1f} KiB transferred   counters painted {fcp:6.0f} ms   "
              f"first snapshot applied {snap:6.0f} ms")  # fmt: skip
        for name, size in sorted(runs[-1]["files"].items(), key=lambda kv: -kv[1]):
            print(f"      {size / 1024:8.1f} KiB  {name}")


if __name__ == "__main__":
    main()
