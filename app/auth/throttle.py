"""Failed log-ins counted per account, per account from one address, and per address.

An office sits behind one address: counting by address alone let one person's typos lock the
whole office out. Guessing at one account is stopped by the account's counters; the address
counter is a much higher ceiling that only stops one machine trying passwords on many accounts.
Only failures count, and the counters live in the rate-limit store (Redis when configured, so
every web process sees them; memory on the embedded default).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from flask import Flask, current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

_EXTENSION = "login_throttle"


def init_app(app: Flask) -> None:
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions[_EXTENSION] = MovingWindowRateLimiter(storage)


def _rules(email: str) -> list[tuple[RateLimitItem, str]]:
    """Each limit with the key it counts on; the e-mail is keyed, never stored in clear."""
    config = current_app.config
    secret = str(config["SECRET_KEY"]).encode()
    account = hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:32]
    address = get_remote_address() or "-"
    keys = {
        "LOGIN_RATE_LIMIT": f"login-account-address:{account}:{address}",
        "LOGIN_ACCOUNT_RATE_LIMIT": f"login-account:{account}",
        "LOGIN_ADDRESS_RATE_LIMIT": f"login-address:{address}",
    }
    return [(item, key) for name, key in keys.items() for item in parse_many(config[name])]


def _limiter() -> MovingWindowRateLimiter:
    return current_app.extensions[_EXTENSION]


def wait_seconds(email: str) -> int:
    """0 when this account may be tried from this address now, else the seconds to wait."""
    limiter, now, wait = _limiter(), time.time(), 0.0
    for item, key in _rules(email):
        if not limiter.test(item, key):
            reset, _ = limiter.get_window_stats(item, key)
            wait = max(wait, reset - now)
    return max(1, math.ceil(wait)) if wait > 0 else 0


def record_failure(email: str) -> None:
    limiter = _limiter()
    for item, key in _rules(email):
        limiter.hit(item, key)
