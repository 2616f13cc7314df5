"""Saving, checking and removing a connected platform account; every step audited.

Credentials stay encrypted (``PlatformAccount.credentials``) and are never shown back whole:
``masked`` keeps the last four characters. A check calls the platform through the collectors'
clients (``collectors.health``) and keeps what it learnt in ``rate_limit_usage["check"]`` beside
the usage headers: identity, token valid until, scopes missing, quota used, last error.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

import collectors
from app import audit
from app.collection import servers
from app.collection.runner import http_session
from app.collection.writer import resume_account, store_credentials
from app.connect.kinds import KINDS, PLATFORM_KINDS, Kind
from app.events.services import FieldError
from app.extensions import db
from app.models import OrgUnit, Platform, PlatformAccount, Role, Target, User, utcnow
from collectors import health
from collectors.app_tokens import TENANT
from collectors.errors import AuthExpired, CollectorError

EXPIRY_WARNING = timedelta(days=14)  # a token running out is flagged this long before
CHECK_CLIENT = {  # the client of each platform, with its token host (another host than the API)
    "facebook": "facebook_live",
    "youtube": "youtube_live",
    "zoom": "zoom_meeting",
    "teams": "teams_meeting",
    "meet": "meet_conference",
    "bbb": "bbb_meeting",
    "zalo": "zalo_article",
}


def masked(value: Any, key: str = "") -> str:
    """A secret as the page shows it: dots and its last four characters. A service account's
    key file is shown as its account's e-mail and the end of its key id (its last characters
    are only JSON punctuation)."""
    text = str(value or "")
    if key == "service_account_json":
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and parsed.get("client_email"):
            key_id = str(parsed.get("private_key_id") or "")
            return f"{parsed['client_email']} · ••••{key_id[-4:]}"
    return "••••" + text[-4:] if len(text) > 8 else "••••"


def unsafe_message(exc: servers.UnsafeURL) -> str:
    """The reason an address is refused, in words an administrator can act on."""
    return {
        "not_url": _("Enter an address starting with https://."),
        "not_https": _("The address must start with https://."),
        "private": _(
            "This address leads to a private or internal network (%(detail)s); only public "
            "servers can be connected.",
            detail=str(exc),
        ),
        "unresolved": _("The server's name cannot be found (%(detail)s).", detail=str(exc)),
        "admin_only": _("Only an administrator can set a server address."),
        "configured": _("This platform's address is set by the configuration, not per account."),
        "missing": _("Enter the server address."),
    }.get(exc.reason, str(exc))


def kind_of(account: PlatformAccount) -> Kind:
    return PLATFORM_KINDS[account.platform.value]


def save(
    kind: Kind,
    values: dict[str, str],
    name: str,
    unit: OrgUnit,
    user: User,
    account: PlatformAccount | None = None,
) -> PlatformAccount:
    """Create or update an account from the page's fields; ``FieldError`` names a bad field."""
    if not name.strip():
        raise FieldError("name", _("Enter a name for this connection."))
    previous = dict(account.credentials or {}) if account else {}
    credentials: dict[str, Any] = {}
    for field in kind.fields:
        value = (values.get(field.key) or "").strip()
        if not value and field.secret and previous.get(field.key):
            value = previous[field.key]  # an empty secret on an edit keeps the stored one
        if value:
            credentials[field.key] = value
        elif field.required:
            raise FieldError(field.key, _("Fill in %(field)s.", field=field.label))
    page_id = credentials.pop("page_id", None) or (account.external_id if account else None)
    if user.has_role(Role.ADMIN):
        for key in kind.servers:
            credentials[key] = (values.get(key) or "").strip()
    try:
        credentials = servers.check_credentials(
            kind.platform,
            credentials,
            allow_private=current_app.config["ALLOW_PRIVATE_PLATFORM_URLS"],
            admin=user.has_role(Role.ADMIN),
            previous=previous,
        )
    except servers.UnsafeURL as exc:
        raise FieldError(exc.key, unsafe_message(exc)) from exc
    if kind.key == "facebook":
        credentials = _facebook_token(credentials, page_id or "")
    if kind.key == "meet":
        _check_key_file(credentials["service_account_json"])
    if kind.key == "teams" and not TENANT.match(credentials["tenant_id"]):
        raise FieldError(
            "tenant_id", _("A tenant ID is a GUID or a domain name, such as bhxh.onmicrosoft.com.")
        )
    if kind.key == "bbb" and "base_url" not in credentials:
        raise FieldError("base_url", _("An administrator must enter the server address."))
    created = account is None
    if account is None:
        account = PlatformAccount(
            platform=Platform(kind.platform),
            org_unit=unit,
            health="ok",
            health_detail="",
            rate_limit_usage={},
        )
        db.session.add(account)
    account.name = name.strip()
    account.external_id = page_id
    changed = credentials != previous
    account.credentials = credentials
    if kind.key == "facebook" and created and page_id:
        account.next_discovery_at = utcnow()
    db.session.flush()
    if changed and not created:
        resume_account(account, utcnow())
    audit.record(
        "account.create" if created else "account.update",
        user,
        "account",
        account.id,
        platform=kind.platform,
        fields=sorted(credentials),
    )
    return account


