"""Check-in submissions per second accepted by one web process, with 1,000 halls reporting at once.

One gunicorn process (1 worker, 8 threads: the README's threaded layout) serves the app on SQLite
and then on PostgreSQL, with live deltas on (the embedded publisher builds and emits each burst's
delta, REALTIME_COALESCE_SECONDS as deployed). 1,000 halls send 2,000 submissions from 50
concurrent clients: each hall a first head count with two attendee rows (every other hall) and a
second count sent five minutes later, in a shuffled order, so some second counts arrive first. One
submission in five is sent again later in the same stream, as a flaky 3G link would, sometimes
while the first is still being answered. Checked after each run: every key answered "created"
exactly once and "duplicate" for every other send, exactly one report per submission in the
database, the attendee rows once, and each hall's count the one sent last.

With ``--reference REV`` the same run is made, in the same sitting and in alternating order,
against a git worktree of REV in a temporary directory, and the figures are printed side by side.

    .venv/bin/python bench/checkin_throughput.py [--reference 4068eaf] [--halls 1000] \
        [--clients 50] [--backends sqlite,postgresql] [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHEET = [
    {"name": "Nguyễn Văn An", "birth": "1970", "phone": "0912345678"},
    {"name": "Trần Thị Bình", "birth": "12/03/1982"},
]
RETRY_EVERY = 5  # one submission in five is sent again
SECOND_AFTER = timedelta(minutes=5)
THREADS = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children alive now (gunicorn's worker)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def prepare(halls: int) -> tuple[int, list[str]]:
    """A conference with ``halls`` bridge points (synthetic communes): its id and link paths."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.halls import services
    from app.models import Channel, Event, OrgKind, OrgUnit

    province = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "40"))
    for n in range(halls):
        code = f"9{n:04d}"
        db.session.add(OrgUnit(code=code, name=f"Xã Thử {n}", short_name=f"Thử {n}",
                               kind=OrgKind.COMMUNE, division_type="Xã", parent_id=province.id,
                               path=f"{province.path}/{code}"))  # fmt: skip
    start = datetime.now(UTC)
    event = Event(title="bench", channel=Channel.ONLINE_CONFERENCE, org_unit=province,
                  planned_start=start, planned_end=start + timedelta(hours=3), cost_vnd=0,
                  description="")  # fmt: skip
    db.session.add(event)
    db.session.flush()
    codes = [f"9{n:04d}" for n in range(halls)]
    points = services.set_bridge_points(event, codes, {c: 40 for c in codes})
    db.session.commit()
    return event.id, [f"/checkin/{p.checkin_token}" for p in points]


def stream(halls: int, seed: int = 18) -> list[tuple[int, dict[str, Any]]]:
    """(hall, body) in the order sent: two submissions per hall, shuffled, one in five again."""
    sent = datetime.now(UTC) - timedelta(minutes=30)
    clock = sent + timedelta(minutes=20)  # the phone's time when the request leaves
    subs = []
    for n in range(halls):
        first = {"idempotency_key": f"hall-{n:06d}-first", "head_count": 30 + n % 40,
                 "attendees": SHEET if n % 2 == 0 else [], "sent_at": sent.isoformat(),
                 "clock": clock.isoformat()}  # fmt: skip
        second = {"idempotency_key": f"hall-{n:06d}-second", "head_count": 31 + n % 40,
                  "attendees": [], "sent_at": (sent + SECOND_AFTER).isoformat(),
                  "clock": clock.isoformat()}  # fmt: skip
        subs += [(n, first), (n, second)]
    rng = random.Random(seed)
    rng.shuffle(subs)
    order: list[tuple[int, dict[str, Any]]] = list(subs)
    for i in range(0, len(subs), RETRY_EVERY):
        later = rng.randint(i + 1, len(order))  # after the first send, sometimes right after
        order.insert(later, subs[i])
    return order


