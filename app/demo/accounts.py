"""The platform accounts the demo registers for the sandbox, and the demo admin who owns them.

Each account's base URL travels in its encrypted credentials, so ``flask collect once`` in
another shell reaches the same sandbox. Registering again (every ``make run`` plays a new live)
updates the account of that name instead of adding one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.demo.province import DEMO_EMAIL
from app.extensions import db
from app.models import Platform, PlatformAccount, User

FACEBOOK_ACCOUNT = "Fanpage BHXH tỉnh (sandbox)"
YOUTUBE_ACCOUNT = "Kênh YouTube BHXH tỉnh (sandbox)"
ZOOM_ACCOUNT = "Zoom BHXH tỉnh (sandbox)"
# The other conference platforms of the sandbox: nothing collects them by itself, but an officer
# can paste the sandbox meeting's Teams link, Meet code or BigBlueButton id and track it.
CONFERENCE_ACCOUNTS = {
    Platform.TEAMS: "Microsoft Teams BHXH tỉnh (sandbox)",
    Platform.MEET: "Google Meet BHXH tỉnh (sandbox)",
    Platform.BBB: "BigBlueButton BHXH tỉnh (sandbox)",
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
