"""deploy/nginx.conf, served for real: nginx in front of the app, TLS, one proxy hop.

The shipped file is used as it is, with only what a test cannot use swapped: its ports (free
loopback ports instead of 80/443), its certificate (a self-signed one made here), the IPv6
listeners and the log path. Checked through it: plain http redirects to https; log-in cookies are
Secure; the app sees the client's address and https (PROXY_HOPS=1), not the proxy's, and a forged
X-Forwarded-For changes nothing; the live page's WebSocket upgrade passes; a hall's check-in link
comes back under PUBLIC_BASE_URL and opens and accepts a report through the proxy; the access log
keeps no check-in secret. Needs Debian's nginx (skipped locally without it, failed in CI).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from app import create_app
from app.auth.tokens import issue_token
from app.extensions import db, limiter
from tests.app.live.webserver import wait_for
from tests.conftest import HOME, Factory, _config, _empty
from tests.servers import free_port, in_ci

pytestmark = pytest.mark.committing  # the served app's threads read the rows
ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx.conf"
NAME = "lantoa.example.vn"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )
    if found is None:
        message = "nginx is not installed (apt-get install nginx-light)"
        if in_ci():
            pytest.fail(message + " (CI=true: fails instead of skipping)")
        pytest.skip(message)
    return found


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for the server's name and 127.0.0.1, so requests can verify it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    alt = x509.SubjectAlternativeName(
        [x509.DNSName(NAME), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(alt, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def adapted(site: str, *, plain: int, tls: int, upstream: int, folder: Path) -> str:
    """The shipped site with the test's ports, certificate and log; nothing else changes."""
    cert, key = self_signed(folder)
    swaps = [
        (r"listen \[::\]:\d+[^;]*;\n", ""),
        (r"listen 80;", f"listen 127.0.0.1:{plain};"),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{tls} ssl http2;"),
        (r"ssl_certificate +\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key +\S+;", f"ssl_certificate_key {key};"),
        (r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream};"),
        (r"/var/log/nginx/lantoa\.access\.log", str(folder / "access.log")),
    ]
    for pattern, replacement in swaps:
        site, count = re.subn(pattern, replacement, site)
        assert count, f"deploy/nginx.conf no longer has {pattern!r}: update this test"
    return site


@dataclass
class Proxy:
    plain: int
    tls: int
    cert: Path
    access_log: Path

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.tls}{path}"

    def get(self, path: str, **kwargs) -> requests.Response:  # type: ignore[no-untyped-def]
        headers = {"Host": f"{NAME}:{self.tls}", **kwargs.pop("headers", {})}
        return requests.get(self.url(path), headers=headers, verify=str(self.cert), timeout=10,
                            allow_redirects=False, **kwargs)  # fmt: skip


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app as the README configures it behind this proxy."""
    config = {**_config(database_url, tmp_path / "instance"), "PROXY_HOPS": 1,
              "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True,
              "PUBLIC_BASE_URL": f"https://{NAME}/"}  # fmt: skip
    app = create_app(config)

    @app.route("/_test/seen")
    def seen():  # type: ignore[no-untyped-def]
        return jsonify(addr=request.remote_addr, scheme=request.scheme, host=request.host)

    with app.app_context():
        limiter.reset()
        yield app
        db.session.remove()
        _empty(db.engine)
        db.engine.dispose()


@pytest.fixture
def proxy(app: Flask, tmp_path: Path) -> Iterator[Proxy]:
    binary = nginx_binary()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    plain, tls = free_port(), free_port()
    site = adapted(SHIPPED.read_text(), plain=plain, tls=tls, upstream=server.server_port,
                   folder=prefix)  # fmt: skip
    (prefix / "lantoa.conf").write_text(site)
    temp = "".join(f"  {kind}_temp_path {prefix / kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))  # fmt: skip
    (prefix / "nginx.conf").write_text(
        f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n  access_log off;\n{temp}  include {prefix / 'lantoa.conf'};\n}}\n"
    )
    main = ["-p", str(prefix), "-c", str(prefix / "nginx.conf")]
    checked = subprocess.run([binary, "-t", *main], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([binary, *main, "-g", "daemon off; master_process off;"],
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(lambda: _listening(tls) and _listening(plain), 10, "nginx listening")
        yield Proxy(plain, tls, prefix / "fullchain.pem", prefix / "access.log")
    finally:
        process.terminate()
        process.wait(10)
        server.shutdown()
        server.server_close()


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_plain_http_is_sent_to_https(proxy: Proxy) -> None:
    response = requests.get(f"http://127.0.0.1:{proxy.plain}/login", timeout=10,
                            headers={"Host": NAME}, allow_redirects=False)  # fmt: skip
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{NAME}/login"


def test_the_app_sees_the_client_and_https_not_the_proxy(proxy: Proxy) -> None:
    seen = proxy.get("/_test/seen", headers={"X-Forwarded-For": "203.0.113.9"}).json()
    # nginx appends the client's own address; with one hop the app trusts only that one.
    assert seen == {"addr": "127.0.0.1", "scheme": "https", "host": f"{NAME}:{proxy.tls}"}


def test_login_cookies_are_secure(proxy: Proxy) -> None:
    response = proxy.get("/login")
    assert response.status_code == 200
    cookies = response.headers.get("Set-Cookie", "")
    assert "session=" in cookies
    assert "Secure" in cookies


def test_the_live_pages_websocket_upgrades_through_the_proxy(proxy: Proxy) -> None:
    context = ssl.create_default_context(cafile=str(proxy.cert))
    handshake = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {NAME}:{proxy.tls}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: https://{NAME}:{proxy.tls}\r\n\r\n"
    )
    with (
        socket.create_connection(("127.0.0.1", proxy.tls), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=NAME) as tls,
    ):
        tls.sendall(handshake.encode())
        status = tls.recv(4096).split(b"\r\n", 1)[0]
    assert status == b"HTTP/1.1 101 Switching Protocols"


def test_a_check_in_link_works_from_a_phone_through_the_proxy(
    app: Flask, proxy: Proxy, make: Factory
) -> None:
    organiser = make.user("officer", HOME)
    token = issue_token(organiser)
    # Not dated yet: its links live thirty days from their issue (app.halls.links).
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference")
    db.session.commit()
    api = requests.post(proxy.url(f"/api/v1/events/{event.id}/bridge-points"),
                        json={"communes": "all"}, verify=str(proxy.cert), timeout=30,
                        headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert api.status_code == 201, api.text
    link = api.json()[0]["checkin_url"]
    assert link.startswith(f"https://{NAME}/checkin/")
    path = link.removeprefix(f"https://{NAME}")
    page = proxy.get(path)
    assert page.status_code == 200
    assert api.json()[0]["name"] in page.text
    body = {"idempotency_key": "via-proxy-1", "head_count": 41}
    report = requests.post(proxy.url(path), json=body, headers={"Host": NAME},
                           verify=str(proxy.cert), timeout=10)  # fmt: skip
    assert report.status_code == 201, report.text
    secret = path.rsplit("/", 1)[1]
    wait_for(lambda: proxy.access_log.exists() and "/checkin/" in proxy.access_log.read_text(),
             5, "access log written")  # fmt: skip
    logged = proxy.access_log.read_text()
    assert "/checkin/[redacted]" in logged
    assert secret not in logged
