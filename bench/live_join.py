"""Live join storm: server CPU per 1,000 joins and connect+join wall time, beside the bare server.

The machine is shared with other work, so wall time moves with the neighbours' load; the web
process's own CPU (psutil, user + system, over the storm) is what a join costs. For each client
count, in one sitting and in rotating order: the bare Flask-SocketIO reference
(``bench/bare_socketio.py``: connect, ``join`` puts the socket in a room), Lan Tỏa from this
tree, and with ``--reference REV`` Lan Tỏa from a worktree of REV, each a fresh
``gunicorn -k gevent -w 1`` process on PostgreSQL with Redis as the message queue, joined by the
raw-socket clients of ``bench/live_probe.py`` (WebSocket, namespace connect with an API token,
``join`` with its ack and snapshot). Before the storms a few collection rounds of the sandbox's
Facebook live give the event comments and series, so each joiner's snapshot is a real one.
``--updates-during`` keeps a publisher running through every Lan Tỏa storm (a delta a second):
the joiners then straddle new sequence numbers, as in a live event.

    .venv/bin/python bench/live_join.py [--clients 1000,2000] [--reference HEAD~1] [--repeat 1]
        [--role officer] [--updates-during] [--profile DIR]

``--profile DIR`` writes a cProfile of each Lan Tỏa worker to DIR (the CPU figures then include
the profiler's own cost: read them for where the time goes, not for how much).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import textwrap
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
PROFILE_HOOKS = """
import cProfile, os, time
_profile = cProfile.Profile(time.process_time)
def post_worker_init(worker):
    _profile.enable()
def worker_exit(server, worker):
    _profile.disable()
    _profile.dump_stats(os.environ["LANTOA_BENCH_PROFILE_OUT"])
