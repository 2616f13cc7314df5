"""The live page's snapshot with N deltas held for it, in headless Chromium: what applying it costs.

A phone back on 3G (or a page joining while updates flow) gets deltas before the snapshot they
follow; the page holds them (up to 100) and applies them after it. Serves the app (Werkzeug
threads, this process) on a fresh SQLite database holding bench/live_page_weight.py's livestream
(360 samples, 150 comments); its real snapshot is read from the server (a resync on its page).
On the same event's page, drawn and with its socket refused (the phone whose connection came
back), N deltas numbered after the snapshot are handed to the page's delta handler (held), then
the snapshot to its snapshot handler, and the page is measured until its charts are quiet:

- apply: the snapshot handler's own time, the held deltas with it (the page frozen),
- main thread: the browser's main-thread task time from the first delta to quiet (CDP
  ``Performance.getMetrics`` TaskDuration),
- draws: Plotly draws of the charts (``plotly_afterplot``).

Each delta carries what a collection brings: a viewers point 10 s after the last, a comment,
the live viewers and likes, the minute's comment count. Each run is measured beside the
reference (``--reference REV``, default HEAD: the scripts of bench/live_first_data.py from
``git show``), alternating run by run; ``--slow``: a CPU four times slower (a phone), too.
Medians over ``--runs``.

    .venv/bin/python bench/live_held.py [--runs 3] [--held 100 20] [--reference HEAD] [--slow]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._setup import bench_app  # noqa: E402
from bench.live_first_data import (  # noqa: E402
    COUNT_JS,
    QUIET_JS,
    SCRIPTS,
    SLOW_CPU,
    SNAPSHOT_JS,
    log_in,
    metric,
    reference_scripts,
    serve_script,
)
from bench.live_page_weight import seed as seed_live  # noqa: E402
from bench.live_page_weight import serve  # noqa: E402

HAND_JS = """([deltas, snapshot]) => {
  const socket = window.lantoaLive.socket;
  const delta = socket.listeners("delta")[0], apply = socket.listeners("snapshot")[0];
  deltas.forEach((d) => delta(d));  // held: the snapshot is not here yet
  const t0 = performance.now();
  apply(snapshot);
  window.__last = performance.now();
  return {apply: performance.now() - t0, seq: window.lantoaLive.state.seq};
}"""


def held_deltas(snapshot: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """``n`` deltas after ``snapshot``, as collections every 10 s bring them."""
    last = datetime.fromisoformat(snapshot["series"]["viewers"][-1][0].replace("Z", "+00:00"))
    summary = snapshot["summary"]
    like = (summary.get("reactions") or {}).get("like") or 0
    deltas = []
    for i in range(n):
        at = last + timedelta(seconds=10 * (i + 1))
        iso = at.isoformat()
        viewers = 300 + (i * 13) % 150
        minute = at.replace(second=0, microsecond=0).isoformat()
        deltas.append({
            "event_id": snapshot["event_id"], "seq": snapshot["seq"] + 1 + i,
            "epoch": snapshot["epoch"], "server_time": iso,
            "patch": {"live_viewers": viewers, "reactions": {"like": like + i + 1}},
            "comments": [{"id": f"held-{i}", "author": f"Người xem mới {i}", "platform": "facebook",
                          "created_at": iso, "text": f"Cho em hỏi mức đóng {i}",
                          "is_lead": False}],
            "series": {"viewers": [[iso, viewers]], "comments_per_minute": [[minute, 1 + i % 6]]},
        })  # fmt: skip
    return deltas


def one_run(browser: Any, base: str, setup: dict[str, Any], n: int,
            scripts: dict[str, bytes] | None, slow: bool) -> dict[str, float]:  # fmt: skip
    """The drawn page, ``n`` held deltas and the snapshot handed to it, their cost."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    log_in(page, base, setup["email"])
    page.route("**/socket.io/**", lambda route: route.abort())  # only the bench's messages
    if scripts is not None:
        for name, body in scripts.items():
            page.route(f"**/static/js/{name}*", serve_script(body))
    page.goto(f"{base}/events/{setup['live']}/live")
    page.wait_for_function("() => document.body.hasAttribute('data-charts-settled')")
    page.evaluate(COUNT_JS)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    if slow:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_CPU})
    before = metric(cdp)
    done = page.evaluate(HAND_JS, [setup["deltas"][:n], setup["snapshot"]])
    assert done["seq"] == setup["snapshot"]["seq"] + n, done  # every held delta applied
    page.wait_for_function(QUIET_JS, polling=100, timeout=300000)
    task_ms = (metric(cdp) - before) * 1000  # idle waiting costs no task time
    draws = page.evaluate("() => window.__draws")
    context.close()
    return {"apply": done["apply"], "main": task_ms, "draws": draws}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--held", type=int, nargs="+", default=[100, 20], help="deltas held")
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
        setup: dict[str, Any] = {"email": email, "live": live}
        base = serve(app)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context()
            page = context.new_page()
            log_in(page, base, email)
            page.goto(f"{base}/events/{live}/live")
            page.wait_for_function("() => document.body.hasAttribute('data-seq')")
            setup["snapshot"] = page.evaluate(SNAPSHOT_JS, live)
            setup["deltas"] = held_deltas(setup["snapshot"], max(args.held))
            context.close()
            print(f"The live page's snapshot ({len(setup['snapshot']['series']['viewers'])} "
                  f"viewer points) with N deltas held for it, medians of {args.runs} runs; "
                  f"Chromium {CHROMIUM}")  # fmt: skip
            print(f"{'':<42}{'apply ms':>10}{'main ms':>10}{'draws':>7}")
            for slow in [False, True] if args.slow else [False]:
                for n in args.held:
                    rows: dict[str, list[dict[str, float]]] = {"this tree": [], args.reference: []}
                    for _ in range(args.runs):
                        rows[args.reference].append(one_run(browser, base, setup, n, scripts, slow))
                        rows["this tree"].append(one_run(browser, base, setup, n, None, slow))
                    for label, runs in rows.items():
                        name = f"N={n} {label}{' (CPU 4x slower)' if slow else ''}"
                        print(f"  {name:<40}" + "".join(
                            f"{statistics.median(r[k] for r in runs):{w}.0f}"
                            for k, w in (("apply", 10), ("main", 10), ("draws", 7))
                        ))  # fmt: skip
            browser.close()


if __name__ == "__main__":
    main()
