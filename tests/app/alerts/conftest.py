"""A local SMTP server (aiosmtpd) and a local webhook receiver that checks the signature."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

SECRET = "s3cret-of-the-province"


@dataclass
class Mailbox:
    messages: list[dict[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]  # noqa: N802
        parsed = message_from_bytes(envelope.content)
        self.messages.append(
            {
                "to": ",".join(envelope.rcpt_tos),
                "subject": str(make_header(decode_header(parsed["Subject"]))),
                "body": parsed.get_payload(decode=True).decode(),
            }
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(app: Flask) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_STARTTLS=False,
                      SMTP_TIMEOUT=5, MAIL_FROM="canhbao@bhxh.test")  # fmt: skip
    yield mailbox
    controller.stop()


@dataclass
class Receiver:
    url: str
    calls: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    answer: int = 200


def verified(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """The check the README gives a receiver: HMAC-SHA256 over "<timestamp>." + body."""
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + expected.hexdigest(), header)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            stamp = self.headers.get("X-LanToa-Timestamp", "")
            sign = self.headers.get("X-LanToa-Signature", "")
            if state.answer != 200:
                self.send_response(state.answer)
            elif not verified(SECRET, stamp, body, sign):
                state.refused.append(sign)
                self.send_response(401)
            else:
                state.calls.append(json.loads(body))
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
