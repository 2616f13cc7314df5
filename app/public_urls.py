"""Links that leave the building: addresses a phone in a commune hall (or an e-mail) must open.

A page's own links can stay relative, but a check-in link printed as a QR code, shown to be copied
into a chat, or returned by the API is opened on another device. Built from the request, it would
name whatever address the organiser happened to use — usually 127.0.0.1, which on a phone is the
phone itself. ``PUBLIC_BASE_URL`` (the address phones reach Lan Tỏa at, through the reverse proxy)
is the one base for all of them; without it the request's address is used and every page showing
such a link says phones may not open it.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from flask_babel import gettext as _


class BadPublicBaseUrl(ValueError):
    """PUBLIC_BASE_URL is not an http(s) address without query or fragment."""


def normalise_base_url(value: str | None) -> str | None:
    """The configured base without a trailing slash; refuses what no phone could open.

    Raises:
        BadPublicBaseUrl: naming the setting and what is wrong, so start-up stops with it.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadPublicBaseUrl(
            f"PUBLIC_BASE_URL must start with https:// (or http://) and name a host, "
            f"e.g. https://lantoa.bhxhnghean.vn; got {text!r}"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise BadPublicBaseUrl(
            f"PUBLIC_BASE_URL takes no query, fragment or user name; got {text!r}"
        )
    return text.rstrip("/")


def public_base_url() -> str | None:
    return current_app.config.get("PUBLIC_BASE_URL") or None


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint`` as phones reach it.

    With ``PUBLIC_BASE_URL`` the path is built without a request (also from the CLI or the
    scheduler) and put under that base, which may carry a path prefix of its own.
    """
    base = public_base_url()
    if base is None:
        return url_for(endpoint, _external=True, **values)
    path = current_app.url_map.bind("localhost", script_name="/").build(endpoint, values)
    return base + path


def local_only() -> bool:
    """True when links are built from a loopback address: no other device can open them."""
    if public_base_url() is not None or not has_request_context():
        return False
    host = (urlsplit("//" + (request.host or "")).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def local_warning() -> str | None:
    """What every page showing a link that leaves the building says when ``local_only``, in
    words an officer can act on (phones cannot open it: ask the administrator); None when
    the links can be opened elsewhere."""
    if not local_only():
        return None
    return _(
        "This link only opens on the server itself (%(host)s): phones cannot open it. Ask the "
        "administrator to set up the public address.",
        host=request.host,
    )


def local_setting() -> str | None:
    """The setting behind ``local_warning``, for an administrator's technical fold only."""
    if not local_only():
        return None
    return _(
        "Set PUBLIC_BASE_URL to the address phones reach Lan Tỏa at, then restart (see the README)."
    )
