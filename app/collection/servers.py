"""Which server a platform call goes to, and why the server never calls an address it should not.

A platform's address comes from configuration (``FACEBOOK_GRAPH_URL``…). Only a platform without a
public host (BigBlueButton) has a per-account server, set by an administrator. An address held in
an account's credentials (``base_url``, ``token_url``, ``oauth_url``) is checked when it is saved
and again before every call: https only, and every address its host resolves to must be public —
private, loopback, link-local, reserved and multicast ranges are refused, so a token is never sent
to the server's own network. ``ALLOW_PRIVATE_PLATFORM_URLS`` (the sandbox, ``make run`` and the
tests set it) lifts both rules and lets any account name its own server, for fakes on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import collectors

# Credential keys that name a server the collector will call with the account's secrets.
URL_KEYS = ("base_url", "token_url", "oauth_url")
Resolver = Callable[[str], list[str]]


class UnsafeURL(ValueError):
    """An address a platform call must not go to; ``reason`` is a stable code for the words."""

    def __init__(self, key: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.reason = reason


def resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), as the HTTP client would see them."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL("", "unresolved", f"{host} does not resolve: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


def check_url(
    url: str,
    *,
    allow_private: bool,
    key: str = "base_url",
    resolver: Resolver = resolve,
) -> str:
    """``url`` without a trailing slash if a platform call may go there; else ``UnsafeURL``."""
    text = str(url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURL(key, "not_url", f"{key} must be an http(s) URL")
    if parts.username or parts.password:
        raise UnsafeURL(key, "not_url", f"{key} must not carry a user name or password")
    if allow_private:
        return text.rstrip("/")
    if parts.scheme != "https":
        raise UnsafeURL(key, "not_https", f"{key} must use https")
    try:
        addresses = resolver(parts.hostname)
    except UnsafeURL as exc:
        raise UnsafeURL(key, exc.reason, str(exc)) from exc
    if not addresses:
        raise UnsafeURL(key, "unresolved", f"{parts.hostname} does not resolve")
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            raise UnsafeURL(
                key, "private", f"{parts.hostname} resolves to {ip}, a private or local address"
            )
    return text.rstrip("/")


def own_server_allowed(platform: str) -> bool:
    """A platform without a configured public host: each account names its server."""
    settings = {
        s.base_url_setting for s in collectors.COLLECTORS.values() if s.platform == platform
    }
    return settings == {""}


def check_credentials(
    platform: str,
    credentials: Mapping[str, Any],
    *,
    allow_private: bool,
    admin: bool,
    previous: Mapping[str, Any] | None = None,
    resolver: Resolver = resolve,
) -> dict[str, Any]:
    """The credentials to store, with their addresses checked; ``UnsafeURL`` names the key.

    Only an administrator sets an account's server; only a platform without a configured host
    takes one, unless private addresses are allowed (the sandbox's fakes stand in for the real
    hosts then). New credentials keep the ``previous`` addresses they do not mention, so a
    manager renewing a secret keeps the server an administrator set.
    """
    cleaned = dict(credentials)
    previous = previous or {}
    for key in URL_KEYS:
        if cleaned.get(key) in (None, ""):
            cleaned.pop(key, None)
            if previous.get(key):
                cleaned[key] = previous[key]
            continue
        if cleaned[key] == previous.get(key):
            continue
        if not admin:
            raise UnsafeURL(key, "admin_only", f"only an administrator may set {key}")
        if not allow_private and not own_server_allowed(platform):
            raise UnsafeURL(key, "configured", f"{platform}'s address comes from the configuration")
        cleaned[key] = check_url(
            cleaned[key], allow_private=allow_private, key=key, resolver=resolver
        )
    return cleaned


def server_for(
    setting: str,
    credentials: Mapping[str, Any],
    config: Mapping[str, Any],
    *,
    resolver: Resolver = resolve,
) -> tuple[str, dict[str, Any]]:
    """(base URL, credentials for the collector) at call time; ``UnsafeURL`` if refused.

    The configured URL is trusted as is; an address from the credentials is checked again here,
    since what a host name resolves to can change after it was saved.
    """
    allow_private = bool(config.get("ALLOW_PRIVATE_PLATFORM_URLS"))
    rest = dict(credentials)
    own = rest.pop("base_url", None)
    for key in URL_KEYS[1:]:
        if rest.get(key):
            if setting and not allow_private:
                raise UnsafeURL(key, "configured", "the address comes from the configuration")
            rest[key] = check_url(
                rest[key], allow_private=allow_private, key=key, resolver=resolver
            )
    if not own:
        if not setting or not config.get(setting):
            raise UnsafeURL("base_url", "missing", "the account names no server")
        return str(config[setting]), rest
    if setting and not allow_private:
        raise UnsafeURL("base_url", "configured", "the address comes from the configuration")
    return check_url(own, allow_private=allow_private, resolver=resolver), rest
