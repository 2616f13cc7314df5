"""The bench's raw-socket probe against the bare reference server, served as in the bench.

A handful of clients join the bare Flask-SocketIO server (gunicorn, gevent worker); the server
emits numbered ``delta`` updates from inside (``POST /start``). Every client must count every
update, a number the server skips (counted as sent, never emitted) must come out as one lost
message per client, and the bytes per update must be the size of the Socket.IO packet the server
wrote. Nothing here is timed: the waits only let the messages arrive.
"""

from __future__ import annotations

import json
import os
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from bench import live_probe
from bench.bare_socketio import EVENT, NAMESPACE, payload
from bench.live_figures import delivery
from bench.live_probe import Population, Server, open_client, packet_seq, split_frames, ws_frame
from bench.live_servers import Gunicorn, Probes, free_port, wait_http


@pytest.fixture
def bare(tmp_path: Path) -> Iterator[int]:
    """The bare server on a free loopback port, without a queue: it emits by itself."""
    env = {**os.environ, "BARE_ASYNC_MODE": "gevent", "BARE_QUEUE": ""}
    server = Gunicorn("bench.bare_socketio:create_app()", free_port(), env, tmp_path / "bare.log")
    try:
        wait_http(server.port, "/health", timeout=30)
        yield server.port
    finally:
        server.stop()


def emit_and_wait(port: int, count: int, skip: str = "") -> list[tuple[int, float]]:
    """Have the server emit ``count`` updates 0.1 s apart; the (seq, send time) it reports."""
    base = f"http://127.0.0.1:{port}"
    answer = requests.post(f"{base}/start", params={"count": count, "interval": 0.1, "skip": skip},
                           timeout=10)  # fmt: skip
    assert answer.status_code == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        stats = requests.get(f"{base}/stats", timeout=10).json()
        if not stats["emitting"] and len(stats["sent"]) == count:
            return [(seq, sent) for seq, sent in stats["sent"]]
        time.sleep(0.1)
    pytest.fail("the bare server did not finish emitting")


def packet_size(seq: int) -> int:
    """The Socket.IO packet the server writes for one update (compact JSON, as python-socketio)."""
    body = json.dumps(payload(seq), separators=(",", ":"))
    return len(f'42{NAMESPACE},["{EVENT}",{body}]'.encode())


def test_every_client_counts_every_update_and_bytes_are_the_packet_size(
    bare: int, tmp_path: Path
) -> None:
    probes = Probes([bare], 6, tmp_path, processes=2, probes=3, join={})
    try:
        ready = probes.wait_joined(timeout=60)
        assert sum(r["joined"] for r in ready) == 6
        sent = emit_and_wait(bare, 5)
        time.sleep(1.0)  # let the passive clients' slice drain run once more
    finally:
        parts = probes.collect()
    assert len(parts) == 2
    assert [c for p in parts for c in p["counts"]] == [5] * 6
    assert all(s == [1, 2, 3, 4, 5] for p in parts for s in p["seqs"])
    got = delivery(parts, sent)
    assert (got.joined, got.failed, got.delivered, got.lost) == (6, 0, 30, 0)
    assert got.probes == 3
    assert len(got.latencies_ms) == 3 * 5  # every probe timed every update
    assert all(lat >= 0 for lat in got.latencies_ms)
    assert got.bytes_per_update == packet_size(1) == 318


def test_an_update_the_server_skips_is_one_lost_message_per_client(bare: int) -> None:
    population = Population(Server("127.0.0.1", bare, join={}), [bare], 4, probe_every=2)
    population.connect_all()
    try:
        assert len(population.clients) == 4
        sent = emit_and_wait(bare, 5, skip="3")
        population.listen(Path("/nonexistent/stop"), max_seconds=1.5)
        result = {**population.result(), "started": 0.0, "done": 0.0}
    finally:
        population.close()
    assert result["counts"] == [4] * 4
    assert result["seqs"] == [[1, 2, 4, 5]] * 4
    got = delivery([result], sent)
    assert (got.delivered, got.lost) == (16, 4)
    assert {seq for _, seq, _ in result["receipts"]} == {1, 2, 4, 5}


