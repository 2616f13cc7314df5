"""Pasted links, checked with the platform before they become targets.

An officer pastes links on the event pages; a script posts ``{"url"}`` to the API. Each line is
recognised (``collectors.links``, which never opens a link), the accounts that may read it are
picked (the user's accounts of that platform; for BigBlueButton, the server the link names) and
the platform is asked what the object is (``collectors.describe``: title, state, times), with
each account in turn until one answers. Nothing is written here: ``add_checked_target`` does that
once the officer (or the script) confirms. Every problem is a sentence saying what to paste.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import requests
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

import collectors
from app.collection.fit import elsewhen, misfit
from app.collection.runner import client_options, http_session, spec_for
from app.collection.servers import UnsafeURL
from app.collection.targets import tracked, tracked_by_text, tracked_elsewhere
from app.events.services import FieldError
from app.extensions import db
from app.models import Event, Platform, PlatformAccount, User, utcnow
from app.scoping import scoped
from app.status.words import platform_name
from collectors.base import NOT_LIVE, Description, TargetSpec
from collectors.errors import AuthExpired, CollectorError, RateLimited, TargetGone, TransientError
from collectors.links import (
    MAX_LINKS,
    Link,
    Refusal,
    object_url,
    pasted_lines,
    platform_link,
    recognise,
    server_of,
)

MAX_ACCOUNTS = 5  # accounts asked about one link before giving up
DESCRIBE_TIMEOUT = 10.0  # seconds: an officer is waiting for the page
PARALLEL = 4  # links asked about at once (each link's accounts one after the other)
SEE_VIDEO = "facebook.com/…/videos/…"

REFUSALS: dict[str, LazyString] = {
    "not_a_link": _l(
        "This is neither a link nor a meeting ID. Paste the address of the live video or of the "
        "meeting, one per line."
    ),
    "unsafe_link": _l("Only web links starting with http:// or https:// are accepted."),
    "too_long": _l("This line is too long to be a link."),
    "unknown_site": _l(
        "Lan Tỏa does not collect from %(host)s. Paste a link of Facebook, YouTube, Zoom, Teams, "
        "Google Meet or BigBlueButton."
    ),
    "short_link": _l(
        "A short link (%(host)s) only shows where it leads once opened, and Lan Tỏa never opens "
        "links. Open it in your browser, copy the full address from the address bar and paste "
        "that."
    ),
    "facebook_share": _l(
        "This is a Facebook share link (facebook.com/share/…), which does not say which video "
        "it is, and Lan Tỏa never opens links. Open it in your browser, then copy the address "
        "of the live video from the address bar (%(example)s) and paste that."
    ),
    "facebook_post": _l(
        "This is a Facebook post, not a video. Open the live video and copy its address "
        "(%(example)s)."
    ),
    "facebook_page": _l(
        "This is the address of a Facebook page, not of one video. Open the live video on the "
        "page and copy its address (%(example)s)."
    ),
    "facebook_no_video": _l(
        "This Facebook link names no video. Copy the address of the live video itself "
        "(%(example)s or facebook.com/watch/?v=…)."
    ),
    "youtube_channel": _l(
        "This is a YouTube channel, not one video. Open the live and copy its address "
        "(youtube.com/watch?v=… or youtu.be/…)."
    ),
    "youtube_no_video": _l(
        "This YouTube link names no video. Copy the address of the live (youtube.com/watch?v=… "
        "or youtu.be/…)."
    ),
    "youtube_bad_id": _l(
        "The video id “%(value)s” in this link is not a YouTube id (YouTube's have 11 letters, "
        "digits, - or _). Copy the address of the live again from YouTube (youtube.com/watch?v=… "
        "or youtu.be/…)."
    ),
    "zoom_personal": _l(
        "A personal Zoom link does not show the meeting number. Paste the meeting ID (for "
        "example 850 1234 5678) or the zoom.us/j/… link of the invitation."
    ),
    "zoom_no_id": _l(
        "This Zoom link has no meeting number. Paste the meeting ID or the zoom.us/j/… link of "
        "the invitation."
    ),
    "teams_personal": _l(
        "Meetings of Teams for home (teams.live.com) cannot be read. Use a meeting of the "
        "office's Microsoft 365 account."
    ),
    "teams_no_meeting": _l(
        "This Teams link is not a meeting invitation. Paste the “Join the meeting” link "
        "(teams.microsoft.com/l/meetup-join/…)."
    ),
    "meet_no_code": _l(
        "This Google Meet link has no meeting code. Paste the meeting link "
        "(meet.google.com/abc-defg-hij) or its code."
    ),
    "bbb_room": _l(
        "This is a room page of the BigBlueButton server, which does not show the meeting ID. "
        "Paste the meeting ID or the join link (…/api/join?…meetingID=…)."
    ),
}
FACEBOOK_SHORT_LINK = _l(
    "A short Facebook link (%(host)s) only shows which video it is once opened, and Lan Tỏa "
    "never opens links. Open it in your browser, copy the full address from the address bar "
    "(%(example)s) and paste that."
)
NO_ACCOUNT = _l(
    "No %(platform)s account is connected for your unit. Ask a manager to connect one first."
)
NO_BBB_SERVER = _l(
    "None of your unit's BigBlueButton servers is %(host)s. Ask a manager to connect that "
    "server first."
)
ALREADY_TRACKED = _l("This is already collected for the event.")
REPEATED = _l("The same object is on an earlier line.")
# Problems the platform answered, best explained first (a missing object may be the expired
# account's).
NOT_LIVE_TEXT = _l("%(platform)s says this is not a live broadcast. Paste the link of a live.")
AUTH_TEXT = _l(
    "The %(platform)s account “%(account)s” must be connected again: its access has expired."
)
RATE_LIMITED_TEXT = _l("%(platform)s asks to wait. Try again in a few minutes.")
UNAVAILABLE_TEXT = _l("%(platform)s did not answer. Try again in a moment.")
# The account by its name: a Facebook page, a YouTube channel, a meeting account alike.
NOT_FOUND_TEXT = _l(
    "%(platform)s finds nothing for this link through “%(account)s”. Check the link, and that it "
    "belongs to “%(account)s”."
)
REFUSED_TEXT = _l("%(platform)s refused to check this link. Check the link.")
TOO_MANY = _l("Paste at most %(n)s links at a time.")
NOTHING = _l("Paste at least one link.")


@dataclass
class Checked:
    """One pasted line: what it names, what the platform said, through which account, or why not."""

    line: str
    link: Link | None = None
    description: Description | None = None
    accounts: list[PlatformAccount] = field(default_factory=list)  # the user's, for a select
    account: PlatformAccount | None = None  # the one that answered
    problem: str = ""
    warning: str = ""  # trackable, but maybe not the event's (it starts another day)

    @property
    def ok(self) -> bool:
        return not self.problem and self.description is not None and self.account is not None

    @property
    def url(self) -> str:
        """Where an officer opens it: the platform's permalink, else the pasted link rebuilt."""
        if self.link is None:
            return ""
        said = self.description.url if self.description is not None else ""
        return platform_link(said, self.link.platform) or object_url(self.link)

    def confirmed(self) -> dict[str, Any]:
        """What tracking it takes (``add_checked_target``'s arguments): an ``ok`` line's object,
        account, title and url."""
        d, account = self.description, self.account
        assert d is not None, "only an ok line is tracked"
        assert account is not None, "only an ok line is tracked"
        return {"kind": d.kind, "external_id": d.external_id, "account_id": account.id,
                "title": d.title, "url": self.url}  # fmt: skip


