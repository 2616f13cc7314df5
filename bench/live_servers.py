"""The processes of a live run: web servers under gunicorn's gevent worker, probe processes, and
the publishers that make the updates.

- ``Gunicorn``: one ``-k gevent -w 1 --worker-connections 3000`` process on a loopback port,
  serving either the bare reference (``bench.bare_socketio``) or Lan Tỏa (``wsgi:app`` with
  ``SOCKETIO_ASYNC_MODE=gevent``); several of them share the Redis message queue.
- ``Probes``: the client population (``bench/live_probe.py``) split over a few processes.
- ``publish``: Lan Tỏa's updates through the real collector write path, in a process of its own
  as ``flask collect run`` is: ``run_targets`` collects the sandbox's Facebook live, writes the
  samples and comments, commits, and ``app.realtime.publish`` sends the delta through Redis. The
  publisher notes the wall-clock time right after the commit (just before ``publish``) and the
  sequence number the delta got, so latency runs from the commit to the client.

    .venv/bin/python bench/live_servers.py publish --event 1 --target 1 --count 30 --out sent.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORKER_CONNECTIONS = 3000


def pinned(cpus: str) -> list[str]:
    """``taskset -c cpus`` before a command (the baseline's servers on CPU 0, clients on 1)."""
    return ["taskset", "-c", cpus] if cpus else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port: int, path: str, timeout: float = 60.0) -> None:
    """Until ``GET path`` answers 200 (one request also warms the worker up)."""
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}{path}", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port}{path}")


class Gunicorn:
    """One single-worker gevent gunicorn process on 127.0.0.1:``port``."""

    def __init__(self, app: str, port: int, env: dict[str, str], log: Path,
                 connections: int = WORKER_CONNECTIONS, cpus: str = "",
                 tree: Path = ROOT, config: Path | None = None) -> None:  # fmt: skip
        """``tree``: the checkout whose app it serves (a reference worktree); ``config``: a
        gunicorn config file (``bench/live_join.py --profile`` hooks the worker with one)."""
        self.port = port
        command = [*pinned(cpus),
            sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1",
            "--worker-connections", str(connections), "--no-control-socket",
            "--timeout", "120", "--log-level", "warning", "-b", f"127.0.0.1:{port}",
            *(["-c", str(config)] if config is not None else []), app,
        ]  # fmt: skip
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=tree, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        # A worker outliving a killed master (its own session: only this server's processes).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


def bare_servers(count: int, queue: str, tmp: Path, cpus: str = "") -> tuple[list[Gunicorn], str]:
    """``count`` bare reference servers on one Redis channel; and that channel."""
    channel = f"bare-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "BARE_ASYNC_MODE": "gevent", "BARE_QUEUE": queue,
           "BARE_CHANNEL": channel}  # fmt: skip
    servers = [
        Gunicorn(
            "bench.bare_socketio:create_app()", free_port(), env, tmp / f"bare-{i}.log", cpus=cpus
        )  # fmt: skip
        for i in range(count)
    ]
    try:
        for server in servers:
            wait_http(server.port, "/health")
    except RuntimeError:
        stop_all(servers)
        raise
    return servers, channel


def lantoa_servers(count: int, env: dict[str, str], tmp: Path, cpus: str = "",
                   tree: Path = ROOT, config: Path | None = None) -> list[Gunicorn]:  # fmt: skip
    """``count`` Lan Tỏa web processes sharing the database and the Redis queue in ``env``, served
    from ``tree`` (this checkout, or a reference worktree)."""
    web_env = {**env, "SOCKETIO_ASYNC_MODE": "gevent", "COLLECTOR_MODE": "off"}
    servers = [
        Gunicorn(
            "wsgi:app",
            free_port(),
            web_env,
            tmp / f"lantoa-{i}.log",
            cpus=cpus,
            tree=tree,
            config=config,
        )  # fmt: skip
        for i in range(count)
    ]
    try:
        for server in servers:
            wait_http(server.port, "/login")
    except RuntimeError:
        stop_all(servers)
        raise
    return servers


def stop_all(servers: list[Gunicorn]) -> None:
    for server in servers:
        server.stop()


