"""Live updates, commit → client: Lan Tỏa beside a bare Flask-SocketIO server, in the same run.

For each client count N, the bare reference (``bench/bare_socketio.py``: a gevent server that only
fans out ~300 bytes, its updates published by a separate process through Redis) and Lan Tỏa in turn
(with ``--repeat``, every other pair Lan Tỏa first), Lan Tỏa as it is deployed for many screens:
``gunicorn -k gevent -w 1 --worker-connections 3000`` with ``SOCKETIO_ASYNC_MODE=gevent``,
PostgreSQL, Redis as the message queue, and a separate publisher process taking the real collector
write path (collect the sandbox's Facebook live, write, commit, publish). Both are driven by the
same raw-socket probe clients (``bench/live_probe.py``: every client joins, about 100 are timed),
``--updates`` updates at ``--interval`` seconds.

Printed per server and N: p50/p95/p99/max from the commit (the publisher's clock, same machine),
the ratio of Lan Tỏa's p95 to the bare server's, server CPU per update (psutil over the web
process trees), bytes per update (one delta packet), KiB of server RSS per joined client, lost
messages, seconds for all N to connect and join (and their ratio to the bare server's), server
CPU per joined client while they join, and the host's steal time and machine-wide busy
cores during the updates: the machine is shared, read the ratios more than the absolute values.

    .venv/bin/python bench/live_latency.py [--clients 200] [--web-processes 1] [--updates 30]
        [--interval 1] [--servers bare,lantoa] [--backend postgresql]
    .venv/bin/python bench/live_latency.py --clients 1000,2000
    .venv/bin/python bench/live_latency.py --clients 5000 --web-processes 3

``LANTOA_BENCH_REDIS_URL`` names the Redis database used as the queue (default ``…/12``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import live_figures as fig  # noqa: E402
from bench import live_servers as srv  # noqa: E402
from bench.live_probe import raise_open_files  # noqa: E402

REDIS_URL = os.environ.get("LANTOA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SLOW_CONNECT = 3.0  # connect+join over this many times the bare server's: its logs are kept


def prepare(sandbox: Any, role: str) -> tuple[int, int, str]:
    """An event with the sandbox's Facebook live as target, and an API token of ``role``."""
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
    target = add_target(
        event.id, "facebook_live", creds["facebook_live_video_id"], account_id=account.id
    )
    user = User(email=f"bench-{uuid.uuid4().hex[:6]}@example.vn", role=Role(role),
                org_unit=unit, password_hash=hash_password("bench password 123"))  # fmt: skip
    db.session.add(user)
    token = issue_token(user)
    db.session.commit()
    return event.id, target.id, token