def check_links(
    event: Event,
    text: str,
    user: User,
    *,
    account_id: int | None = None,
    now: datetime | None = None,
    kept: Mapping[str, Checked] | None = None,
) -> list[Checked]:
    """Each pasted line checked with its platform; ``account_id`` asks through that account only.

    ``kept``: lines whose platform reading still stands (read less than an hour ago): their
    platform is not asked again, the rest of the check (tracked already, repeated, another day)
    is done anew with the other lines.

    Raises ``FieldError("links")`` for an empty paste or one longer than ``MAX_LINKS`` lines.
    """
    lines = pasted_lines(text)
    if not lines:
        raise FieldError("links", str(NOTHING))
    if len(lines) > MAX_LINKS:
        raise FieldError("links", str(TOO_MANY % {"n": MAX_LINKS}))
    now = now or utcnow()
    accounts = usable_accounts(user)
    servers = {server_of(str(a.credentials.get("base_url", ""))): a for a in accounts["bbb"]}
    checked = []
    for line in lines:
        if kept and line in kept:
            item = kept[line]
            checked.append(replace(item, warning="") if item.ok else item)
            continue
        found = recognise(line, bbb_ids=bool(servers), bbb_hosts=set(servers))
        if isinstance(found, Refusal):
            checked.append(Checked(line, problem=refusal_text(found)))
        elif (why := misfit(event.channel, found.kind)) is not None:
            checked.append(Checked(line, found, problem=why))  # not asked: it cannot be tracked
        else:
            candidates = _candidates(found, accounts, servers, account_id)
            checked.append(Checked(line, found, accounts=candidates))
    asked = [i for i in checked if i.link is not None and not i.problem and i.description is None]
    _describe_all(asked, now)
    seen: set[tuple[str, str]] = set()
    for item in checked:
        if item.ok and item.description is not None:
            key = (item.description.kind, item.description.external_id)
            if tracked(event.id, *key):
                item.problem = str(ALREADY_TRACKED)
            elif (other := tracked_elsewhere(event, *key, user)) is not None:
                item.problem = tracked_by_text(other)
            elif key in seen:
                item.problem = str(REPEATED)
            else:
                d = item.description
                item.warning = elsewhen(event.planned_start, d.kind, d.starts_at)
            seen.add(key)
    return checked


