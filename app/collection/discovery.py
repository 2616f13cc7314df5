"""Discovery: a livestream that starts on a registered fanpage becomes an event by itself.

Each account with a page id is asked for its live videos once per discovery interval; a live not
yet collected becomes a livestream event of the account's org unit with a target, due at once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.collection import servers
from app.collection.runner import http_session
from app.collection.targets import add_target, named
from app.extensions import db
from app.models import Channel, Event, EventStatus, Platform, PlatformAccount, Target
from collectors import facebook
from collectors.base import DiscoveredLive
from collectors.errors import AuthExpired, CollectorError

log = logging.getLogger(__name__)
DISCOVERY_INTERVAL = timedelta(seconds=30)


def due_accounts(now: datetime) -> list[PlatformAccount]:
    stmt = select(PlatformAccount).where(
        PlatformAccount.platform == Platform.FACEBOOK,
        PlatformAccount.external_id.is_not(None),
        PlatformAccount.health != "auth_expired",
        (PlatformAccount.next_discovery_at.is_(None)) | (PlatformAccount.next_discovery_at <= now),
    )
    return list(db.session.scalars(stmt))


def discover_account(account: PlatformAccount, now: datetime) -> list[Event]:
    """Ask the platform for the account's lives; create events for new ones. Commits."""
    page_id = account.external_id or ""
    account.next_discovery_at = now + DISCOVERY_INTERVAL
    try:
        base_url, credentials = servers.server_for(
            "FACEBOOK_GRAPH_URL", account.credentials or {}, current_app.config
        )
    except servers.UnsafeURL as exc:
        account.health, account.health_detail = "error", f"server refused: {exc}"
        db.session.commit()
        return []
    db.session.commit()
    client = facebook.make_client(http_session(), base_url)
    try:
        lives = facebook.FacebookPageDiscovery(client).discover(page_id, credentials)
    except AuthExpired as exc:
        account.health, account.health_detail = "auth_expired", str(exc)
        db.session.commit()
        return []
    except CollectorError as exc:
        log.warning("discovery on page %s failed: %s", page_id, exc)
        return []
    created = [event for live in lives if (event := _adopt(account, live, now)) is not None]
    db.session.commit()
    return created


def _adopt(account: PlatformAccount, live: DiscoveredLive, now: datetime) -> Event | None:
    known = db.session.scalar(
        select(Target.id).where(Target.kind == live.kind, Target.external_id == live.external_id)
    )
    if known is not None:
        return None
    event = Event(
        title=live.title or f"Livestream {live.external_id}",
        channel=Channel.LIVESTREAM,
        status=EventStatus.LIVE,
        org_unit_id=account.org_unit_id,
        actual_start=live.started_at or now,
        planned_start=live.started_at or now,
        origin="discovered",
        cost_vnd=None,  # nobody has typed its cost yet: unknown, not free
        description=live.permalink,
    )
    db.session.add(event)
    db.session.flush()
    add_target(
        event.id, live.kind, live.external_id, account_id=account.id, next_run_at=now,
        status="live", **named(live.title, live.permalink, account.platform.value),
    )  # fmt: skip
    log.info(
        "discovered live %s on page %s: event %s", live.external_id, account.external_id, event.id
    )
    return event