def measure(server: str, web: list[srv.Gunicorn], clients: int, publisher: list[str],
            env: dict[str, str], args: argparse.Namespace, tmp: Path,
            auth: dict[str, Any] | None, join: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """Join ``clients`` probes, run the publisher, read the receipts; one row of figures."""
    pids = [w.pid for w in web]
    rss_before = fig.tree_rss_kib(pids)
    joins_cpu_before = fig.tree_cpu_seconds(pids)
    probes = srv.Probes([w.port for w in web], clients, tmp, processes=args.probe_processes,
                        probes=args.probes, auth=auth, join=join,
                        cpus=args.client_cpus)  # fmt: skip
    try:
        ready = probes.wait_joined()
        joins_cpu = fig.tree_cpu_seconds(pids) - joins_cpu_before
        time.sleep(2.0)
        rss_after = fig.tree_rss_kib(pids)
        cpu_before, machine_before = fig.tree_cpu_seconds(pids), fig.cpu_times()
        out = tmp / f"sent-{uuid.uuid4().hex[:8]}.json"
        sent = srv.run_publisher([*publisher, "--out", str(out)], env, out,
                                 timeout=args.updates * args.interval + 180)  # fmt: skip
        cpu_after, machine_after = fig.tree_cpu_seconds(pids), fig.cpu_times()
        time.sleep(args.grace)
    finally:
        parts = probes.collect()
    got = fig.delivery(parts, sent)
    if args.per_update:
        print(f"{server}, {clients} clients:", *fig.per_update(parts, sent), sep="\n")
    lat = got.latencies_ms
    return {
        "server": server, "clients": clients, "joined": got.joined, "failed": got.failed,
        "updates": len(sent), "p50": fig.percentile(lat, 50), "p95": fig.percentile(lat, 95),
        "p99": fig.percentile(lat, 99), "max": max(lat, default=float("nan")),
        "done": got.broadcast_done_ms, "lost": got.lost, "disconnects": got.disconnects,
        "cpu_ms": 1000 * (cpu_after - cpu_before) / max(1, len(sent)),
        "bytes": got.bytes_per_update,
        "kib_per_client": (rss_after - rss_before) / max(1, got.joined),
        "connect_s": fig.connect_seconds(ready), "probes": got.probes,
        "join_cpu_ms": 1000 * joins_cpu / max(1, got.joined), "connect_ratio": "",
        "steal": fig.steal_percent(machine_before, machine_after),
        "busy": fig.busy_cores(machine_before, machine_after, os.cpu_count() or 1),
        "ratio": "",
    }  # fmt: skip


def run_bare(clients: int, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    web, channel = srv.bare_servers(args.web_processes, REDIS_URL, tmp, args.server_cpus)
    try:
        publisher = srv.bare_publisher(REDIS_URL, channel, args.updates, args.interval)
        return measure("bare", web, clients, publisher, dict(os.environ), args, tmp, None, {})
    finally:
        srv.stop_all(web)


def run_lantoa(clients: int, args: argparse.Namespace, tmp: Path, env: dict[str, str],
               event_id: int, target_id: int, token: str) -> dict[str, Any]:  # fmt: skip
    env = {**env, "SOCKETIO_CHANNEL": f"lantoa-bench-{uuid.uuid4().hex[:8]}"}
    web = srv.lantoa_servers(args.web_processes, env, tmp, args.server_cpus)
    try:
        publisher = srv.lantoa_publisher(event_id, target_id, args.updates, args.interval)
        return measure("lantoa", web, clients, publisher, env, args, tmp, {"token": token},
                       {"event_id": event_id})  # fmt: skip
    finally:
        srv.stop_all(web)


def keep_logs(tmp: Path, name: str) -> None:
    """Copy the run's server and probe logs out of the bench's temporary directory (deleted at
    the end), and say where: a join storm far slower than the reference is worth reading."""
    kept = Path(tempfile.mkdtemp(prefix=f"lantoa-bench-slow-{name}-"))
    for log in tmp.rglob("*.log"):  # the probes' own are in a directory per run
        copy = kept / log.relative_to(tmp)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, copy)
    print(f"connect+join over {SLOW_CONNECT:g}× the bare server's: logs kept in {kept}", flush=True)


def run_pair(clients: int, args: argparse.Namespace, tmp: Path, env: dict[str, str],
             event_id: int, target_id: int, token: str,
             turn: int = 0) -> list[dict[str, Any]]:  # fmt: skip
    """Each server of ``--servers`` in turn at ``clients``, every other pair (odd ``turn``) in
    the reverse order: a machine whose latency drifts over a sitting (seen here: the bare
    server alone went 25, 31, 34 ms p95 in three runs in a row) then weighs on both servers
    alike instead of always on the one measured second. Ratios are to the pair's bare row."""
    servers = args.servers.split(",")
    if turn % 2:
        servers.reverse()
    rows: list[dict[str, Any]] = []
    reference: dict[str, Any] | None = None
    for server in servers:
        if server == "bare":
            row = reference = run_bare(clients, args, tmp)
        else:
            row = run_lantoa(clients, args, tmp, env, event_id, target_id, token)
        rows.append(row)
    for row in rows:
        if reference is not None and row is not reference and reference["p95"] > 0:
            row["ratio"] = f"{row['p95'] / reference['p95']:.2f}"
            row["connect_ratio"] = f"{row['connect_s'] / reference['connect_s']:.2f}"
            if row["connect_s"] > SLOW_CONNECT * reference["connect_s"]:
                keep_logs(tmp, f"lantoa-{clients}")
        print(fig.row_text(row), flush=True)
    return rows


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="200", help="comma-separated client counts")
    parser.add_argument("--servers", default="bare,lantoa")
    parser.add_argument("--web-processes", type=int, default=1)
    parser.add_argument("--updates", type=int, default=30)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--probes", type=int, default=100, help="timed clients, about")
    parser.add_argument("--probe-processes", type=int, default=4)
    parser.add_argument("--grace", type=float, default=4.0, help="seconds after the last update")
    parser.add_argument("--repeat", type=int, default=1, help="pairs per client count")
    parser.add_argument("--per-update", action="store_true", help="a line per update too")
    parser.add_argument("--server-cpus", default="", help="taskset list for web processes")
    parser.add_argument("--client-cpus", default="", help="taskset list for probe processes")
    parser.add_argument(
        "--role",
        default="officer",
        choices=("officer", "viewer"),
        help="officers join the phones room, viewers the plain one",
    )
    parser.add_argument("--backend", default="postgresql", choices=("sqlite", "postgresql"))
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    limit = raise_open_files()
    from bench._setup import bench_app, web_env
    from sandbox import RealClock, Sandbox, Scenario

    scenario = Scenario(epoch=datetime.now(UTC), start_offset=2, duration=4 * 3600,
                        comment_count=4000, chat_count=100)  # fmt: skip
    sandbox = Sandbox.start(scenario=scenario, clock=RealClock(1.0))
    rows: list[dict[str, Any]] = []
    try:
        with bench_app(args.backend) as app:
            event_id, target_id, token = prepare(sandbox, args.role)
            tmp = Path(app.config["INSTANCE_PATH"])
            env = web_env(app, REDIS_URL)
            print(fig.HEADER, flush=True)
            for clients in (int(c) for c in args.clients.split(",")):
                for turn in range(args.repeat):  # pairs in one sitting, in turn reversed
                    rows += run_pair(clients, args, tmp, env, event_id, target_id, token, turn)
    finally:
        sandbox.stop()
    print()
    print(f"{os.cpu_count()} CPUs; open-file limit {limit}; {args.web_processes} web process(es) "
          f"per server; {args.updates} updates every {args.interval:g} s; "
          f"backend {args.backend}; {args.role}s; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(fig.HEADER)
    for row in rows:
        print(fig.row_text(row))
    print(fig.UNITS)
    if args.repeat > 1:
        print(*fig.medians(rows), sep="\n")


if __name__ == "__main__":
    main()
