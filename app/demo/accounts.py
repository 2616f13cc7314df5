"""The platform accounts the demo registers for the sandbox, and the demo admin who owns them.

Each account's base URL travels in its encrypted credentials, so ``flask collect once`` in
another shell reaches the same sandbox. Registering again (every ``make run`` plays a new live)
updates the account of that name instead of adding one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.demo.province import DEMO_ADMIN_NAME, DEMO_EMAIL, DEMO_MARK
from app.extensions import db
from app.models import Event, Platform, PlatformAccount, User

# Earlier demo databases marked the accounts and events with LEGACY_MARK, the admin LEGACY_ADMIN.
LEGACY_MARK = "(sandbox)"
LEGACY_ADMIN = "Quản trị demo"
FACEBOOK_ACCOUNT = f"Fanpage BHXH tỉnh {DEMO_MARK}"
YOUTUBE_ACCOUNT = f"Kênh YouTube BHXH tỉnh {DEMO_MARK}"
ZOOM_ACCOUNT = f"Zoom BHXH tỉnh {DEMO_MARK}"
# The other conference platforms of the sandbox: nothing collects them by itself, but an officer
# can paste the sandbox meeting's Teams link, Meet code or BigBlueButton id and track it.
CONFERENCE_ACCOUNTS = {
    Platform.TEAMS: f"Microsoft Teams BHXH tỉnh {DEMO_MARK}",
    Platform.MEET: f"Google Meet BHXH tỉnh {DEMO_MARK}",
    Platform.BBB: f"BigBlueButton BHXH tỉnh {DEMO_MARK}",
}


def demo_admin() -> User | None:
    """The admin ``flask demo load`` created, or None before it ran."""
    return db.session.scalar(select(User).where(User.email == DEMO_EMAIL))


def sandbox_account(
    platform: Platform,
    name: str,
    org_unit_id: int,
    page_id: str | None,
    credentials: dict[str, Any],
) -> PlatformAccount:
    """The account ``name`` on ``platform``, created or brought up to date and healthy."""
    account = db.session.scalar(
        select(PlatformAccount).where(
            PlatformAccount.platform == platform, PlatformAccount.name == name
        )
    )
    if account is None:
        account = PlatformAccount(platform=platform, name=name, org_unit_id=org_unit_id,
                                  health="ok", health_detail="", rate_limit_usage={})  # fmt: skip
        db.session.add(account)
    account.credentials = credentials
    account.external_id = page_id
    account.health, account.health_detail = "ok", ""
    db.session.flush()
    return account


def rename_legacy(admin: User) -> None:
    """Name an earlier demo database's accounts and events of the admin's unit with ``DEMO_MARK``
    instead of ``LEGACY_MARK``, so a restart updates them instead of adding new ones; and the
    admin as ``DEMO_ADMIN_NAME``."""
    if admin.display_name == LEGACY_ADMIN:
        admin.display_name = DEMO_ADMIN_NAME
    org_unit_id = admin.org_unit_id
    legacy = f"%{LEGACY_MARK}%"
    accounts = select(PlatformAccount).where(
        PlatformAccount.org_unit_id == org_unit_id, PlatformAccount.name.like(legacy)
    )
    for account in db.session.scalars(accounts):
        account.name = account.name.replace(LEGACY_MARK, DEMO_MARK)
    events = select(Event).where(Event.org_unit_id == org_unit_id, Event.title.like(legacy))
    for event in db.session.scalars(events):
        event.title = event.title.replace(LEGACY_MARK, DEMO_MARK)
    db.session.flush()
