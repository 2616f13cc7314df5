"""Plain-language explanations of collection states, for officers rather than engineers."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.formatting import MOMENT_FORMAT, local
from app.labels import ACCOUNT_HEALTH, OBJECT_STATUS, PLATFORM, TARGET_KIND
from app.models import PlatformAccount, Target, utcnow
from collectors.settling import SETTLED_AFTER_DAYS

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


def target_state(target: Target, now: datetime | None = None) -> str:
    if target.paused_reason:
        return str(PAUSED.get(target.paused_reason, target.paused_reason))
    if target.finished_at is not None:
        return str(_l("Finished"))
    if target.failures:
        return str(_l("Retrying after %(n)s failed attempts", n=target.failures))
    if target.status == "live":
        return str(_l("Live: collecting"))
    if target.status == "ended":
        return ended_state(target.next_run_at, now)
    if target.status == "published":  # posts and articles: polled less often as they age
        return str(_l("Published: collecting, less often as the post ages"))
    return str(_l("Waiting for the live to start"))


def ended_state(next_at: datetime | str | None, now: datetime | None = None) -> str:
    """An ended object not finished: when its counters are read next, and for how long they are
    still read (the platforms settle views for days), never an endless "reading" without a date.
    ``next_at`` may be the script's placeholder (``__T__``), filled in the browser."""
    if isinstance(next_at, datetime):
        at = next_at if next_at.tzinfo else next_at.replace(tzinfo=UTC)
        if at <= (now or utcnow()):
            return _("Ended: reading the figures now")
        next_at = local(at).strftime(MOMENT_FORMAT)
    if not next_at:
        return _("Ended: reading the figures now")
    return _(
        "Ended. Next reading: %(time)s; the figures keep growing for %(days)s days",
        time=next_at,
        days=SETTLED_AFTER_DAYS,
    )


def account_state(account: PlatformAccount) -> str:
    return str(ACCOUNT_HEALTH.get(account.health, account.health))
