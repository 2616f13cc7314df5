"""The live page's first data in headless Chromium: what drawing it costs the browser.

An officer opens the live page before the livestream has any figure (empty charts, "chưa có số
liệu"); then the first data comes. Serves the app (Werkzeug threads, this process) on a fresh
SQLite database holding bench/live_page_weight.py's livestream (360 samples, 150 comments, up to
399 viewers at once, 359 likes) and a second, empty one. The real snapshot of the first is read
from the server (a resync on its page), then, on the empty event's page with its socket refused,
handed to the page's own snapshot handler, and measured until the charts are quiet:

- apply: the handler's own time (the page frozen: nothing painted, no tap answered),
- main thread: the browser's main-thread task time from the message to quiet (CDP
  ``Performance.getMetrics`` TaskDuration: the handler, then the charts' later fits),
- draws: Plotly draws of the charts (``plotly_afterplot``),
- labels: the most tick labels a chart drew (Plotly checks each label against every other).

Each run is measured beside the reference (``--reference REV``, default HEAD): the same page with
the live scripts of REV (``live.js``, ``live-halls.js``, ``charts.js`` served from ``git show``),
alternating run by run; ``--slow``: a CPU four times slower (a phone), too. Medians over ``--runs``.

    .venv/bin/python bench/live_first_data.py [--runs 5] [--reference HEAD] [--slow]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._setup import bench_app  # noqa: E402
from bench.live_page_weight import PASSWORD, serve  # noqa: E402
from bench.live_page_weight import seed as seed_live  # noqa: E402

SCRIPTS = ("live.js", "live-halls.js", "charts.js")
SLOW_CPU = 4
SNAPSHOT_JS = """(id) => new Promise((resolve) => {
  const s = window.lantoaLive.socket;
  s.once("snapshot", resolve);
  s.emit("resync", {event_id: id}, () => {});
})"""
COUNT_JS = """() => {
  window.__draws = 0; window.__labels = 0; window.__last = performance.now();
  document.querySelectorAll(".js-plotly-plot").forEach((gd) => gd.on("plotly_afterplot", () => {
    window.__draws += 1; window.__last = performance.now();
    window.__labels = Math.max(window.__labels, gd.querySelectorAll(".xtick, .ytick").length);
  }));
}"""
APPLY_JS = """(msg) => {
  const handler = window.lantoaLive.socket.listeners("snapshot")[0];
  const t0 = performance.now();
  handler(msg);
  window.__last = performance.now();
  return performance.now() - t0;
}"""
QUIET_MS = 700  # no draw for this long: the charts are done
QUIET_JS = f"() => performance.now() - window.__last > {QUIET_MS}"


def seed_empty(app: Any) -> int:
    """A livestream under way whose platform has sent nothing yet: the page's charts are empty."""
    from app.collection.targets import add_target
    from app.extensions import db
    from app.models import Channel, Event, EventStatus, OrgUnit, PlatformAccount

    unit = db.session.query(OrgUnit).filter_by(code="40").one()
    start = datetime.now(UTC) - timedelta(minutes=5)
    event = Event(title="Livestream chưa có số liệu", channel=Channel.LIVESTREAM,
                  status=EventStatus.LIVE, org_unit=unit, cost_vnd=0, planned_start=start,
                  planned_end=start + timedelta(hours=2), actual_start=start)  # fmt: skip
    account = db.session.query(PlatformAccount).first()
    db.session.add(event)
    db.session.flush()
    add_target(event.id, "facebook_live", "2", account_id=account.id, status="live")
    db.session.commit()
    return event.id


def log_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def reference_scripts(rev: str) -> dict[str, bytes]:
    return {
        name: subprocess.run(
            ["git", "show", f"{rev}:app/static/js/{name}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout  # fmt: skip
        for name in SCRIPTS
    }


def serve_script(body: bytes) -> Any:
    """A route handler answering with the reference's ``body``."""
    return lambda route: route.fulfill(body=body, content_type="text/javascript")


def one_run(browser: Any, base: str, setup: dict[str, Any], scripts: dict[str, bytes] | None,
            slow: bool) -> dict[str, float]:  # fmt: skip
    """The empty page, the snapshot handed to it, its cost; ``scripts``: the reference's."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    log_in(page, base, setup["email"])
    page.route("**/socket.io/**", lambda route: route.abort())  # only the bench's message
    if scripts is not None:
        for name, body in scripts.items():
            page.route(f"**/static/js/{name}*", serve_script(body))
    page.goto(f"{base}/events/{setup['empty']}/live")
    page.wait_for_function("() => document.body.hasAttribute('data-charts-settled')")
    page.evaluate(COUNT_JS)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    if slow:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_CPU})
    before = metric(cdp)
    apply_ms = page.evaluate(APPLY_JS, setup["snapshot"])
    page.wait_for_function(QUIET_JS, polling=100, timeout=120000)
    task_ms = (metric(cdp) - before) * 1000  # idle waiting costs no task time
    figures = page.evaluate("() => ({draws: window.__draws, labels: window.__labels})")
    context.close()
    return {"apply": apply_ms, "main": task_ms, **figures}


def metric(cdp: Any) -> float:
    values = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return float(values["TaskDuration"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reference", default="HEAD", help="the revision measured beside")
    parser.add_argument("--slow", action="store_true", help="also with a 4x slower CPU")
    args = parser.parse_args()
    import logging

    from playwright.sync_api import sync_playwright

    from tests.servers import CHROMIUM, CHROMIUM_ARGS

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    changed = subprocess.run(["git", "diff", "--name-only", args.reference, "--", "app"],
                             cwd=ROOT, capture_output=True, text=True).stdout.split()  # fmt: skip
    others = [f for f in changed if Path(f).name not in SCRIPTS]
    if others:
        print(f"note: beyond the scripts, {args.reference} differs in {others}")
    scripts = reference_scripts(args.reference)
    with bench_app("sqlite") as app:
        live, email = seed_live(app)
        setup: dict[str, Any] = {"email": email, "empty": seed_empty(app)}
        base = serve(app)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context()
            page = context.new_page()
            log_in(page, base, email)
            page.goto(f"{base}/events/{live}/live")
            page.wait_for_function("() => document.body.hasAttribute('data-seq')")
            setup["snapshot"] = {**page.evaluate(SNAPSHOT_JS, live), "event_id": setup["empty"]}
            context.close()
            print(f"The live page's first data (a real snapshot: "
                  f"{len(setup['snapshot']['series']['viewers'])} viewer points), medians of "
                  f"{args.runs} runs; Chromium {CHROMIUM}")  # fmt: skip
            print(f"{'':<34}{'apply ms':>10}{'main ms':>10}{'draws':>7}{'labels':>8}")
            for slow in [False, True] if args.slow else [False]:
                rows: dict[str, list[dict[str, float]]] = {"this tree": [], args.reference: []}
                for _ in range(args.runs):
                    rows[args.reference].append(one_run(browser, base, setup, scripts, slow))
                    rows["this tree"].append(one_run(browser, base, setup, None, slow))
                for label, runs in rows.items():
                    name = f"{label}{' (CPU 4x slower)' if slow else ''}"
                    print(f"  {name:<32}" + "".join(
                        f"{statistics.median(r[k] for r in runs):{w}.0f}"
                        for k, w in (("apply", 10), ("main", 10), ("draws", 7), ("labels", 8))
                    ))  # fmt: skip
            browser.close()


if __name__ == "__main__":
    main()
