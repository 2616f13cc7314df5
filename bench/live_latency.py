"""Commit → browser delay of live-page deltas, and web-process memory per connected client.

For each client count, a fresh gunicorn web process (1 worker, threads enough for every socket:
Flask-SocketIO's threading mode holds one thread per WebSocket) serves ``/live``; python-socketio
clients in several separate processes (``--per-process`` each) connect by API token and join one
event. A sandbox live in this process is collected for real:

- ``embedded``: the web process runs the collector itself (``COLLECTOR_MODE=embedded``), so
  ``publish()`` emits in-process;
- ``redis``: the web process has ``COLLECTOR_MODE=off`` and ``SOCKETIO_MESSAGE_QUEUE=redis://…``,
  and a separate ``flask collect run`` publishes through Redis.

Every delta carries ``server_time``, the moment ``publish()`` was called right after the commit;
each client notes ``arrival - server_time`` (one machine, one clock). Memory per client is the
worker's RSS growth from before the clients connect to after all have joined, divided by N.

    .venv/bin/python bench/live_latency.py [--clients 100,500,1000] [--modes embedded,redis]
                                           [--seconds 20] [--per-process 200] [--backend sqlite]
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import resource
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REDIS_URL = os.environ.get("LANTOA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
NAMESPACE = "/live"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_open_files() -> int:
    """Sockets are files: lift the soft limit to the hard one (children inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --- the client processes ------------------------------------------------------------------


def client_process(
    url: str,
    token: str,
    event_id: int,
    count: int,
    ready: Any,
    start: Any,
    stop: Any,
    results: Any,
) -> None:
    """Connect ``count`` clients, join, and record every delta's delay between start and stop."""
    import socketio

    delays: list[float] = []
    gaps = 0
    lock = threading.Lock()
    clients: list[Any] = []
    measuring = threading.Event()

    def open_one(_: int) -> Any:
        nonlocal gaps
        client = socketio.Client(reconnection=False)
        last = {"seq": None}

        def on_snapshot(payload: dict[str, Any]) -> None:
            last["seq"] = payload["seq"]

        def on_delta(payload: dict[str, Any]) -> None:
            nonlocal gaps
            arrived = time.time()
            sent = datetime.fromisoformat(payload["server_time"]).timestamp()
            with lock:
                if last["seq"] is not None and payload["seq"] > last["seq"] + 1:
                    gaps += 1
                last["seq"] = payload["seq"]
                if measuring.is_set():
                    delays.append(arrived - sent)

        client.on("snapshot", on_snapshot, namespace=NAMESPACE)
        client.on("delta", on_delta, namespace=NAMESPACE)
        client.connect(url, namespaces=[NAMESPACE], transports=["websocket"],
                       auth={"token": token}, wait_timeout=30)  # fmt: skip
        ack = client.call("join", {"event_id": event_id}, namespace=NAMESPACE, timeout=60)
        if not ack or not ack.get("ok"):
            raise RuntimeError(f"join refused: {ack}")
        return client

    failed = 0
    with ThreadPoolExecutor(max_workers=16) as pool:
        for future in [pool.submit(open_one, i) for i in range(count)]:
            try:
                clients.append(future.result())
            except Exception as exc:  # noqa: BLE001 - counted and reported
                failed += 1
                print(f"client failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    ready.put(len(clients))
    start.wait()
    with lock:
        gaps = 0
    measuring.set()
    stop.wait()
    measuring.clear()
    with lock:
        results.put({"delays": list(delays), "gaps": gaps, "failed": failed,
                     "clients": len(clients)})  # fmt: skip
    for client in clients:
        with contextlib.suppress(Exception):  # the server may be gone already
            client.disconnect()


# --- the server side -----------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker_pid(master: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def wait_serving(port: int, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"web process on {port} did not start")


def prepare(app: Any, sandbox: Any) -> tuple[int, str]:
    """An event with the sandbox's Facebook live as target, and an officer's API token."""
    import sqlalchemy as sa

    from app.auth.passwords import hash_password
    from app.auth.tokens import issue_token
    from app.collection.targets import add_target
    from app.extensions import db
    from app.models import Channel, Event, OrgUnit, Platform, PlatformAccount, Role, User

    unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "40"))
    creds = sandbox.credentials()
    account = PlatformAccount(
        platform=Platform.FACEBOOK, name="bench", org_unit=unit,
        external_id=creds["facebook_page_id"],
        credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url},
        health="ok", health_detail="", rate_limit_usage={},
    )  # fmt: skip
    event = Event(title="bench live", channel=Channel.LIVESTREAM, org_unit=unit, cost_vnd=0,
                  description="")  # fmt: skip
    db.session.add_all([account, event])
    db.session.flush()
    add_target(event.id, "facebook_live", creds["facebook_live_video_id"], account_id=account.id)
    user = User(email=f"bench-{uuid.uuid4().hex[:6]}@example.vn", role=Role.OFFICER,
                org_unit=unit, password_hash=hash_password("bench password 123"))  # fmt: skip
    db.session.add(user)
    token = issue_token(user)
    db.session.commit()
    return event.id, token


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def run_one(mode: str, clients: int, args: argparse.Namespace, env: dict[str, str],
            event_id: int, token: str, tmp: Path) -> dict[str, Any]:  # fmt: skip
    port = free_port()
    web_env = {**env, "COLLECTOR_MODE": "embedded" if mode == "embedded" else "off"}
    if mode == "redis":
        web_env["SOCKETIO_MESSAGE_QUEUE"] = REDIS_URL
        web_env["SOCKETIO_CHANNEL"] = f"lantoa-bench-{uuid.uuid4().hex[:8]}"
    threads = clients + 64
    log = open(tmp / f"web-{mode}-{clients}.log", "wb")  # noqa: SIM115 - closed below
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", str(threads),
         "--no-control-socket", "--timeout", "120", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=web_env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    collector = None
    try:
        wait_serving(port)
        if mode == "redis":
            collector = subprocess.Popen(
                [sys.executable, "-m", "flask", "collect", "run"],
                cwd=ROOT, env={**web_env, "FLASK_APP": "wsgi"}, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        worker = worker_pid(web.pid)
        time.sleep(1.0)
        before = rss_kib(worker)
        ctx = mp.get_context("spawn")
        ready, results = ctx.Queue(), ctx.Queue()
        start, stop = ctx.Event(), ctx.Event()
        sizes = [args.per_process] * (clients // args.per_process)
        if clients % args.per_process:
            sizes.append(clients % args.per_process)
        procs = [
            ctx.Process(
                target=client_process,
                args=(f"http://127.0.0.1:{port}", token, event_id, n, ready, start, stop, results),
                daemon=True,
            )  # fmt: skip
            for n in sizes
        ]
        began = time.monotonic()
        for p in procs:
            p.start()
        connected = sum(ready.get(timeout=600) for _ in procs)
        connect_seconds = time.monotonic() - began
        time.sleep(1.0)
        after = rss_kib(worker)
        start.set()
        time.sleep(args.seconds)
        stop.set()
        parts = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        delays = [d for part in parts for d in part["delays"]]
        return {
            "mode": mode, "clients": clients, "connected": connected,
            "failed": sum(p["failed"] for p in parts), "gaps": sum(p["gaps"] for p in parts),
            "deltas": len(delays), "connect_s": connect_seconds,
            "p50": percentile(delays, 50) * 1000 if delays else float("nan"),
            "p95": percentile(delays, 95) * 1000 if delays else float("nan"),
            "p99": percentile(delays, 99) * 1000 if delays else float("nan"),
            "mean": statistics.fmean(delays) * 1000 if delays else float("nan"),
            "rss_before_mib": before / 1024, "rss_after_mib": after / 1024,
            "kib_per_client": (after - before) / max(connected, 1),
        }  # fmt: skip
    finally:
        for process in (collector, web):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,500,1000")
    parser.add_argument("--modes", default="embedded,redis")
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring time per run")
    parser.add_argument("--per-process", type=int, default=200, help="clients per process")
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    limit = raise_open_files()

    from bench._setup import DATA_KEY, bench_app
    from sandbox import RealClock, Sandbox, Scenario

    scenario = Scenario(epoch=datetime.now(UTC), start_offset=2, duration=4 * 3600,
                        comment_count=4000, chat_count=100)  # fmt: skip
    sandbox = Sandbox.start(scenario=scenario, clock=RealClock(1.0))
    rows = []
    try:
        with bench_app(args.backend) as app:
            event_id, token = prepare(app, sandbox)
            tmp = Path(app.config["INSTANCE_PATH"])
            env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                   "LANTOA_DATA_KEY": DATA_KEY, "SECRET_KEY": "bench",
                   "LANTOA_INSTANCE_PATH": str(tmp), "COLLECTOR_TICK_SECONDS": "0.5",
                   "COLLECTOR_INTERVAL_SCALE": "0.15"}  # fmt: skip
            for mode in args.modes.split(","):
                for clients in (int(c) for c in args.clients.split(",")):
                    row = run_one(mode, clients, args, env, event_id, token, tmp)
                    rows.append(row)
                    print(_line(row), flush=True)
    finally:
        sandbox.stop()
    print()
    print(f"open-file limit {limit}; {os.cpu_count()} CPUs; backend {args.backend}; "
          f"{args.seconds:.0f} s measured per run")  # fmt: skip
    print("mode      clients  joined  deltas   p50 ms   p95 ms   p99 ms  gaps  KiB/client")
    for r in rows:
        print(f"{r['mode']:<9} {r['clients']:>7} {r['connected']:>7} {r['deltas']:>7} "
              f"{r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} {r['gaps']:>5} "
              f"{r['kib_per_client']:>11.1f}")  # fmt: skip


def _line(r: dict[str, Any]) -> str:
    return (f"{r['mode']} {r['clients']} clients: {r['connected']} joined in "
            f"{r['connect_s']:.1f} s, {r['deltas']} deltas received, p50 {r['p50']:.1f} ms, "
            f"p95 {r['p95']:.1f} ms, p99 {r['p99']:.1f} ms, {r['gaps']} gaps, worker RSS "
            f"{r['rss_before_mib']:.0f} → {r['rss_after_mib']:.0f} MiB "
            f"({r['kib_per_client']:.1f} KiB per client), {r['failed']} failed")  # fmt: skip


if __name__ == "__main__":
    main()