def _facebook_token(credentials: dict[str, Any], page_id: str) -> dict[str, Any]:
    """With a user token and the app's id and secret, store the Page's long-lived token."""
    user_token = credentials.pop("user_token", None)
    if credentials.get("access_token") and not user_token:
        return credentials
    if not (user_token and credentials.get("app_id") and credentials.get("app_secret")):
        raise FieldError(
            "access_token",
            _("Enter the Page access token, or the app ID, app secret and a user token."),
        )
    if not page_id:
        raise FieldError("page_id", _("Enter the Page ID to get its token."))
    try:
        client, _rest = _client("facebook", credentials)
        credentials["access_token"] = health.exchange_facebook_token(
            client, credentials["app_id"], credentials["app_secret"], user_token, page_id
        )
    except servers.UnsafeURL as exc:
        raise FieldError(exc.key, unsafe_message(exc)) from exc
    except CollectorError as exc:
        raise FieldError(
            "user_token", _("Facebook refused the exchange: %(error)s", error=exc.message)
        ) from exc
    return credentials


def _check_key_file(text: str) -> None:
    try:
        key = json.loads(text)
    except ValueError as exc:
        raise FieldError(
            "service_account_json", _("The key file is not valid JSON (%(error)s).", error=exc)
        ) from exc
    if not isinstance(key, dict):
        key = {}
    missing = [k for k in ("client_email", "private_key", "token_uri") if not key.get(k)]
    if key.get("type") != "service_account" or missing:
        raise FieldError(
            "service_account_json",
            _(
                "This is not a service account key file (missing: %(keys)s).",
                keys=", ".join(missing),
            ),
        )
    try:
        serialization.load_pem_private_key(str(key["private_key"]).encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise FieldError(
            "service_account_json", _("The private key in the key file cannot be read.")
        ) from exc


def _client(platform: str, credentials: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The platform's API client at its checked address, and the credentials to send."""
    spec = collectors.COLLECTORS[CHECK_CLIENT[platform]]
    config = current_app.config
    base_url, rest = servers.server_for(spec.base_url_setting, credentials, config)
    extra = {k: config[v] for k, v in spec.client_settings.items() if config.get(v)}
    timeout = (3.05, float(config.get("COLLECTOR_HTTP_TIMEOUT", 15.0)))
    return spec.make_client(http_session(), base_url, timeout=timeout, **extra), rest


def check(account: PlatformAccount, user: User, now: datetime) -> dict[str, Any]:
    """Ask the platform about the account; store and return what it said. Audited."""
    platform = account.platform.value
    result: dict[str, Any] = {"checked_at": now.isoformat(), "error": ""}
    credentials = dict(account.credentials or {})
    try:
        if platform not in health.CHECKS:
            raise servers.UnsafeURL("", "unchecked", _("This platform cannot be checked yet."))
        client, credentials = _client(platform, credentials)
        google = platform == "youtube"
        kwargs = {"token_url": current_app.config["GOOGLE_TOKEN_URL"]} if google else {}
        answer = health.CHECKS[platform](client, credentials, now, **kwargs)
    except servers.UnsafeURL as exc:
        result["error"] = unsafe_message(exc)
        account.health, account.health_detail = "error", result["error"]
    except CollectorError as exc:
        expired = isinstance(exc, AuthExpired)
        result["error"] = (
            _("The platform refused the credentials (%(error)s).", error=refusal_words(exc))
            if expired
            else _(
                "The platform could not be reached or gave an unexpected answer (%(error)s).",
                error=exc.message,
            )
        )
        account.health = "auth_expired" if expired else "error"
        account.health_detail = result["error"]
    else:
        result.update(
            identity=answer.identity,
            valid_until=answer.valid_until.isoformat() if answer.valid_until else None,
            renews=answer.renews,
            scopes_missing=list(answer.scopes_missing),
            quota_used=answer.quota_used,
        )
        if answer.credentials_update:
            store_credentials(account, answer.credentials_update)
        _keep_expiry(account, answer)
        if account.health == "auth_expired":
            resume_account(account, now)
        account.health, account.health_detail = "ok", ""
    account.rate_limit_usage = {**(account.rate_limit_usage or {}), "check": result}
    audit.record("account.check", user, "account", account.id, ok=not result["error"])
    return result


def _keep_expiry(account: PlatformAccount, answer: health.Health) -> None:
    """Keep when a token a person must renew runs out as ``expires_at`` in the credentials,
    where the home screen's alerts read it (``app.status.alerts``); none when it never does.

    A token the collectors renew by themselves (``renews``, a refresh token) or whose expiry the
    platform's answer already set (Zalo's rotated pair) is left alone.
    """
    credentials = dict(account.credentials or {})
    if answer.renews or credentials.get("refresh_token"):
        return
    if "expires_at" in answer.credentials_update:
        return
    if answer.valid_until is not None:
        credentials["expires_at"] = answer.valid_until.isoformat()
    elif "expires_at" in credentials:
        del credentials["expires_at"]
    else:
        return
    account.credentials = credentials


def refusal_words(exc: CollectorError) -> str:
    """A token endpoint's refusal (RFC 6749 ``error``) in words, with Entra's error number;
    the platform's own message for anything else."""
    words = (
        {
            "invalid_client": _("wrong client ID or client secret"),
            "invalid_grant": _("the key or its signature was not accepted"),
            "unauthorized_client": _("the app or service account may not have this access"),
            "invalid_request": _("the tenant ID or the request is wrong"),
            "invalid_scope": _("the permission asked for is not valid"),
        }.get(str(exc.code))
        if exc.platform in ("teams", "meet")
        else None
    )
    if words is None:
        return exc.message
    number = exc.message.split(":", 1)[0]
    return f"{words} — {number}" if number.startswith("AADSTS") else words


def expiry_warning(valid_until: datetime | None, now: datetime) -> str:
    """A Vietnamese warning when the token is expired or runs out within two weeks."""
    if valid_until is None:
        return ""
    if valid_until <= now:
        return _("The token has expired: connect the account again.")
    if valid_until - now <= EXPIRY_WARNING:
        days = max(1, (valid_until - now).days)
        return _("The token expires in %(days)s days: renew it before then.", days=days)
    return ""


def delete(account: PlatformAccount, user: User) -> None:
    """Remove an account no target uses; ``FieldError`` when targets still need it."""
    used = db.session.scalar(
        select(func.count()).select_from(Target).where(Target.account_id == account.id)
    )
    if used:
        raise FieldError(
            "account",
            _("%(n)s collection targets use this account; it cannot be removed.", n=used),
        )
    audit.record("account.delete", user, "account", account.id, platform=account.platform.value)
    db.session.delete(account)


def all_kinds() -> list[Kind]:
    return list(KINDS.values())