def measure(backend: str, halls: int, clients: int, worker: str) -> dict[str, Any]:
    """One run against the code on sys.path (this tree, or a reference worktree)."""
    import requests

    from bench._setup import DATA_KEY, bench_app

    tree = Path(sys.path[0])
    with bench_app(backend) as app:
        from app.extensions import db

        event_id, links = prepare(halls)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
               "LANTOA_DATA_KEY": DATA_KEY, "SECRET_KEY": "bench", "COLLECTOR_MODE": "off",
               "LANTOA_INSTANCE_PATH": app.config["INSTANCE_PATH"]}  # fmt: skip
        command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}"]
        if worker == "gevent":
            env["SOCKETIO_ASYNC_MODE"] = "gevent"
            command += ["-k", "gevent", "--worker-connections", "1000"]
        else:
            command += ["--threads", str(THREADS)]
        server = subprocess.Popen([*command, "wsgi:app"], cwd=tree, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    requests.get(base + "/login", timeout=1)
                    break
                except requests.RequestException:
                    time.sleep(0.1)
            sessions: dict[int, requests.Session] = {}
            resent = Counter[str]()

            def post(item: tuple[int, tuple[int, dict[str, Any]]]) -> tuple[str, int, bool, float]:
                i, (hall, body) = item
                session = sessions.setdefault(i % clients, requests.Session())
                t0 = time.perf_counter()
                try:
                    reply = session.post(base + links[hall], json=body, timeout=120)
                except requests.ConnectionError:  # a kept-alive socket the server closed: resend
                    resent[body["idempotency_key"]] += 1
                    sessions[i % clients] = requests.Session()
                    reply = sessions[i % clients].post(base + links[hall], json=body, timeout=120)
                answer = reply.json() if reply.status_code in (200, 201) else {}
                return (body["idempotency_key"], reply.status_code,
                        bool(answer.get("duplicate")), time.perf_counter() - t0)  # fmt: skip

            sends = stream(halls)
            cpu_before = cpu_seconds(server.pid)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=clients) as pool:
                results = list(pool.map(post, enumerate(sends)))
            elapsed = time.perf_counter() - started
            time.sleep(1.5)  # the last burst's delta is built after its coalescing window
            cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            server.terminate()
            server.wait(timeout=30)
        db.session.expire_all()
        return {
            "backend": backend,
            "elapsed": elapsed,
            "server_cpu": cpu,
            **check(results, sends, resent, event_id),
            "p50_ms": statistics.median(r[3] for r in results) * 1000,
            "p95_ms": sorted(r[3] for r in results)[int(len(results) * 0.95)] * 1000,
        }


def check(results: list, sends: list, resent: Counter, event_id: int) -> dict[str, Any]:
    """Every promise of the check-in endpoint, from the answers and from the database."""
    import sqlalchemy as sa

    from app.extensions import db

    created, duplicates, statuses = Counter[str](), Counter[str](), Counter[int]()
    for key, status, duplicate, _t in results:
        statuses[status] += 1
        if status == 201:
            created[key] += 1
        elif status == 200 and duplicate:
            duplicates[key] += 1
    keys = {body["idempotency_key"] for _hall, body in sends}
    sent_per_key = Counter(body["idempotency_key"] for _hall, body in sends)
    problems = []
    if any(created[k] != 1 and not (created[k] == 0 and resent[k]) for k in keys):
        problems.append("a submission not created exactly once")
    if any(created[k] + duplicates[k] != sent_per_key[k] for k in keys):
        problems.append("a send answered neither created nor duplicate")
    reports = db.session.execute(
        sa.text(
            "SELECT r.bridge_point_id, r.idempotency_key, r.head_count, r.reported_at, r.id "
            "FROM attendance_reports r JOIN bridge_points b ON b.id = r.bridge_point_id "
            "WHERE b.event_id = :e"
        ),
        {"e": event_id},
    ).all()
    if len(reports) != len(keys) or len({(r[0], r[1]) for r in reports}) != len(keys):
        problems.append(f"{len(reports)} reports stored for {len(keys)} submissions")
    rows = db.session.scalar(sa.text("SELECT count(*) FROM attendances WHERE event_id = :e"),
                             {"e": event_id})  # fmt: skip
    bodies = {body["idempotency_key"]: body for _hall, body in sends}
    expected_rows = sum(len(body["attendees"]) for body in bodies.values())
    if rows != expected_rows:
        problems.append(f"{rows} attendee rows for {expected_rows} sent")
    latest: dict[int, tuple] = {}
    for point, key, count, at, rid in reports:
        if point not in latest or (at, rid) > latest[point][:2]:
            latest[point] = (at, rid, key, count)
    if any(not key.endswith("-second") for _at, _rid, key, _count in latest.values()):
        problems.append("a hall's latest report is not the one it sent last")
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("bridge_points")}
    if "head_count" in columns:  # the hall's figures kept on its row
        kept = dict(
            db.session.execute(
                sa.text("SELECT id, head_count FROM bridge_points WHERE event_id = :e"),
                {"e": event_id},
            ).all()
        )
        if any(kept[point] != latest[point][3] for point in latest):
            problems.append("a hall's stored count is not the one it sent last")
    return {
        "requests": len(results),
        "accepted": sum(created.values()),
        "duplicates": sum(duplicates.values()),
        "statuses": dict(statuses),
        "resent": sum(resent.values()),
        "reports": len(reports),
        "submissions": len(keys),
        "problems": problems,
    }


