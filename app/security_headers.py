"""Security headers on every response: what the browser may load, frame, sniff, refer and keep.

The pages load scripts only from the app itself (no inline script, no CDN), so the policy can
forbid everything else; styles allow inline because Plotly sizes its charts with a stylesheet it
writes at run time. Pages and exports carry people's names and phones: nothing but the
fingerprinted static files may be cached by the browser or a proxy.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Check-in links carry their token in the path: never hand it to another site.
    "Referrer-Policy": "same-origin",
}


def _add_headers(response: Response) -> Response:
    """Each header the response does not carry yet (a view's own value stays).

    The names present are read once: werkzeug's ``setdefault`` builds and catches an exception
    for every header it does not find, which on a check-in's small JSON answer cost more than
    the rest of the response's headers."""
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    for name, value in HEADERS.items():
        if name.lower() not in present:
            headers.add(name, value)
    if request.endpoint != "static" and "cache-control" not in present:
        headers.add("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
