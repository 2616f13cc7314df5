"""Plain-language explanations of collection states, for officers rather than engineers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.labels import ACCOUNT_HEALTH, OBJECT_STATUS, PLATFORM, TARGET_KIND
from app.models import PlatformAccount, Target

PAUSED = {
    "auth_expired": _l("Paused: the account's access token expired"),
    "permanent_error": _l("Paused: the platform refuses this request; check the target id"),
}


def platform_name(kind: str) -> str:
    """The platform's own name for a target kind (``facebook_live`` is Facebook)."""
    return PLATFORM.get(kind.split("_")[0], kind)


def kind_label(kind: str) -> str:
    """What a target of ``kind`` is, for officers (``zoom_meeting`` is a Zoom meeting)."""
    return str(TARGET_KIND.get(kind, platform_name(kind)))


def object_status(status: str) -> str:
    return str(OBJECT_STATUS.get(status, status))


def target_state(target: Target) -> str:
    if target.paused_reason:
        return str(PAUSED.get(target.paused_reason, target.paused_reason))
    if target.finished_at is not None:
        return str(_l("Finished"))
    if target.failures:
        return str(_l("Retrying after %(n)s failed attempts", n=target.failures))
    if target.status == "live":
        return str(_l("Live: collecting"))
    if target.status == "ended":
        return str(_l("Ended: reading the final figures"))
    if target.status == "published":  # posts and articles: polled less often as they age
        return str(_l("Published: collecting, less often as the post ages"))
    return str(_l("Waiting for the live to start"))


def account_state(account: PlatformAccount) -> str:
    return str(ACCOUNT_HEALTH.get(account.health, account.health))
