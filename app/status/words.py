"""Plain-language explanations of collection states, for officers rather than engineers."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.collection.fit import MEETING_KINDS
from app.formatting import MOMENT_FORMAT, local
from app.labels import (
    ACCOUNT_HEALTH,
    LIVE_COLLECTING,
    MEETING_STATUS,
    NOT_STARTED,
    OBJECT_STATUS,
    PLATFORM,
    TARGET_KIND,
)
from app.models import PlatformAccount, Target, utcnow
from collectors.links import FACEBOOK_SITE, Link, object_url, platform_link
from collectors.settling import SETTLED_AFTER_DAYS

PAUSED = {
    "auth_expired": _l("Paused: the account's access token expired"),
    "permanent_error": _l("Paused: the platform refuses this request; check the target id"),
}


def platform_name(kind: str) -> str:
    """The platform's own name for a target kind (``facebook_live`` is Facebook)."""
    return PLATFORM.get(kind.split("_")[0], kind)


UNKNOWN_OBJECT = _l("Unknown object")  # a kind no label names: never its code


def kind_label(kind: str) -> str:
    """What a target of ``kind`` is, for officers (``zoom_meeting`` is a Zoom meeting)."""
    platform = kind.split("_")[0]
    return str(TARGET_KIND.get(kind) or PLATFORM.get(platform) or UNKNOWN_OBJECT)


def object_title(target: Target) -> str:
    """What an officer knows the object by: its title from its last read; once it reads no more
    (ended, finished) and none was ever read, its event's title; else "" (the page names it by its
    kind while a read may still bring the title)."""
    if target.title:
        return target.title
    over = target.finished_at is not None or target.status == "ended"
    return (target.event.title or "") if over and target.event is not None else ""


def object_link(target: Target) -> str:
    """Where the object opens: the permalink its platform gave, else the address rebuilt from its
    id (YouTube, Facebook, Zoom, Teams, Meet); "" where there is none (BigBlueButton)."""
    if target.url:
        return target.url
    platform = target.kind.split("_")[0]
    rebuilt = facebook_url(target.kind, target.external_id)
    if rebuilt is None:
        rebuilt = object_url(Link(target.kind, target.external_id, platform))
    return platform_link(rebuilt, platform)


def facebook_url(kind: str, external_id: str) -> str | None:
    """A Facebook object's address from the id the Graph API gave it; None for other kinds.

    A post's id is "<page id>_<post id>" (its permalink is ``/<page id>/posts/<post id>``); a
    tracked live is a LiveVideo node, whose id facebook.com opens as it is (``/watch/?v=`` wants
    the id of its video, which a pasted link names but the target does not keep)."""
    if kind == "facebook_post":
        page, _, post = external_id.partition("_")
        ok = page.isdigit() and post.isdigit()
        return f"{FACEBOOK_SITE}/{page}/posts/{post}" if ok else ""
    if kind == "facebook_live":
        return f"{FACEBOOK_SITE}/{external_id}" if external_id.isdigit() else ""
    return None


def is_meeting(kind: str | None) -> bool:
    """Whether an object of ``kind`` is a meeting (held), not a livestream or post (broadcast)."""
    return kind in MEETING_KINDS


def object_status(status: str, kind: str | None = None) -> str:
    """What the platform says of the object, in the words of its kind: a meeting in progress,
    a livestream live."""
    words = MEETING_STATUS if is_meeting(kind) else OBJECT_STATUS
    return str(words.get(status, status))


def target_state(target: Target, now: datetime | None = None) -> str:
    if target.paused_reason:
        return str(PAUSED.get(target.paused_reason, target.paused_reason))
    if target.finished_at is not None:
        return str(_l("Finished"))
    if target.failures:
        return str(_l("Retrying after %(n)s failed attempts", n=target.failures))
    if target.status == "live":
        return str(LIVE_COLLECTING["meeting" if is_meeting(target.kind) else "broadcast"])
    if target.status == "ended":
        return ended_state(target.next_run_at, now)
    if target.status == "published":  # posts and articles: polled less often as they age
        return str(_l("Published: collecting, less often as the post ages"))
    return str(NOT_STARTED["meeting" if is_meeting(target.kind) else "broadcast"])


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
