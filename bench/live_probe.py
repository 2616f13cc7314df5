"""Probe-sampled Socket.IO clients on raw sockets: a population that costs the machine little.

Every client does what a browser does on the live page: the Engine.IO v4 WebSocket upgrade, the
Socket.IO v5 connect to the namespace (with ``auth``), then the ``join`` event with its ack. After
that only every K-th client (a *probe*) is read continuously and timestamps each ``delta`` frame;
the others are drained every few seconds (which also answers the server's pings "2" with "3").
A python-socketio client costs 0.1–0.7 ms of CPU per received message, so 1,000 of them on this
machine measure themselves; here the probes are about 100 whatever N is, and the latency reflects
the server's fan-out, as with browsers on their own machines. Every client's deltas are still
counted at the end, so a message the server failed to deliver to anyone is a lost one.

The probe counts and sizes ``delta`` messages without reading their content (its shape belongs to
the app); it only looks for the last ``"seq":`` number in the frame to match a receipt with the
publisher's send time, falling back on arrival order when there is none.

One process runs ``--clients`` clients and writes its receipts as JSON to ``--out``:

    .venv/bin/python bench/live_probe.py --ports 5000 --clients 250 --probe-every 10 \\
        --auth '{"token": "…"}' --join '{"event_id": 1}' --out /tmp/p0.json --stop /tmp/stop
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import json
import os
import re
import resource
import selectors
import socket
import struct
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEQ = re.compile(rb'"seq"\s*:\s*(\d+)')
DRAIN_SECONDS = 3.0  # passive clients are read this often: well inside Engine.IO's ping timeout
SLICES = 6


@dataclass(frozen=True)
class Server:
    """Where and how the clients join: namespace, connect auth, join event and data."""

    host: str
    port: int
    namespace: str = "/live"
    auth: dict[str, Any] | None = None
    join: dict[str, Any] | None = None
    join_event: str = "join"
    event: str = "delta"
    cookie: str = ""

    @property
    def event_prefix(self) -> bytes:
        return f'42{self.namespace},["{self.event}",'.encode()


@dataclass
class Client:
    """One joined socket and what it received after joining."""

    sock: socket.socket
    buf: bytes
    probe: bool
    join_s: float
    count: int = 0
    nbytes: int = 0
    alive: bool = True
    seqs: list[int] = field(default_factory=list)


def ws_frame(payload: bytes, opcode: int = 1) -> bytes:
    """A masked client frame (RFC 6455 requires clients to mask)."""
    mask = os.urandom(4)
    size = len(payload)
    if size < 126:
        head = bytes([0x80 | opcode, 0x80 | size])
    elif size < 65536:
        head = bytes([0x80 | opcode, 0x80 | 126]) + struct.pack("!H", size)
    else:
        head = bytes([0x80 | opcode, 0x80 | 127]) + struct.pack("!Q", size)
    key = int.from_bytes(mask * ((size + 3) // 4 or 1), "big") >> (8 * (-size % 4))
    masked = (int.from_bytes(payload, "big") ^ key).to_bytes(size, "big") if size else b""
    return head + mask + masked


def split_frames(buf: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """Complete (opcode, payload) frames at the head of ``buf``, and the rest (server frames are
    never masked)."""
    frames: list[tuple[int, bytes]] = []
    pos = 0
    while len(buf) - pos >= 2:
        size, off = buf[pos + 1] & 0x7F, 2
        if size == 126:
            if len(buf) - pos < 4:
                break
            size, off = struct.unpack_from("!H", buf, pos + 2)[0], 4
        elif size == 127:
            if len(buf) - pos < 10:
                break
            size, off = struct.unpack_from("!Q", buf, pos + 2)[0], 10
        if len(buf) - pos < off + size:
            break
        frames.append((buf[pos] & 0x0F, buf[pos + off : pos + off + size]))
        pos += off + size
    return frames, buf[pos:]


def packet_seq(packet: bytes) -> int | None:
    """The last ``"seq":`` number of a packet (the transport's stamp is written last)."""
    found = SEQ.findall(packet)
    return int(found[-1]) if found else None


def _recv(sock: socket.socket) -> bytes:
    data = sock.recv(65536)
    if not data:
        raise ConnectionError("closed by the server during the handshake")
    return data


def open_client(server: Server, probe: bool, timeout: float = 60.0) -> Client:
    """Upgrade, open the namespace, join; return once the join is acknowledged."""
    began = time.perf_counter()
    sock = socket.create_connection((server.host, server.port), timeout=timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    cookie = f"Cookie: {server.cookie}\r\n" if server.cookie else ""
    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {server.host}:{server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{cookie}\r\n"
    )
    sock.sendall(request.encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += _recv(sock)
    head, buf = buf.split(b"\r\n\r\n", 1)
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        sock.close()
        raise ConnectionError(head[:200].decode(errors="replace"))
    ns = server.namespace.encode()
    connect = b"40" + ns + b"," + (json.dumps(server.auth).encode() if server.auth else b"")
    join = b"42" + ns + b",0" + json.dumps([server.join_event, server.join or {}]).encode()
    step = "open"
    while True:
        frames, buf = split_frames(buf)
        for _opcode, packet in frames:
            if step == "open" and packet[:1] == b"0":
                sock.sendall(ws_frame(connect))
                step = "connect"
            elif step == "connect" and packet.startswith(b"44" + ns):
                sock.close()
                raise ConnectionError(f"connect refused: {packet[:200]!r}")
            elif step == "connect" and packet.startswith(b"40" + ns):
                if server.join is None:
                    return _joined(sock, buf, probe, began)
                sock.sendall(ws_frame(join))
                step = "join"
            elif step == "join" and packet.startswith(b"43" + ns + b",0"):
                if b'"ok":true' not in packet.replace(b" ", b""):
                    sock.close()
                    raise ConnectionError(f"join refused: {packet[:200]!r}")
                return _joined(sock, buf, probe, began)
            elif packet == b"2":
                sock.sendall(ws_frame(b"3"))
        buf += _recv(sock)


def _joined(sock: socket.socket, buf: bytes, probe: bool, began: float) -> Client:
    sock.setblocking(False)
    return Client(sock, buf, probe, time.perf_counter() - began)


class Population:
    """N joined clients of one process; probes timestamp, the others are counted."""

    def __init__(self, server: Server, ports: list[int], clients: int, probe_every: int,
                 service_every: float = 1.0) -> None:  # fmt: skip
        self.server, self.ports, self.size, self.every = server, ports, clients, probe_every
        self.service_every = service_every  # seconds between reads of the joined while joining
        self.clients: list[Client] = []
        self.errors: list[str] = []
        self.receipts: list[tuple[int, int | None, float]] = []  # (client, seq, arrival)
        self.disconnects = 0
        self.prefix = server.event_prefix
        self.selector = selectors.DefaultSelector()

    def connect_all(self, offset: int = 0) -> None:
        """Clients one after another, spread over the ports by their global number.

        Every ``service_every`` seconds those already joined are read, so they answer the
        server's pings: a slow join of them all would otherwise outlast Engine.IO's ping timeout
        (25 + 20 s) and the server would drop the first ones, a loss of the probe's making.
        """
        serviced = time.monotonic()
        for i in range(self.size):
            if time.monotonic() - serviced > self.service_every:
                for index in range(len(self.clients)):
                    if self.clients[index].alive:
                        self.read(index, time.time())
                serviced = time.monotonic()
            n = offset + i
            port = self.ports[n % len(self.ports)]
            server = dataclasses.replace(self.server, port=port)
            try:
                client = open_client(server, probe=n % self.every == 0)
            except (OSError, ConnectionError) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            self.clients.append(client)
            if client.probe:
                self.selector.register(client.sock, selectors.EVENT_READ, len(self.clients) - 1)

    def read(self, index: int, now: float) -> bool:
        """Take what the socket holds; count (and for a probe, timestamp) each delta.

        True when bytes were read (the socket may hold more)."""
        client = self.clients[index]
        try:
            data = client.sock.recv(1 << 20)
        except BlockingIOError:
            return False
        except OSError:
            data = b""
        if data == b"":
            self._lost(index)
            return False
        frames, client.buf = split_frames(client.buf + data)
        for opcode, packet in frames:
            if opcode == 8:
                self._lost(index)
                return False
            if packet.startswith(self.prefix):
                client.count += 1
                client.nbytes += len(packet)
                seq = packet_seq(packet)
                if seq is not None:
                    client.seqs.append(seq)
                if client.probe:
                    self.receipts.append((index, seq, now))
            elif packet == b"2":
                try:
                    client.sock.send(ws_frame(b"3"))
                except OSError:
                    self._lost(index)
                    return False
        return True

    def _lost(self, index: int) -> None:
        client = self.clients[index]
        if client.alive:
            client.alive = False
            self.disconnects += 1
            if client.probe:
                self.selector.unregister(client.sock)

    def listen(self, stop: Path, max_seconds: float) -> None:
        """Read the probes as frames arrive and the others by slices, until ``stop`` exists."""
        passive = [i for i, c in enumerate(self.clients) if not c.probe]
        deadline = time.monotonic() + max_seconds
        next_slice, part, checked = time.monotonic(), 0, 0.0
        while time.monotonic() < deadline:
            for key, _ in self.selector.select(timeout=0.05):
                self.read(key.data, time.time())
            now = time.monotonic()
            if now >= next_slice:
                for i in passive[part::SLICES]:
                    if self.clients[i].alive:
                        self.read(i, time.time())
                part = (part + 1) % SLICES
                next_slice = now + DRAIN_SECONDS / SLICES
            if now - checked > 0.2:
                checked = now
                if stop.exists():
                    break
        for i in passive:  # the last deliveries still count, however many are waiting
            while self.clients[i].alive and self.read(i, time.time()):
                pass

    def result(self) -> dict[str, Any]:
        joins = [c.join_s for c in self.clients]
        return {
            "clients": self.size,
            "joined": len(self.clients),
            "failed": len(self.errors),
            "errors": self.errors[:5],
            "disconnects": self.disconnects,
            "probes": sum(c.probe for c in self.clients),
            "counts": [c.count for c in self.clients],
            "bytes": [c.nbytes for c in self.clients],
            "seqs": [sorted(set(c.seqs)) for c in self.clients],
            "receipts": self.receipts,
            "join_s_max": max(joins, default=0.0),
        }

    def close(self) -> None:
        for client in self.clients:
            client.sock.close()
        self.selector.close()


def raise_open_files() -> int:
    """Every client is a descriptor: lift the soft limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--ports", required=True, help="comma-separated; clients alternate")
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--offset", type=int, default=0, help="number of this process's 1st client")
    parser.add_argument("--probe-every", type=int, default=1)
    parser.add_argument("--namespace", default="/live")
    parser.add_argument("--auth", default="", help="JSON sent with the namespace connect")
    parser.add_argument("--join", default="", help="JSON data of the join event (none: no join)")
    parser.add_argument("--cookie", default="", help="Cookie header (a logged-in session)")
    parser.add_argument("--event", default="delta")
    parser.add_argument("--out", required=True)
    parser.add_argument("--stop", required=True, help="the process stops when this file exists")
    parser.add_argument("--max-seconds", type=float, default=600.0)
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    if not argv:  # `make bench` runs every script: this one is driven by live_latency.py
        print(__doc__.strip().splitlines()[0] + " (driven by bench/live_latency.py)")
        return
    args = parse_args(argv)
    raise_open_files()
    server = Server(
        host=args.host,
        port=0,
        namespace=args.namespace,
        auth=json.loads(args.auth) if args.auth else None,
        join=json.loads(args.join) if args.join else None,
        event=args.event,
        cookie=args.cookie,
    )
    ports = [int(p) for p in args.ports.split(",")]
    population = Population(server, ports, args.clients, args.probe_every)
    started = time.time()
    population.connect_all(args.offset)
    done = time.time()
    out = Path(args.out)
    ready = {"joined": len(population.clients), "started": started, "done": done}
    # Written whole, then renamed: the driver polls for the file and reads it as soon as it exists.
    Path(f"{out}.ready.tmp").write_text(json.dumps(ready))
    Path(f"{out}.ready.tmp").replace(f"{out}.ready")
    population.listen(Path(args.stop), args.max_seconds)
    result = {**population.result(), "started": started, "done": done}
    out.write_text(json.dumps(result))
    population.close()


if __name__ == "__main__":
    main(sys.argv[1:])
