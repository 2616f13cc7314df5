"""Plain-language explanations of collection states, for officers rather than engineers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.models import PlatformAccount, Target

HEALTH = {
    "ok": _l("Working"),
    "rate_limited": _l("The platform asked us to slow down; collection resumes by itself"),
    "auth_expired": _l("The access token expired: re-authorise this account"),
    "error": _l("Errors while collecting"),
}
# Brand names, never translated; the live page's script has the same list (platformName).
PLATFORM_NAMES = {
    "facebook": "Facebook",
    "youtube": "YouTube",
    "zoom": "Zoom",
    "teams": "Teams",
    "meet": "Google Meet",
    "bbb": "BigBlueButton",
    "zalo": "Zalo",
}
# What a target collects, in words (brand names kept).
KIND_LABELS = {
    "facebook_live": _l("Facebook live video"),
    "facebook_post": _l("Facebook post"),
    "youtube_live": _l("YouTube live"),
    "zoom_meeting": _l("Zoom meeting"),
    "teams_meeting": _l("Teams meeting"),
    "meet_conference": _l("Google Meet meeting"),
    "bbb_meeting": _l("BigBlueButton meeting"),
    "zalo_article": _l("Zalo article"),
}
# Where an object stands when it is checked before tracking (collectors.base.Description).
OBJECT_STATUS = {"live": _l("Live now"), "scheduled": _l("Not started yet"), "ended": _l("Ended")}
PAUSED = {
    "auth_expired": _l("Paused: the account's access token expired"),
    "permanent_error": _l("Paused: the platform refuses this request; check the target id"),
}


def platform_name(kind: str) -> str:
    """The platform's own name for a target kind (``facebook_live`` is Facebook)."""
    return PLATFORM_NAMES.get(kind.split("_")[0], kind)


def kind_label(kind: str) -> str:
    """What a target of ``kind`` is, for officers (``zoom_meeting`` is a Zoom meeting)."""
    return str(KIND_LABELS.get(kind, platform_name(kind)))


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
    return str(HEALTH.get(account.health, account.health))
