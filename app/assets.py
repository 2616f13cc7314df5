"""Fingerprinted static URLs and compressed responses.

``asset_url("js/live.js")`` → ``/static/js/live.js?v=<hash>``. The hash of every static file is
computed once when the app starts, so a changed file gets a new URL and a browser may keep the
old one for a year (``Cache-Control: immutable``). Requests without the fingerprint (or with a
stale one) keep Flask's revalidating default, so a page cached from before a deploy can never
pin an old script forever.

Compression (Flask-Compress: zstd, brotli or gzip, whatever the browser takes) takes plotly.js
from 1.2 MB to about a third. Static files are read into memory before compressing (Flask-Compress
would otherwise stream them and leave the file open), and a fingerprinted file's compressed body
is kept per algorithm, so it is compressed once per process, not once per request.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request, url_for
from werkzeug.wrappers import Response

from app.extensions import compress

ONE_YEAR = 365 * 24 * 3600
ONE_WEEK = 7 * 24 * 3600
HASH_LENGTH = 12


def fingerprints(static_folder: Path) -> dict[str, str]:
    """Content hash of every file under the static folder, keyed by its URL path."""
    out: dict[str, str] = {}
    for path in sorted(static_folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
            out[path.relative_to(static_folder).as_posix()] = digest
    return out


def asset_url(filename: str) -> str:
    """The static URL of ``filename`` carrying its content hash; a KeyError for a missing file."""
    version = current_app.extensions["lantoa_assets"][filename]
    return url_for("static", filename=filename, v=version)


def _fingerprinted() -> bool:
    """Whether this request names a static file by its current content hash."""
    if request.endpoint != "static":
        return False
    filename = (request.view_args or {}).get("filename", "")
    expected = current_app.extensions["lantoa_assets"].get(filename)
    return expected is not None and request.args.get("v") == expected


def _static_headers(response: Response) -> Response:
    if request.endpoint != "static" or response.status_code != 200:
        return response
    if _fingerprinted():
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    if response.direct_passthrough and response.mimetype in compress.compress_mimetypes_set:
        response.direct_passthrough = False
        response.make_sequence()  # reads the file and closes it
    return response


class CompressedAssets:
    """Flask-Compress cache backend holding only fingerprinted static files (immutable bodies)."""

    def __init__(self) -> None:
        self._bodies: dict[str, bytes] = {}

    def get(self, key: str) -> Any:
        return self._bodies.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.endswith("|asset"):
            self._bodies[key] = value


def _compress_cache_key(req: Any) -> str:
    """Fingerprinted files share a key per URL; everything else gets one the cache ignores."""
    return f"{req.full_path}|asset" if _fingerprinted() else f"{req.full_path}|page"


def favicon() -> Response:
    """Browsers ask /favicon.ico of every page, also the check-in page: answer it, never 404."""
    path = Path(current_app.static_folder or "static") / "favicon.ico"
    response = Response(path.read_bytes(), mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = ONE_WEEK
    return response


def init_app(app: Flask) -> None:
    app.extensions["lantoa_assets"] = fingerprints(Path(app.static_folder or "static"))
    app.jinja_env.globals["asset_url"] = asset_url
    app.config.setdefault("COMPRESS_CACHE_BACKEND", CompressedAssets)
    app.config.setdefault("COMPRESS_CACHE_KEY", _compress_cache_key)
    compress.init_app(app)  # its after_request runs after ours (Flask runs them last-in first)
    app.after_request(_static_headers)
    app.add_url_rule("/favicon.ico", "favicon", favicon)