def test_a_refused_join_is_an_error_not_a_client(bare: int) -> None:
    server = Server("127.0.0.1", bare, namespace="/nowhere", join={})
    population = Population(server, [bare], 2, probe_every=1)
    population.connect_all()
    population.close()
    assert population.clients == []
    assert len(population.errors) == 2


def server_frame(body: bytes) -> bytes:
    """An unmasked server frame with the length encoding RFC 6455 asks for."""
    if len(body) < 126:
        return bytes([0x81, len(body)]) + body
    if len(body) < 65536:
        return bytes([0x81, 126]) + struct.pack("!H", len(body)) + body
    return bytes([0x81, 127]) + struct.pack("!Q", len(body)) + body


@pytest.mark.parametrize("cut", [1, 3, 9, 200, 70_100])
def test_frames_of_every_length_encoding_survive_any_cut(cut: int) -> None:
    bodies = [b"2", b"x" * 300, b"y" * 70_000]
    stream = b"".join(server_frame(b) for b in bodies)
    got: list[Any] = []
    rest = b""
    for i in range(0, len(stream), cut):
        frames, rest = split_frames(rest + stream[i : i + cut])
        got += [body for _op, body in frames]
    assert got == bodies
    assert rest == b""


def test_client_frames_are_masked_and_unmask_to_the_payload() -> None:
    for body in [b"3", b"a" * 125, b"b" * 126, b"c" * 70_000]:
        frame = ws_frame(body)
        assert frame[0] == 0x81
        assert frame[1] & 0x80
        size, off = frame[1] & 0x7F, 2
        if size == 126:
            size, off = struct.unpack("!H", frame[2:4])[0], 4
        elif size == 127:
            size, off = struct.unpack("!Q", frame[2:10])[0], 10
        mask, masked = frame[off : off + 4], frame[off + 4 :]
        assert size == len(body) == len(masked)
        assert bytes(b ^ mask[i % 4] for i, b in enumerate(masked)) == body


def test_the_last_seq_of_a_packet_is_its_stamp() -> None:
    packet = b'42/live,["delta",{"patch":{"seq":3},"epoch":"ab","seq":17}]'
    assert packet_seq(packet) == 17
    assert packet_seq(b'42/live,["delta",{}]') is None


@pytest.fixture
def impatient(tmp_path: Path) -> Iterator[int]:
    """The bare server dropping a client that leaves a ping unanswered for a second."""
    env = {**os.environ, "BARE_ASYNC_MODE": "gevent", "BARE_QUEUE": "",
           "BARE_PING_INTERVAL": "1", "BARE_PING_TIMEOUT": "1"}  # fmt: skip
    server = Gunicorn("bench.bare_socketio:create_app()", free_port(), env, tmp_path / "bare.log")
    try:
        wait_http(server.port, "/health", timeout=30)
        yield server.port
    finally:
        server.stop()


def test_clients_joined_first_answer_pings_while_the_others_join(
    impatient: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_open(server: Server, probe: bool, timeout: float = 60.0) -> Any:
        time.sleep(0.5)  # a slow join: eight of them outlast the server's ping timeout
        return open_client(server, probe, timeout)

    monkeypatch.setattr(live_probe, "open_client", slow_open)
    # Every client a probe, read as frames come, once joined; servicing every 0.2 s meanwhile.
    server = Server("127.0.0.1", impatient, join={})
    population = Population(server, [impatient], 8, probe_every=1, service_every=0.2)
    population.connect_all()
    try:
        sent = emit_and_wait(impatient, 2)
        population.listen(Path("/nonexistent/stop"), max_seconds=1.0)
        result = {**population.result(), "started": 0.0, "done": 0.0}
    finally:
        population.close()
    assert result["disconnects"] == 0
    assert result["counts"] == [2] * 8
    assert delivery([result], sent).lost == 0
