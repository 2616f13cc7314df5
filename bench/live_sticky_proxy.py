"""A tiny loopback HTTP proxy with sticky sessions, for Socket.IO's long-polling fallback.

A browser that cannot open a WebSocket falls back to Engine.IO long-polling: a handshake request
creates a session (``sid``) in one web process, and every later request of that session must
reach the same process, which alone holds it; another process answers 400 ("Invalid session").
With several web processes the proxy in front must therefore be sticky. This one pins:

- ``sid``: by the Engine.IO session id, learnt from the handshake answer (``0{"sid": …}``); new
  sessions go round-robin, so clients spread over the processes;
- ``address``: by the client's address (nginx's ``ip_hash``; every loopback client lands on the
  same process, which is why the tests use ``sid``);
- ``round-robin``: not sticky at all, to show the failure.

One request per client connection (``Connection: close`` both ways) keeps it small; a WebSocket
upgrade is piped through to the process of its session. It is a test and bench tool for
loopback, not a production proxy (use nginx's ``ip_hash`` or HAProxy's cookie stickiness there).

    .venv/bin/python bench/live_sticky_proxy.py --backends 8001,8002 --port 8000 [--mode sid]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import re
import sys
import threading
from urllib.parse import parse_qs, urlsplit

SID = re.compile(rb'"sid"\s*:\s*"([^"]+)"')
MODES = ("sid", "address", "round-robin")


class StickyProxy:
    """Listens on 127.0.0.1; forwards each request to one of ``backends`` (loopback ports)."""

    def __init__(self, backends: list[int], mode: str = "sid") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.backends, self.mode = backends, mode
        self.routes: dict[str, int] = {}  # Engine.IO sid -> backend port
        self.statuses: list[tuple[int, int]] = []  # (backend, HTTP status) per request
        self._next = itertools.cycle(backends)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None

    def choose(self, target: str, peer: str) -> int:
        if self.mode == "address":
            return self.backends[sum(peer.encode()) % len(self.backends)]
        sid = parse_qs(urlsplit(target).query).get("sid", [""])[0]
        if self.mode == "sid" and sid in self.routes:
            return self.routes[sid]
        return next(self._next)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            target = lines[0].split(" ")[1]
            fields = (line.partition(":") for line in lines[1:] if line)
            headers = {name.strip().lower(): value.strip() for name, _, value in fields}
            body = await reader.readexactly(int(headers.get("content-length", 0) or 0))
            backend = self.choose(target, writer.get_extra_info("peername")[0])
            upstream_reader, upstream = await asyncio.open_connection("127.0.0.1", backend)
            if headers.get("upgrade", "").lower() == "websocket":
                upstream.write(head + body)
                await _pipe_both(reader, writer, upstream_reader, upstream)
                return
            kept = [h for h in lines[1:] if h and not h.lower().startswith("connection:")]
            request = "\r\n".join([lines[0], *kept, "Connection: close", "", ""])
            upstream.write(request.encode("latin-1") + body)
            await upstream.drain()
            response = await upstream_reader.read()
            upstream.close()
            self._learn(target, backend, response)
            writer.write(response)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError, ValueError):
            pass
        finally:
            writer.close()

    def _learn(self, target: str, backend: int, response: bytes) -> None:
        status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/") else 0
        self.statuses.append((backend, status))
        query = parse_qs(urlsplit(target).query)
        if status == 200 and "sid" not in query and target.startswith("/socket.io/"):
            found = SID.search(response.partition(b"\r\n\r\n")[2])
            if found:
                self.routes[found.group(1).decode()] = backend

    async def serve(self, port: int = 0) -> int:
        self._server = await asyncio.start_server(self.handle, "127.0.0.1", port)
        return self._server.sockets[0].getsockname()[1]

    def start(self, port: int = 0) -> int:
        """Serve from a daemon thread; the port it listens on."""
        self._loop = asyncio.new_event_loop()
        started = threading.Event()
        bound: list[int] = []

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            bound.append(self._loop.run_until_complete(self.serve(port)))
            started.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        started.wait(10)
        return bound[0]

    def stop(self) -> None:
        if self._loop is None or self._server is None:
            return

        async def close() -> None:
            self._server.close()
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(close(), self._loop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop.close()


async def _pipe_both(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter,
                     up_r: asyncio.StreamReader, up_w: asyncio.StreamWriter) -> None:  # fmt: skip
    async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await src.read(65536):
                dst.write(data)
                await dst.drain()
        dst.close()

    await asyncio.gather(pipe(client_r, up_w), pipe(up_r, client_w))


def main(argv: list[str]) -> None:
    if not argv:  # `make bench` runs every script; this one serves until stopped
        print(__doc__.strip().splitlines()[0] + " (see --help)")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", required=True, help="comma-separated loopback ports")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="sid", choices=MODES)
    args = parser.parse_args(argv)
    proxy = StickyProxy([int(p) for p in args.backends.split(",")], args.mode)

    async def run() -> None:
        port = await proxy.serve(args.port)
        print(f"sticky proxy ({args.mode}) on 127.0.0.1:{port} → {args.backends}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":
    main(sys.argv[1:])
