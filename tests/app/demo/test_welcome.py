"""`make run`'s first screen: the serving process loads the demo and prints its log-in last.

``make run`` sets ``LANTOA_DEMO``; the process that serves loads the demo province and, once the
server answers, prints where to log in and the password — after every start-up line of the
server, so it is what a newcomer reads last. A later start prints how to get a new password.
"""

from __future__ import annotations

import socket
import threading

import click
import pytest
from flask import Flask
from werkzeug.serving import make_server

from app.demo import welcome
from tests.app.live.webserver import wait_for
from tests.conftest import HOME, login


def printed(capsys: pytest.CaptureFixture[str], *wanted: str, seconds: float = 30.0) -> str:
    """What the process printed, once it holds every one of ``wanted`` (the welcome prints from
    a thread of its own, in its own time on a loaded machine)."""
    out: list[str] = []

    def holds() -> bool:
        out.append(capsys.readouterr().out)
        return all(text in "".join(out) for text in wanted)

    wait_for(holds, seconds, f"{wanted} printed")
    return "".join(out)


def test_the_demo_log_in_is_printed_once_the_server_answers(
    app: Flask, client, capsys: pytest.CaptureFixture[str]
) -> None:
    app.config["DEMO_PROVINCE"] = HOME
    # The port takes connections and answers none, as a server still starting up; the real one
    # comes when the test says so, not after a time that loading the demo may outlast.
    silent = socket.create_server(("127.0.0.1", 0))
    silent.settimeout(30)
    port = silent.getsockname()[1]
    ctx = click.Context(click.Command("run"), info_name="run")
    ctx.params = {"host": "127.0.0.1", "port": port}
    with ctx:
        result = welcome.load_and_welcome(app)
    assert result is not None
    assert result.password
    for _ in range(2):  # asked twice: the first probe left unanswered printed nothing
        probe, _address = silent.accept()
        probe.close()
    assert capsys.readouterr().out == ""  # nothing yet: the server is not answering
    silent.close()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = printed(capsys, result.password)
    finally:
        server.shutdown()
    assert f"log in at http://127.0.0.1:{port}/login" in out
    assert f"Password: {result.password}" in out
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
    # The first start's banner names `flask demo credentials` too: the later one is known by
    # its log-in line, which names the account instead of a password.
    out = printed(capsys, "Password:", f"/login as {again.email}")
    assert "(password forgotten? `.venv/bin/flask demo credentials` prints a new one)" in out
    assert out.count("Password:") == 1


def test_without_lantoa_demo_nothing_is_loaded(app: Flask) -> None:
    app.config["DEMO_PROVINCE"] = "0"
    assert welcome.load_and_welcome(app) is None
