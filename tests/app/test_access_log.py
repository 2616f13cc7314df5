"""Access-log lines of a real server keep no check-in token and no phone."""

from __future__ import annotations

import logging

import pytest
from werkzeug.serving import WSGIRequestHandler

from app.access_log import REDACTED, RedactingFilter, install, redact


@pytest.mark.parametrize(
    ("line", "kept", "gone"),
    [
        ('"GET /checkin/Zq3-x_9aB HTTP/1.1" 200 -', "/checkin/", "Zq3-x_9aB"),
        ('"POST /checkin/Zq3-x_9aB/sheet HTTP/1.1" 400 -', "/sheet", "Zq3-x_9aB"),
        ('"GET /api/v1/people?phone=0912000111 HTTP/1.1" 405 -', "?phone=", "0912000111"),
        ('"GET /x?a=1&CCCD=040180000123&b=2 HTTP/1.1" 200 -', "&b=2", "040180000123"),
    ],
)
def test_redact(line: str, kept: str, gone: str) -> None:
    cleaned = redact(line)
    assert kept in cleaned
    assert gone not in cleaned
    assert REDACTED in cleaned


def test_the_development_servers_log_line_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    """Werkzeug's request handler logs through the filtered logger, with %-style arguments."""
    install()
    logger = logging.getLogger("werkzeug")
    assert any(isinstance(f, RedactingFilter) for f in logger.filters)

    class Handler(WSGIRequestHandler):
        def __init__(self) -> None:  # no socket: only the logging path is exercised
            self.requestline = "GET /checkin/secret-token-123?phone=0912000111 HTTP/1.1"
            self.client_address = ("127.0.0.1", 50000)
            self.command, self.path = "GET", "/checkin/secret-token-123?phone=0912000111"
            self.request_version = "HTTP/1.1"

    with caplog.at_level(logging.INFO, logger="werkzeug"):
        Handler().log_request(200, 1234)
    text = caplog.text
    assert "/checkin/" in text
    assert "secret-token-123" not in text
    assert "0912000111" not in text
