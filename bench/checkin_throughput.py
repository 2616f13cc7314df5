"""Check-in submissions per second accepted by one web process, with 1,000 halls reporting at once.

One gunicorn process (1 worker, 8 threads) serves the app on SQLite and then on PostgreSQL; 1,000
halls each post a head count and two attendee rows to their own check-in link from 50 concurrent
clients, then every hall retries the same submission (as a flaky 3G link would): the retries must
all come back as duplicates and the database must hold exactly 1,000 reports.

    .venv/bin/python bench/checkin_throughput.py [--halls 1000] [--clients 50]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHEET = [
    {"name": "Nguyễn Văn An", "birth": "1970", "phone": "0912345678"},
    {"name": "Trần Thị Bình", "birth": "12/03/1982"},
]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from bench._setup import DATA_KEY, bench_app  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(halls: int) -> list[str]:
    """A conference with ``halls`` bridge points (synthetic communes) and their link paths."""
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
    return [f"/checkin/{p.checkin_token}" for p in points]


def run(backend: str, halls: int, clients: int) -> None:
    from app.extensions import db
    from app.models import AttendanceReport

    with bench_app(backend) as app:
        links = prepare(halls)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
               "LANTOA_DATA_KEY": DATA_KEY, "SECRET_KEY": "bench", "COLLECTOR_MODE": "off",
               "LANTOA_INSTANCE_PATH": app.config["INSTANCE_PATH"]}  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "8", "-b",
             f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    requests.get(base + "/login", timeout=1)
                    break
                except requests.RequestException:
                    time.sleep(0.1)
            sessions: dict[int, requests.Session] = {}

            def post(item: tuple[int, str]) -> tuple[int, float]:
                n, link = item
                session = sessions.setdefault(n % clients, requests.Session())
                body = {"idempotency_key": f"hall-{n:06d}-report", "head_count": 30 + n % 40,
                        "attendees": SHEET}  # fmt: skip
                t0 = time.perf_counter()
                try:
                    status = session.post(base + link, json=body, timeout=60).status_code
                except requests.ConnectionError:  # a kept-alive socket the server closed: resend
                    sessions[n % clients] = requests.Session()
                    status = (
                        sessions[n % clients].post(base + link, json=body, timeout=60).status_code
                    )
                return status, time.perf_counter() - t0

            for label in ("first reports", "retries of the same"):
                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=clients) as pool:
                    results = list(pool.map(post, enumerate(links)))
                elapsed = time.perf_counter() - started
                latencies = sorted(t * 1000 for _, t in results)
                statuses = sorted({s for s, _ in results})
                p50, p95 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95)]
                print(
                    f"{backend:10} {label:20}: {len(results)} in {elapsed:5.2f} s = "
                    f"{len(results) / elapsed:6.0f}/s, p50 {p50:6.1f} ms, "
                    f"p95 {p95:6.1f} ms, statuses {statuses}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
        db.session.expire_all()
        stored = db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceReport))
        print(f"{backend:10} reports stored: {stored} (expected {halls})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--halls", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        run(backend, args.halls, args.clients)


if __name__ == "__main__":
    main()