def checked_link(event: Event, url: str, user: User, *, account_id: int | None = None) -> Checked:
    """The API's ``{"url"}``: the line checked, with its object and account, or ``FieldError``
    naming why it cannot be tracked."""
    if len(pasted_lines(url)) != 1:
        raise FieldError("url", str(_l("Give one link.")))
    [item] = check_links(event, url, user, account_id=account_id)
    if not item.ok or item.description is None or item.account is None:
        raise FieldError("url", item.problem)
    return item


def usable_accounts(user: User) -> dict[str, list[PlatformAccount]]:
    """The user's accounts by platform (their unit's and below), oldest first."""
    rows = db.session.scalars(
        scoped(select(PlatformAccount), PlatformAccount, user).order_by(PlatformAccount.id)
    )
    by_platform: dict[str, list[PlatformAccount]] = {p.value: [] for p in Platform}
    for account in rows:
        by_platform[account.platform.value].append(account)
    return by_platform


def usable_platforms(user: User) -> set[str]:
    """The platforms whose links the user's pastes can be read on (``usable_accounts``)."""
    return {platform for platform, accounts in usable_accounts(user).items() if accounts}


def _asks(link: Link, account: PlatformAccount) -> tuple[TargetSpec, dict[str, Any]]:
    """What asking the platform about ``link`` with ``account`` takes: the spec and the client's
    options, read here in the request (the asking itself runs in a worker thread)."""
    spec = spec_for(link.kind, link.external_id, account)
    options = client_options(link.kind)
    options["timeout"] = (3.05, min(options["timeout"][1], DESCRIBE_TIMEOUT))
    return spec, options