def child(args: argparse.Namespace) -> None:
    """Measure the tree at ``--tree`` (first on sys.path) and print one JSON line."""
    sys.path.insert(0, args.tree)
    result = measure(args.child, args.halls, args.clients, args.worker)
    print("RESULT " + json.dumps(result, default=str), flush=True)


def run_tree(tree: Path, backend: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", backend, "--tree",
               str(tree), "--halls", str(args.halls), "--clients", str(args.clients),
               "--worker", args.worker]  # fmt: skip
    from bench._setup import child_result  # main put this tree first on sys.path

    return child_result(command, tree)


def line(label: str, r: dict[str, Any]) -> str:
    ok = "ok" if not r["problems"] else "; ".join(r["problems"])
    cpu_ms = r["server_cpu"] * 1000 / max(r["accepted"], 1)
    return (
        f"  {label:22} {r['accepted'] / r['elapsed']:6.0f} accepted/s, server CPU "
        f"{cpu_ms:5.1f} ms per accepted check-in  "
        f"({r['accepted']} of {r['submissions']} + {r['duplicates']} duplicates in "
        f"{r['elapsed']:5.1f} s, p50 {r['p50_ms']:6.0f} ms, p95 {r['p95_ms']:6.0f} ms, "
        f"reports stored {r['reports']}, resent {r['resent']}): {ok}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--halls", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--reference", help="a git revision measured in the same run")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each tree per backend")
    parser.add_argument("--worker", choices=("threads", "gevent"), default="threads")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--tree", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; worker {args.worker}"
          f" ({THREADS} threads, 1 process); {args.halls} halls, {2 * args.halls} submissions,"
          f" {args.clients} clients")  # fmt: skip
    sys.path.insert(0, str(ROOT))
    from bench._setup import measured_trees

    with measured_trees(args.reference) as trees:
        for backend in args.backends.split(","):
            print(backend)
            runs: dict[str, list[float]] = {label: [] for label, _ in trees}
            cpus: dict[str, list[float]] = {label: [] for label, _ in trees}
            for round_ in range(args.rounds):
                order = trees if round_ % 2 == 0 else trees[::-1]
                for label, tree in order:
                    result = run_tree(tree, backend, args)
                    runs[label].append(result["accepted"] / result["elapsed"])
                    cpus[label].append(result["server_cpu"] * 1000 / result["accepted"])
                    print(line(label, result), flush=True)
            if args.reference and all(runs.values()):
                ours, ref = (statistics.median(runs[label]) for label, _ in trees)
                ours_cpu, ref_cpu = (statistics.median(cpus[label]) for label, _ in trees)
                print(f"  median accepted/s: {ours:.0f} vs {ref:.0f} reference "
                      f"({ours / ref:.2f}x); server CPU per accepted check-in "
                      f"{ours_cpu:.1f} vs {ref_cpu:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
