"""Load times of the pages with charts (and the enrolment import's preview) in headless Chromium.

Serves the app (Werkzeug threads, this process) on a fresh SQLite database holding the demo
province (app.demo.province: campaigns, events with samples and comments) plus the live
livestream of bench/live_page_weight.py, logs the demo admin in, then loads each page and reports,
from the browser's own Navigation and Resource Timing:

- server: request sent to the last byte of the HTML (``responseEnd - requestStart``),
- FCP: first contentful paint (the page's text shown),
- DCL / load: DOMContentLoaded and load event ends, from navigation start,
- chart: the first chart's SVG in the page (``.js-plotly-plot .main-svg``), polled every frame,
- settled: the page's charts report their axes fitted (``data-charts-settled`` on <body>; "-"
  where the page has no such signal),
- JS / CSS: bytes on the wire (``transferSize``: compressed, headers included) and decoded.

Each page is measured beside a reference in the same run, alternating run by run:

- ``no plotly``: the same page with plotly.js refused (what the charts cost; Playwright's request
  interception turns the browser cache off, so its ``warm`` rows are cold ones),
- ``/events``: a page without charts (what any page costs here).

and each in three conditions: ``cold`` (fresh browser context: nothing cached), ``warm`` (the
same context again: fingerprinted files from the cache), and with ``--slow`` an office PC or phone
(CPU 4× slower, 10 Mbit/s and 40 ms round trips, cold). Medians over ``--runs``.

    .venv/bin/python bench/page_load.py [--runs 5] [--slow]
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._setup import bench_app  # noqa: E402
from bench.live_page_weight import seed as seed_live  # noqa: E402
from bench.live_page_weight import serve  # noqa: E402

ENROLMENT_HEADER = [
    "HO_TEN", "NAM_SINH", "XA_PHUONG", "LOAI_HINH", "PHAT_SINH", "NGAY_NOP", "SO_TIEN",
    "SO_DIEN_THOAI", "SO_HO_SO",
]  # fmt: skip
TIMING_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const sum = (kind, key) => res.filter(r => kind(r)).reduce((a, r) => a + r[key], 0);
  const js = r => /\\.js(\\?|$)/.test(r.name), css = r => /\\.css(\\?|$)/.test(r.name);
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  return { server: n.responseEnd - n.requestStart, fcp: fcp ? fcp.startTime : null,
           dcl: n.domContentLoadedEventEnd,
           load: n.loadEventEnd, js_wire: sum(js, 'transferSize'),
           js_body: sum(js, 'decodedBodySize'), css_wire: sum(css, 'transferSize'),
           css_body: sum(css, 'decodedBodySize') };
}"""
FIRST_CHART_JS = "() => document.querySelector('.js-plotly-plot .main-svg') && performance.now()"
LOADED_JS = "() => performance.getEntriesByType('navigation')[0].loadEventEnd > 0"
SETTLED_JS = "() => document.body.hasAttribute('data-charts-settled') && performance.now()"
# A 10 Mbit/s office line with 40 ms round trips; a CPU four times slower than this machine's.
SLOW_NETWORK = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8,
                "uploadThroughput": 5e6 / 8}  # fmt: skip
SLOW_CPU = 4


def seed(app: Any) -> dict[str, Any]:
    """The demo province and a live livestream; the pages to load and the admin's password."""
    from sqlalchemy import select

    from app.demo.province import load
    from app.extensions import db
    from app.models import Campaign

    event_id, _ = seed_live(app)
    result = load(db.session, "40")
    db.session.commit()
    campaign = db.session.scalar(select(Campaign.id).order_by(Campaign.id))
    return {"email": result.email, "password": result.password, "live": event_id,
            "campaign": campaign}  # fmt: skip


