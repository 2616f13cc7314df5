"""Managers' dashboards and reports on a seeded province-year: this tree beside a reference one.

    .venv/bin/python bench/reports.py --scale 0.1 [--databases sqlite,postgresql] [--repeat 20]
        [--repeat-sources 3] [--repeat-files 2] [--reference 4068eaf] [--calls 'year page,...']

Seeds ``flask seed province-year`` at ``scale`` (1.0 = 100 communes, 20,000 events, 5 M samples,
5 M comments, 1 M people, 500,000 enrolments) into a fresh database per backend, builds the
rollups, then times each page, API call and file through the test client, p50/p95 over
``repeat`` calls, with the rollups read ("rollups") and, ``--repeat-sources`` times, with the
source tables read ("sources"); ``--repeat-files`` builds of the monthly files (build_month); and
the peak memory. Each call is made once untimed first (templates compiled, caches filled).
The province-year is seeded for the hour the run starts (bench/seed_cache.py): the events after it
are planned and have no samples, comments, people or head counts yet, as a real office's; the sizes
are the target ones, spread over the events held. Both trees are seeded by this tree's seed (the
header says which seed and moment each used). Before measuring, an officer's planned event is added
through the app's session, as every office has one ahead: the seed writes its rows directly, the
app's own writes go through its listeners. The seeded databases are kept between runs (
``--seed-cache``, bench/seed_cache.py): a full-scale seed takes many minutes, its copy seconds.

With ``--reference REV`` the same measurements run in the same sitting on that git revision,
checked out in a temporary worktree: one process per revision and database (each seeds its own
database once, with the same seed and moment), and the calls alternate between them one request at
a time, so a busy machine slows both alike. The figures are printed side by side with the ratio of
the p95s (this tree / reference).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}
MONTH = {"from": "2026-10-01", "to": "2026-10-31"}
FILES = "monthly files (build_month)"
SEED_CACHE = Path(tempfile.gettempdir()) / "lantoa-bench-reports-seeds"
# The moment both trees are seeded for (bench/seed_cache.py): the start of this run's hour.
MOMENT = datetime.now(UTC).replace(minute=0, second=0, microsecond=0).isoformat()
# Label, URL (``{campaign}`` filled in), query, bearer token: what each revision is asked.
CALLS = (
    ("year page /reports/channels", "/reports/channels", YEAR, False),
    ("month page /reports/channels", "/reports/channels", MONTH, False),
    ("API channels, year", "/api/v1/reports/channels", YEAR, True),
    ("campaign page (a quarter)", "/reports/campaigns/{campaign}", {}, False),
    ("monthly Excel channels.xlsx", "/reports/channels.xlsx", MONTH, False),
    ("monthly printable", "/reports/monthly", {"period": "2026-10"}, False),
)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- the child: one revision on one database -------------------------------------------------


def child(database: str, scale: float, cache: Path | None) -> None:
    """Seed (or restore the cached seed), then answer one measurement per line read:
    {"call", "mode"} → {"ms"} or {"error"}."""
    import gc
    import importlib.util
    import resource
    import time

    from app.auth.tokens import issue_token
    from app.extensions import db
    from app.models import Campaign, OrgUnit
    from app.reports.files import build_month
    from tests.conftest import Factory, login

    # By path: this tree's module, whatever tree the child imports its app from.
    spec = importlib.util.spec_from_file_location("seed_cache", HERE.parent / "seed_cache.py")
    assert spec is not None
    assert spec.loader is not None
    seed_cache = importlib.util.module_from_spec(spec)
    sys.modules["seed_cache"] = seed_cache  # for its dataclass
    spec.loader.exec_module(seed_cache)

    def say(message: dict[str, Any]) -> None:
        print(json.dumps(message), flush=True)

    tree = Path(os.environ.get("LANTOA_BENCH_TREE", str(ROOT)))
    with seed_cache.seeded_app(tree, database, scale, cache) as (app, out):
        code = out["province_code"]
        user = Factory(app).user("manager", code)
        token = issue_token(user)
        db.session.commit()
        upcoming(code)
        campaign = db.session.scalars(
            db.select(Campaign).join(OrgUnit).where(OrgUnit.code == code)
        ).first()
        client = app.test_client()
        login(client, user.email)
        calls = {
            label: (url.format(campaign=campaign.id), {"org_unit": code, **params}, bearer)
            for label, url, params, bearer in CALLS
        }
        target = db.session.scalars(db.select(OrgUnit).where(OrgUnit.code == code)).one()
        folder = Path(app.instance_path) / "reports"
        # Served as wsgi.py serves it: what was built so far is frozen out of the collector's
        # generations. Without it a full collection walked ~365,000 objects (the app, the seed's
        # leftovers) every dozen year pages, 130 ms each, which a served process never does.
        gc.collect()
        gc.freeze()
        say(out)
        for line in sys.stdin:
            asked = json.loads(line)
            if asked.get("quit"):
                break
            app.config["REPORTS_ROLLUPS"] = "auto" if asked["mode"] == "rollups" else "off"
            started = time.perf_counter()
            try:
                if asked["call"] == FILES:
                    build_month(folder, target, "2026-10")
                    status = 200
                else:
                    url, params, bearer = calls[asked["call"]]
                    headers = {"Authorization": f"Bearer {token}"} if bearer else {}
                    status = client.get(url, query_string=params, headers=headers).status_code
            except Exception as exc:  # a figure, not a crash: say what failed
                db.session.rollback()
                say({"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:100]}"})
                continue
            took = (time.perf_counter() - started) * 1000
            say({"ms": took} if status == 200 else {"error": f"HTTP {status}"})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        say({"peak_mb": peak})


def upcoming(code: str) -> None:
    """A conference planned for later in the year, created as the event form creates one."""
    from datetime import UTC, datetime

    from app.extensions import db
    from app.models import Channel, Event, OrgUnit

    unit = db.session.scalars(db.select(OrgUnit).where(OrgUnit.code == code)).one()
    db.session.add(Event(title="Hội nghị trực tuyến tháng 12", channel=Channel.ONLINE_CONFERENCE,
                         org_unit=unit, cost_vnd=2_500_000, description="",
                         planned_start=datetime(2026, 12, 20, 1, 0, tzinfo=UTC)))  # fmt: skip
    db.session.commit()


# -- the parent: revisions side by side --------------------------------------------------------


class Revision:
    """A child process measuring one tree on one database."""

    def __init__(
        self, name: str, tree: Path, database: str, args: argparse.Namespace, log: Path
    ) -> None:
        self.name = name
        self.log = log
        env = {**os.environ, "LANTOA_BENCH_TREE": str(tree), "LANTOA_BENCH_MOMENT": MOMENT}
        command = [sys.executable, str(HERE), "--child", "--databases", database,
                   "--scale", str(args.scale), "--seed-cache", args.seed_cache]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=log.open("w"), text=True,
        )  # fmt: skip
        self.ready = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        while line := self.process.stdout.readline():
            if line.startswith("{"):
                return json.loads(line)
        tail = self.log.read_text(errors="replace").splitlines()[-15:]
        raise RuntimeError(f"{self.name} stopped:\n" + "\n".join(tail))

    def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> dict[str, Any]:
        try:
            return self.ask({"quit": True})
        finally:
            self.process.wait(timeout=300)


def figure(times: list[float], error: str | None) -> str:
    if error:
        return f"{error[:40]:>30}"
    if not times:
        return f"{'-':>30}"
    return f"p50 {statistics.median(times):8.1f}  p95 {pct(times, 0.95):8.1f}"


def measure(revisions: list[Revision], mode: str, label: str, n: int) -> None:
    times: dict[str, list[float]] = {r.name: [] for r in revisions}
    errors: dict[str, str | None] = dict.fromkeys(times)
    for revision in revisions:  # warm-up, not counted: templates compiled, caches filled
        if "error" in (answer := revision.ask({"call": label, "mode": mode})):
            errors[revision.name] = answer["error"]
    for i in range(n):
        # Alternate who goes first, so neither always follows the other's request.
        for revision in revisions if i % 2 == 0 else revisions[::-1]:
            if errors[revision.name]:
                continue
            answer = revision.ask({"call": label, "mode": mode})
            if "error" in answer:
                errors[revision.name] = answer["error"]
            else:
                times[revision.name].append(answer["ms"])
    cells = [figure(times[r.name], errors[r.name]) for r in revisions]
    ratio = ""
    if len(revisions) == 2 and all(times.values()) and not any(errors.values()):
        ours, theirs = (pct(times[r.name], 0.95) for r in revisions)
        ratio = f"  x{ours / theirs:5.2f}"
    print(f"{label:30} " + " | ".join(cells) + ratio, flush=True)


def run(args: argparse.Namespace, trees: list[tuple[str, Path]], folder: Path) -> None:
    for database in args.databases.split(","):
        database = database.strip()
        revisions: list[Revision] = []
        try:
            for name, tree in trees:  # seeded one after the other, then measured together
                log = folder / f"{name.split()[0]}-{database}.log"
                revision = Revision(name, tree, database, args, log)
                revisions.append(revision)
                ready = revision.ready
                cached = f" (cached at {ready['cached']})" if "cached" in ready else ""
                print(f"== {database}, {name}: seeded {ready['rows']:,} rows in "
                      f"{ready['seeded']:.1f} s, rollup --full {ready['rollup']:.1f} s{cached}  "
                      f"{ready['sizes']}; {ready.get('seed', 'the tree own seed')}",
                      flush=True)  # fmt: skip
            header = " | ".join(f"{r.name:>30}" for r in revisions)
            for mode, n in (("rollups", args.repeat), ("sources", args.repeat_sources)):
                if n <= 0:
                    continue
                print(f"-- {database}, {mode} (ms, n={n})\n{'':30} {header}", flush=True)
                for label, *_ in CALLS:
                    if not args.calls or any(label.startswith(c) for c in args.calls.split(",")):
                        measure(revisions, mode, label, n)
                if args.repeat_files > 0:
                    measure(revisions, mode, FILES, args.repeat_files)
        finally:
            for revision in revisions:
                if revision.process.poll() is None:
                    peak = revision.close().get("peak_mb", 0)
                    print(f"{revision.name}: peak RSS {peak:.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--databases", "--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--repeat-sources", type=int, default=3)
    parser.add_argument("--repeat-files", type=int, default=2)
    parser.add_argument("--reference", help="a git revision measured beside this tree")
    parser.add_argument("--calls", default="", help="only the calls whose labels start so, "
                        "comma-separated (e.g. 'year page,campaign,monthly Excel')")  # fmt: skip
    parser.add_argument("--seed-cache", default=str(SEED_CACHE), metavar="DIR",
                        help="keep seeded databases here between runs (bench/seed_cache.py); "
                        "'' seeds afresh each run")  # fmt: skip
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.databases, args.scale, Path(args.seed_cache) if args.seed_cache else None)
        return
    if not (ROOT / "app" / "translations" / "vi" / "LC_MESSAGES" / "messages.mo").exists():
        print("note: this tree's translations are not compiled (make translations)", flush=True)
    from bench._setup import measured_trees

    with (
        tempfile.TemporaryDirectory(prefix="lantoa-bench-reports-") as tmp,
        measured_trees(args.reference, ref="ref") as trees,
    ):
        run(args, trees, Path(tmp))


if __name__ == "__main__":
    if "--child" in sys.argv:  # import the app of the tree being measured, not of this file's
        sys.path[0] = os.environ.get("LANTOA_BENCH_TREE", str(ROOT))
    else:
        sys.path.insert(0, str(ROOT))
    main()