def _ask(
    session: requests.Session,
    kind: str,
    asks: list[tuple[TargetSpec, dict[str, Any]]],
    now: datetime,
) -> tuple[int, Description | None, list[CollectorError]]:
    """Ask with each account in turn: the index and answer of the first that answers, or each
    refusal. No database and no app context: it runs beside the other links' questions."""
    errors: list[CollectorError] = []
    for index, (spec, options) in enumerate(asks):
        try:
            return (
                index,
                collectors.describe(kind, session, spec.base_url, spec, now=now, **options),
                errors,
            )
        except CollectorError as error:
            errors.append(error)
    return -1, None, errors


def refusal_text(refusal: Refusal) -> str:
    if refusal.reason == "short_link" and refusal.platform == "facebook":
        return str(FACEBOOK_SHORT_LINK % {"host": refusal.host, "example": SEE_VIDEO})
    params = {"host": refusal.host, "example": SEE_VIDEO, "value": refusal.value}
    return str(REFUSALS[refusal.reason] % params)


def _candidates(
    link: Link,
    accounts: dict[str, list[PlatformAccount]],
    servers: dict[str, PlatformAccount],
    account_id: int | None,
) -> list[PlatformAccount]:
    """The accounts that may read ``link``: a BigBlueButton link's own server, else the
    platform's accounts; only ``account_id`` when one is named."""
    if link.platform == "bbb" and link.host:
        found = [servers[link.host]] if link.host in servers else []
    else:
        found = accounts.get(link.platform, [])
    if account_id is not None:
        found = [a for a in found if a.id == account_id]
    return found


def _describe_all(items: list[Checked], now: datetime) -> None:
    """Ask the platforms about every recognised link, several links at once (each link's
    accounts in turn); keep each answer, or the best explained problem."""
    asked: list[tuple[Checked, Link, list[PlatformAccount]]] = []
    for item in items:
        assert item.link is not None
        if not item.accounts:
            item.problem = _no_account(item.link)
            continue
        # Accounts known to have lost their access are asked last; a few at most. An account
        # whose server may not be called (app.collection.servers) is never asked.
        order = [
            a
            for a in sorted(item.accounts, key=lambda a: a.health == "auth_expired")
            if _callable(item.link, a)
        ]
        if not order:
            item.problem = _no_account(item.link)
            continue
        asked.append((item, item.link, order[:MAX_ACCOUNTS]))
    if not asked:
        return
    questions = [(link, [_asks(link, a) for a in order]) for _, link, order in asked]
    session = http_session()
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(asked))) as pool:
        answers = list(pool.map(lambda q: _ask(session, q[0].kind, q[1], now), questions))
    for (item, link, order), (index, description, errors) in zip(asked, answers, strict=True):
        if description is not None:
            item.description, item.account = description, order[index]
            continue
        name = platform_name(link.platform)
        failed = zip(errors, order, strict=True)  # every account asked refused
        item.problem = min(_problem(e, name, a) for e, a in failed)[1]


def _callable(link: Link, account: PlatformAccount) -> bool:
    try:
        _asks(link, account)
    except UnsafeURL:
        return False
    return True


def _no_account(link: Link) -> str:
    if link.platform == "bbb" and link.host:
        return str(NO_BBB_SERVER % {"host": link.host})
    return str(NO_ACCOUNT % {"platform": platform_name(link.platform)})


def _problem(error: CollectorError, name: str, account: PlatformAccount) -> tuple[int, str]:
    """A platform's refusal as a rank (lower explains better) and a sentence."""
    values = {"platform": name, "account": account.name}
    if isinstance(error, TargetGone) and error.code == NOT_LIVE:
        return 0, str(NOT_LIVE_TEXT % values)
    if isinstance(error, AuthExpired):
        return 1, str(AUTH_TEXT % values)
    if isinstance(error, RateLimited):
        return 2, str(RATE_LIMITED_TEXT % values)
    if isinstance(error, TransientError):
        return 3, str(UNAVAILABLE_TEXT % values)
    if isinstance(error, TargetGone):
        return 4, str(NOT_FOUND_TEXT % values)
    return 5, str(REFUSED_TEXT % values)
