"""Plumbing every fake shares: fault switches, a request log, and serving on 127.0.0.1.

``FaultQueue`` is one fake's fault switches (the livestream fakes share the richer
``faults.Faults``); ``RequestLog`` records what a fake was asked. ``LoopbackServer`` serves any
WSGI app on 127.0.0.1 (a free port) in a daemon thread, so a test can talk real HTTP to one fake
without starting the whole ``Sandbox``; its request handler keeps the headers werkzeug would drop
(``KeepUnderscoreHeaders``) and writes no access log.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

LOOPBACK = "127.0.0.1"
UNDERSCORE_HEADERS = "sandbox.underscore_headers"  # WSGI environ key of the kept headers


@dataclass
class Fault:
    kind: str
    opts: dict[str, Any] = field(default_factory=dict)

    def opt(self, name: str, default: Any) -> Any:
        return self.opts.get(name, default)


class FaultQueue:
    """Fault switches for one fake: ``fail_next(kind, times, **opts)``, taken oldest first."""

    def __init__(self, kinds: Iterable[str]) -> None:
        self.kinds = frozenset(kinds)
        self._queue: list[list[Any]] = []
        self._lock = threading.Lock()

    def fail_next(self, kind: str, times: int = 1, **opts: Any) -> None:
        if kind not in self.kinds:
            raise ValueError(f"unknown fault {kind!r}; use one of {sorted(self.kinds)}")
        with self._lock:
            self._queue.append([kind, opts, times])

    def take(self, applies: Iterable[str] | None = None) -> Fault | None:
        """The oldest queued fault (among ``applies`` if given) for this request."""
        allowed = set(applies) if applies is not None else None
        with self._lock:
            for entry in self._queue:
                if allowed is None or entry[0] in allowed:
                    entry[2] -= 1
                    if entry[2] <= 0:
                        self._queue.remove(entry)
                    return Fault(entry[0], dict(entry[1]))
        return None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()


class RequestLog:
    """What a fake was asked (every request, every batch item), so tests can pin paging and auth."""

    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, **entry: Any) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(e) for e in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class KeepUnderscoreHeaders(WSGIRequestHandler):
    """Werkzeug's server drops request headers whose names hold ``_`` (as nginx and gunicorn do)
    so they cannot pose as others in the WSGI environ; Zalo's ``access_token`` and ``secret_key``
    are such headers, so the sandbox keeps them aside, lower-cased, under ``UNDERSCORE_HEADERS``.
    """

    def make_environ(self) -> dict[str, Any]:
        environ = super().make_environ()
        environ[UNDERSCORE_HEADERS] = {
            key.lower(): value for key, value in self.headers.items() if "_" in key
        }
        return environ


class QuietHandler(KeepUnderscoreHeaders):
    """No access log in tests; the request log records what they need."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class LoopbackServer:
    """Serves a WSGI app on 127.0.0.1 (any free port) in a daemon thread; use as a context."""

    def __init__(self, app: Any) -> None:
        self._server: BaseWSGIServer = make_server(
            LOOPBACK, 0, app, threaded=True, request_handler=QuietHandler
        )
        self.url = f"http://{LOOPBACK}:{self._server.server_port}"
        self._thread = threading.Thread(
            target=lambda: self._server.serve_forever(poll_interval=0.05), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
