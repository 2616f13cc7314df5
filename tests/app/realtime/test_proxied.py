"""Behind a reverse proxy (PROXY_HOPS), a live socket knows its client as every page does.

Flask-SocketIO's middleware takes ``/socket.io/`` before Flask sees the request; the proxy fix
must sit outside it, or each socket's request (whose address an officer's join writes to the
audit log) would carry the proxy's address and scheme. Driven through the app's WSGI entry with
Engine.IO's polling handshake, as a browser behind nginx opens its socket.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.extensions import db, socketio

CLIENT = "198.51.100.7"  # a documentation address: the browser's, as nginx forwards it


@pytest.mark.parametrize("hops", [1, 0])
def test_a_live_socket_sees_the_forwarded_client_only_behind_a_proxy(
    app: Flask, tmp_path: Path, hops: int
) -> None:
    served = create_app({**app.config, "PROXY_HOPS": hops, "INSTANCE_PATH": str(tmp_path / "p")})
    try:
        client = served.test_client()  # the proxy's own address: 127.0.0.1
        opened = client.get(
            "/socket.io/?EIO=4&transport=polling",
            headers={"X-Forwarded-For": CLIENT, "X-Forwarded-Proto": "https"},
        )
        assert opened.status_code == 200, opened.text
        handshake = opened.get_data(as_text=True)
        assert handshake.startswith("0"), handshake  # Engine.IO's open packet
        eio_sid = json.loads(handshake[1:])["sid"]
        # What every handler of this socket is given as its request.
        environ = socketio.server.environ[eio_sid]
        if hops:
            assert (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]) == (CLIENT, "https")
        else:  # no proxy trusted: a forged header changes nothing
            assert (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]) == ("127.0.0.1", "http")
    finally:
        with served.app_context():
            db.engine.dispose()
