"""Alert webhooks: a JSON POST signed with HMAC-SHA256, for a province's Zalo or Telegram bot.

The signature covers the timestamp and the body: ``X-LanToa-Signature: sha256=<hex of
HMAC-SHA256(secret, "<X-LanToa-Timestamp>." + body)>``, so a receiver checks the body came from us
and refuses an old one played again (the README shows the check). The URL is held to the platform
addresses' rules (``app.collection.servers.check_url``: https to a public address) when saved and
again before each call, so an alert never posts into the server's own network.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import requests
from flask import current_app

from app.collection.servers import check_url

SIGNATURE_HEADER = "X-LanToa-Signature"
TIMESTAMP_HEADER = "X-LanToa-Timestamp"
DELIVERY_HEADER = "X-LanToa-Delivery"


class WebhookFailed(RuntimeError):
    """The receiver did not answer 2xx (the message is retried)."""


def safe_url(url: str) -> str:
    """``url`` if an alert may be posted there, else ``UnsafeURL`` (with a reason code)."""
    allow = bool(current_app.config.get("ALLOW_PRIVATE_PLATFORM_URLS"))
    return check_url(url, allow_private=allow, key="webhook_url")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def post(url: str, secret: str, payload: dict[str, Any], delivery: str) -> int:
    """POST ``payload`` signed; returns the status code, raises ``WebhookFailed`` unless 2xx."""
    target = safe_url(url)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        DELIVERY_HEADER: delivery,
        "User-Agent": "LanToa-alerts/1",
    }
    timeout = float(current_app.config.get("SMTP_TIMEOUT", 10))
    try:
        response = requests.post(
            target, data=body, headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as exc:
        raise WebhookFailed(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise WebhookFailed(f"HTTP {response.status_code}")
    return response.status_code