"""


def storm(web: list[srv.Gunicorn], clients: int, tmp: Path, auth: dict[str, Any] | None,
          join: dict[str, Any], during: list[str] | None, env: dict[str, str],
          ) -> dict[str, float]:  # fmt: skip
    """Join ``clients`` probes to ``web``; connect seconds and server CPU per 1,000 joins."""
    pids = [w.pid for w in web]
    time.sleep(1.0)  # the worker's start-up (and warm-up) settled
    before = fig.tree_cpu_seconds(pids)
    publisher = None
    if during is not None:
        out = tmp / f"during-{uuid.uuid4().hex[:8]}.json"
        publisher = subprocess.Popen([*during, "--out", str(out)], cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)  # fmt: skip
    probes = srv.Probes([w.port for w in web], clients, tmp, auth=auth, join=join, probes=10)
    try:
        ready = probes.wait_joined()
        cpu = fig.tree_cpu_seconds(pids) - before
    finally:
        probes.collect()
        if publisher is not None:
            publisher.kill()
            publisher.wait(timeout=10)
    joined = sum(r["joined"] for r in ready)
    return {"clients": clients, "joined": joined, "connect_s": fig.connect_seconds(ready),
            "cpu_per_1000": 1000 * cpu / max(1, joined)}  # fmt: skip


def run_bare(clients: int, tmp: Path) -> dict[str, float]:
    web, _channel = srv.bare_servers(1, REDIS_URL, tmp)
    try:
        return storm(web, clients, tmp, None, {}, None, dict(os.environ))
    finally:
        srv.stop_all(web)


def run_lantoa(clients: int, tmp: Path, env: dict[str, str], tree: Path, event_id: int,
               token: str, during: list[str] | None, profile: Path | None,
               name: str) -> dict[str, float]:  # fmt: skip
    env = {**env, "SOCKETIO_CHANNEL": f"lantoa-join-{uuid.uuid4().hex[:8]}"}
    config = None
    if profile is not None:
        config = tmp / "profile_hooks.py"
        config.write_text(textwrap.dedent(PROFILE_HOOKS))
        env["LANTOA_BENCH_PROFILE_OUT"] = str(
            profile / f"{name}-{clients}-{uuid.uuid4().hex[:4]}.prof"
        )
    web = srv.lantoa_servers(1, env, tmp, tree=tree, config=config)
    try:
        return storm(web, clients, tmp, {"token": token}, {"event_id": event_id}, during, env)
    finally:
        srv.stop_all(web)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1000", help="comma-separated client counts")
    parser.add_argument("--reference", help="a git revision measured in the same run")
    parser.add_argument("--repeat", type=int, default=1, help="storms per server and count")
    parser.add_argument("--role", default="officer", choices=("officer", "viewer"))
    parser.add_argument("--updates-during", action="store_true",
                        help="a delta a second through each Lan Tỏa storm")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="collection rounds before storms")
    parser.add_argument("--profile", help="a directory for the Lan Tỏa workers' cProfiles")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    limit = raise_open_files()
    from bench._setup import bench_app, measured_trees, web_env
    from bench.live_latency import prepare
    from sandbox import RealClock, Sandbox, Scenario

    profile = Path(args.profile).resolve() if args.profile else None
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
    scenario = Scenario(epoch=datetime.now(UTC), start_offset=2, duration=4 * 3600,
                        comment_count=4000, chat_count=100)  # fmt: skip
    sandbox = Sandbox.start(scenario=scenario, clock=RealClock(1.0))
    rows: list[dict[str, Any]] = []
    try:
        with (
            measured_trees(args.reference, this="lantoa", ref="ref") as trees,
            bench_app("postgresql") as app,
        ):
            event_id, target_id, token = prepare(sandbox, args.role)
            tmp = Path(app.config["INSTANCE_PATH"])
            env = web_env(app, REDIS_URL)
            if args.rounds:
                out = tmp / "rounds.json"
                srv.run_publisher([*srv.lantoa_publisher(event_id, target_id, args.rounds, 0.5),
                                   "--out", str(out)], env, out, timeout=300)  # fmt: skip
            during = (srv.lantoa_publisher(event_id, target_id, 600, 1.0)
                      if args.updates_during else None)  # fmt: skip
            servers = ["bare", *(name for name, _tree in trees)]
            for clients in (int(c) for c in args.clients.split(",")):
                for turn in range(args.repeat):
                    order = servers[turn % len(servers) :] + servers[: turn % len(servers)]
                    for name in order:
                        if name == "bare":
                            row = run_bare(clients, tmp)
                        else:
                            tree = dict(trees)[name]
                            row = run_lantoa(clients, tmp, env, tree, event_id, token, during,
                                             profile, name.replace(" ", "-"))  # fmt: skip
                        rows.append({"server": name, **row})
                        print(line(rows[-1]), flush=True)
    finally:
        sandbox.stop()
    print()
    print(f"{os.cpu_count()} CPUs; open-file limit {limit}; {args.role}s; "
          f"deltas during the storms: {'yes' if args.updates_during else 'no'}; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(HEADER)
    for row in medians(rows):
        print(line(row))


HEADER = f"{'server':<16} {'clients':>7} {'joined':>6} {'connect s':>9} {'×bare':>6} " \
         f"{'CPU s/1000 joins':>16} {'×bare':>6}"  # fmt: skip


def medians(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per server and count: the medians of its storms, with ratios to the bare's."""
    out = []
    for clients in dict.fromkeys(r["clients"] for r in rows):
        bare = None
        for server in dict.fromkeys(r["server"] for r in rows):
            mine = [r for r in rows if r["server"] == server and r["clients"] == clients]
            row = {"server": server, "clients": clients,
                   "joined": min(r["joined"] for r in mine),
                   **{k: statistics.median(r[k] for r in mine)
                      for k in ("connect_s", "cpu_per_1000")}}  # fmt: skip
            if server == "bare":
                bare = row
            out.append(row)
        for row in out:
            if bare is not None and row["clients"] == clients and row is not bare:
                row["connect_x"] = row["connect_s"] / bare["connect_s"]
                row["cpu_x"] = row["cpu_per_1000"] / bare["cpu_per_1000"]
    return out


def line(row: dict[str, Any]) -> str:
    connect_x = f"{row['connect_x']:.2f}" if "connect_x" in row else ""
    cpu_x = f"{row['cpu_x']:.2f}" if "cpu_x" in row else ""
    return (f"{row['server']:<16} {row['clients']:>7} {row['joined']:>6} "
            f"{row['connect_s']:>9.2f} {connect_x:>6} "
            f"{row['cpu_per_1000']:>16.2f} {cpu_x:>6}")  # fmt: skip


if __name__ == "__main__":
    main()