class Probes:
    """``clients`` probe clients over ``processes`` processes, about ``probes`` of them timed."""

    def __init__(self, ports: list[int], clients: int, tmp: Path, *, processes: int = 4,
                 probes: int = 100, auth: dict[str, Any] | None = None,
                 join: dict[str, Any] | None = None, cpus: str = "") -> None:  # fmt: skip
        self.tmp = tmp / f"probes-{uuid.uuid4().hex[:8]}"
        self.tmp.mkdir(parents=True)
        self.stop_file = self.tmp / "stop"
        every = max(1, clients // max(1, probes))
        processes = max(1, min(processes, clients))
        sizes = [clients // processes + (i < clients % processes) for i in range(processes)]
        self.outs: list[Path] = []
        self.processes: list[subprocess.Popen[bytes]] = []
        offset = 0
        for i, size in enumerate(sizes):
            out = self.tmp / f"probe-{i}.json"
            command = [
                *pinned(cpus), sys.executable, str(ROOT / "bench" / "live_probe.py"),
                "--ports", ",".join(map(str, ports)), "--clients", str(size),
                "--offset", str(offset), "--probe-every", str(every),
                "--out", str(out), "--stop", str(self.stop_file),
            ]  # fmt: skip
            if auth is not None:
                command += ["--auth", json.dumps(auth)]
            if join is not None:
                command += ["--join", json.dumps(join)]
            with (self.tmp / f"probe-{i}.log").open("ab") as log:
                self.processes.append(
                    subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
                )
            self.outs.append(out)
            offset += size

    def wait_joined(self, timeout: float = 900.0) -> list[dict[str, Any]]:
        """Until every process has joined its clients; what each reported."""
        deadline = time.monotonic() + timeout
        ready = [Path(f"{out}.ready") for out in self.outs]
        while not all(r.exists() for r in ready):
            dead = [p for p in self.processes if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"probe processes failed to join; see {self.tmp}")
            time.sleep(0.1)
        return [json.loads(r.read_text()) for r in ready]

    def collect(self, timeout: float = 120.0) -> list[dict[str, Any]]:
        """Stop listening (after the final drain) and read every process's receipts."""
        self.stop_file.touch()
        for process in self.processes:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        return [json.loads(out.read_text()) for out in self.outs if out.exists()]

    def kill(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=5)


def run_publisher(command: list[str], env: dict[str, str], out: Path, timeout: float) -> list:
    """Run a publisher process to its end; the (seq, send time) pairs it wrote."""
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"publisher failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return [tuple(pair) for pair in json.loads(out.read_text())]


def bare_publisher(queue: str, channel: str, count: int, interval: float) -> list[str]:
    """The bare emitter's command; ``measure`` adds ``--out``."""
    return [
        sys.executable, str(ROOT / "bench" / "bare_socketio.py"), "emit", "--queue", queue,
        "--channel", channel, "--count", str(count), "--interval", str(interval),
    ]  # fmt: skip


def lantoa_publisher(event_id: int, target_id: int, count: int, interval: float) -> list[str]:
    """Lan Tỏa's collector-path publisher's command; ``measure`` adds ``--out``."""
    return [
        sys.executable, str(ROOT / "bench" / "live_servers.py"), "publish",
        "--event", str(event_id), "--target", str(target_id), "--count", str(count),
        "--interval", str(interval),
    ]  # fmt: skip


def publish_collected(event_id: int, target_id: int, count: int, interval: float) -> list:
    """``count`` collection rounds ``interval`` apart: collect, write, commit, publish (Redis)."""
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.collection.changes import Change
    from app.collection.runner import run_targets
    from app.extensions import db
    from app.realtime import publish
    from app.realtime.sequence import current_seq

    app = create_app()
    sent: list[tuple[int, float]] = []

    def timed(event: int, reason: str, change: Change | None) -> None:
        committed = time.time()
        publish(event, reason, change)
        sent.append((current_seq(event).seq, committed))

    with app.app_context():
        start = time.time()
        for i in range(count):
            delay = start + i * interval - time.time()
            if delay > 0:
                time.sleep(delay)
            run_targets([target_id], publish=timed)
            db.session.remove()
    return sent


def main(argv: list[str]) -> None:
    if not argv or argv[0] != "publish":  # `make bench` runs every script; live_latency drives it
        print(__doc__.strip().splitlines()[0] + " (driven by bench/live_latency.py)")
        return
    parser = argparse.ArgumentParser(prog="live_servers.py publish")
    parser.add_argument("--event", type=int, required=True)
    parser.add_argument("--target", type=int, required=True)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv[1:])
    sent = publish_collected(args.event, args.target, args.count, args.interval)
    Path(args.out).write_text(json.dumps(sent))


if __name__ == "__main__":
    main(sys.argv[1:])
