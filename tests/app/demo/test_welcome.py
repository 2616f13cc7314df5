"""`make run`'s first screen: the serving process loads the demo and prints its log-in last.

``make run`` sets ``LANTOA_DEMO``; the process that serves loads the demo province and, once the
server answers, prints where to log in and the password — after every start-up line of the
server, so it is what a newcomer reads last. A later start prints how to get a new password.
"""

from __future__ import annotations

import threading
import time

import click
import pytest
from flask import Flask
from werkzeug.serving import make_server

from app.demo import welcome
from tests.conftest import HOME
from tests.servers import free_port


def serve_later(app: Flask, port: int, delay: float) -> list:
    """Start serving only after ``delay`` seconds, as the development server does after start-up."""
    servers: list = []

    def run() -> None:
        time.sleep(delay)
        server = make_server("127.0.0.1", port, app, threaded=True)
        servers.append((time.monotonic(), server))
        server.serve_forever()

    threading.Thread(target=run, daemon=True).start()
    return servers


def test_the_demo_log_in_is_printed_once_the_server_answers(
    app: Flask, client, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    app.config["DEMO_PROVINCE"] = HOME
    servers = serve_later(app, port, delay=1.0)
    ctx = click.Context(click.Command("run"), info_name="run")
    ctx.params = {"host": "127.0.0.1", "port": port}
    with ctx:
        result = welcome.load_and_welcome(app)
    assert result is not None
    assert result.password
    assert capsys.readouterr().out == ""  # nothing yet: the server is not answering
    deadline = time.monotonic() + 30
    while result.password not in (out := capsys.readouterr().out) and time.monotonic() < deadline:
        time.sleep(0.1)
    printed_at = time.monotonic()
    assert servers
    assert servers[0][0] < printed_at
    assert f"log in at http://127.0.0.1:{port}/login" in out
    assert f"Password: {result.password}" in out
    servers[0][1].shutdown()
    from tests.conftest import login

    login(client, result.email, result.password)
    assert client.get("/events").status_code == 200


def test_a_later_start_says_how_to_get_a_new_password(
    app: Flask, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["DEMO_PROVINCE"] = HOME
    monkeypatch.setattr(welcome, "WAIT_SECONDS", 0.5)  # nothing serves: print after waiting
    first = welcome.load_and_welcome(app)
    again = welcome.load_and_welcome(app)
    assert first is not None
    assert again is not None
    assert again.password is None
    time.sleep(1.5)
    out = capsys.readouterr().out
    assert "flask demo credentials" in out
    assert out.count("Password:") == 1


def test_without_lantoa_demo_nothing_is_loaded(app: Flask) -> None:
    app.config["DEMO_PROVINCE"] = "0"
    assert welcome.load_and_welcome(app) is None