def enrolment_file(where: Path, rows: int = 400) -> Path:
    """An export of ``rows`` enrolments paid 20 days ago (the preview shows the first 200)."""
    paid = (datetime.now(UTC).date() - timedelta(days=20)).strftime("%d/%m/%Y")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ENROLMENT_HEADER)
    for i in range(rows):
        writer.writerow([f"Nguyễn Văn An {i}", 1960 + i % 40, "Xã Diễn Thịnh",
                         "BHXH tự nguyện", "Tham gia mới", paid, 1650000, f"09{i:08d}",
                         f"HS-2026-{i:06d}"])  # fmt: skip
    path = where / "enrolments.csv"
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def log_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def read(page: Any, charts: bool) -> dict[str, Any]:
    """The figures of the page just navigated to, once its load event has ended."""
    first = settled = None
    if charts:
        first = page.wait_for_function(FIRST_CHART_JS, polling="raf", timeout=60000).json_value()
        try:
            settled = page.wait_for_function(SETTLED_JS, polling="raf", timeout=3000).json_value()
        except Exception:  # noqa: BLE001 -- a tree without the signal: reported as "-"
            settled = None
    page.wait_for_function(LOADED_JS)
    figures = page.evaluate(TIMING_JS)
    figures["chart"] = first
    figures["settled"] = settled
    return figures


def visit(page: Any, base: str, path: str, charts: bool, upload: Path | None) -> dict[str, Any]:
    if upload is None:
        page.goto(base + path, wait_until="commit")
        return read(page, charts)
    page.goto(base + path)
    page.set_input_files("input[name=file]", str(upload))
    with page.expect_navigation(wait_until="commit"):
        page.click("main form button[type=submit]")
    return read(page, charts)


def one_run(browser: Any, base: str, who: dict[str, Any], mode: str, block: bool,
            target: tuple[str, bool, Path | None]) -> dict[str, Any]:  # fmt: skip
    """A fresh context (cold cache); ``warm``: the page loaded once before in it."""
    path, charts, upload = target
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="vi-VN")
    page = context.new_page()
    if block:
        page.route("**/plotly-basic*.js*", lambda route: route.abort())
    log_in(page, base, who["email"], who["password"])
    if mode == "warm":
        visit(page, base, path, charts and not block, upload)
    if mode == "slow":
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_CPU})
    figures = visit(page, base, path, charts and not block, upload)
    context.close()
    return figures


def ms(values: list[Any]) -> str:
    known = [v for v in values if v is not None]
    return f"{statistics.median(known):7.0f}" if known else "      -"


def kb(values: list[Any]) -> str:
    return f"{statistics.median(values) / 1024:8.0f}"


def report(label: str, rows: list[dict[str, Any]]) -> None:
    print(f"  {label:<22}{ms([r['server'] for r in rows])}{ms([r['fcp'] for r in rows])}"
          f"{ms([r['dcl'] for r in rows])}"
          f"{ms([r['load'] for r in rows])}{ms([r['chart'] for r in rows])}"
          f"{ms([r['settled'] for r in rows])}{kb([r['js_wire'] for r in rows])}"
          f"{kb([r['js_body'] for r in rows])}{kb([r['css_wire'] for r in rows])}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow", action="store_true", help="also as an office PC/phone")
    args = parser.parse_args()
    import logging

    from playwright.sync_api import sync_playwright

    from tests.servers import CHROMIUM, CHROMIUM_ARGS

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    modes = ["cold", "warm"] + (["slow"] if args.slow else [])
    with bench_app("sqlite") as app, tempfile.TemporaryDirectory() as tmp:
        who = seed(app)
        base = serve(app)
        upload = enrolment_file(Path(tmp))
        pages: dict[str, tuple[str, bool, Path | None]] = {
            "live page": (f"/events/{who['live']}/live", True, None),
            "channels report": ("/reports/channels", True, None),
            "campaign report": (f"/reports/campaigns/{who['campaign']}", True, None),
            "enrolment preview": ("/follow-up/enrolments/import", False, upload),
            "/events (no charts)": ("/events", False, None),
        }
        print(f"Medians of {args.runs} runs, ms from navigation start; KiB. Chromium {CHROMIUM}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for mode in modes:
                print(f"\n{mode}:{'':<20} server    FCP    DCL   load  chart settled "
                      " JS wire  JS body CSS wire")  # fmt: skip
                for name, target in pages.items():
                    charts = target[1]
                    results: dict[str, list[dict[str, Any]]] = {name: [], "  no plotly": []}
                    runs = [(name, False)] + ([("  no plotly", True)] if charts else [])
                    for _ in range(args.runs):
                        for label, block in runs:
                            results[label].append(one_run(browser, base, who, mode, block, target))
                    for label, rows in results.items():
                        if rows:
                            report(label, rows)
            browser.close()


if __name__ == "__main__":
    main()
