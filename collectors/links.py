"""Recognising a pasted link, or a bare meeting id, as one platform object to collect.

Text work only: nothing here opens a URL. A link that says what it points to only after a redirect
(``fb.watch/…``, ``facebook.com/share/…``, URL shorteners) is refused with a reason, never fetched;
``recognise`` never touches the network, so no pasted text can make the server call anybody.

What is recognised (hosts are matched exactly or as a subdomain, so ``facebook.com.evil.example``
and ``evilfacebook.com`` are strangers):

=====================================================  =================  ==========================
pasted                                                 kind               external id
=====================================================  =================  ==========================
``facebook.com/<page>/videos/[<slug>/]<id>``,          facebook_live      the video id (the
``/watch/?v=``, ``/watch/live/?v=``, ``video.php?v=``,                    platform check finds its
``…/live_videos/<id>`` (also ``m.``, ``web.``,                            live video)
``mbasic.`` and the ``plugins/video.php`` embed)
``youtube.com/watch?v=``, ``youtu.be/``, ``/live/``,   youtube_live       the 11-character video id
``/shorts/``, ``/embed/`` (also ``m.``)
``zoom.us/j/<id>``, ``<sub>.zoom.us/j|w|s/<id>``,       zoom_meeting       the meeting number; the
``/wc/join/<id>``, or a bare id "857 9631 2754"                           passcode is dropped
``teams.microsoft.com/l/meetup-join/…``                teams_meeting      the join URL (the platform
``teams.microsoft.com/meet/<id>``                                         check finds the meeting)
``meet.google.com/abc-defg-hij`` or the bare code      meet_conference    the meeting code
a BigBlueButton join URL (``…/api/join?meetingID=``),   bbb_meeting        ``meetingID``; the
or a bare id when the unit has a BigBlueButton server                     passwords are dropped
=====================================================  =================  ==========================

Anything else is a ``Refusal`` whose ``reason`` (one of ``REASONS``) tells the officer what to
paste instead; the app words it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, urlsplit

MAX_LENGTH = 2000  # characters of one pasted line
MAX_LINKS = 20  # lines checked from one paste: each may cost a platform call or two

# Why a pasted text is not a trackable object; the app turns each into a sentence.
REASONS = (
    "not_a_link",  # neither a link nor a meeting id
    "unsafe_link",  # javascript:, data:, file:, user@host tricks, backslashes
    "too_long",
    "unknown_site",  # a link to a site Lan Tỏa does not collect from
    "short_link",  # needs a redirect to say where it goes: never opened
    "facebook_share",  # facebook.com/share/…: a share link that does not name the video
    "facebook_post",  # a post, photo or event, not a video
    "facebook_page",  # a page or profile, not one video
    "facebook_no_video",
    "youtube_channel",  # a channel or its /live page, not one video
    "youtube_no_video",
    "youtube_bad_id",  # a watch?v= or youtu.be link whose id is not YouTube's 11 characters
    "zoom_personal",  # zoom.us/my/<name>: a personal link without the meeting number
    "zoom_no_id",
    "teams_personal",  # teams.live.com: Teams for home, not readable through Graph
    "teams_no_meeting",
    "meet_no_code",
    "bbb_room",  # a Greenlight room page, whose meeting id it does not show
)
SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "rebrand.ly",
    "cutt.ly", "shorturl.at", "s.id", "tiny.cc", "rb.gy", "t.ly", "short.gy", "lnkd.in",
})  # fmt: skip

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
BARE_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?([/?#]|$)")
LABEL = re.compile(
    r"^(?:meeting id|meeting code|id cuộc họp|mã cuộc họp|id phòng họp|mã phòng họp|id|mã)"
    r"\s*[:：]\s*(.+)$",
    re.IGNORECASE,
)
ZOOM_BARE = re.compile(r"^[1-9][\d\s.-]{7,16}\d$")
ZOOM_ID = re.compile(r"^[1-9]\d{8,10}$")
MEET_CODE = re.compile(r"^([a-z]{3})-?([a-z]{4})-?([a-z]{3})$")
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
ID_SHOWN = 40  # characters of a refused id a message repeats
FACEBOOK_ID = re.compile(r"^\d{5,25}$")
BBB_BARE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{1,99}$")
TEAMS_NUMERIC = re.compile(r"^\d{9,15}$")
UNSAFE_CHARS = re.compile(r"[\s\\\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Link:
    """A recognised object: which collector kind takes it, and the id to ask the platform about."""

    kind: str
    external_id: str
    platform: str
    host: str = ""  # BigBlueButton: the server (host[:port]) the meeting lives on


@dataclass(frozen=True)
class Refusal:
    """Why the text is no object Lan Tỏa can collect; ``platform`` when it was recognisably one."""

    reason: str
    platform: str = ""
    host: str = ""
    value: str = ""  # the part of the link refused, where the message names it (a video id)


def pasted_lines(text: str) -> list[str]:
    """The non-empty lines of a paste, trimmed, in order."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def recognise(
    text: str, *, bbb_ids: bool = False, bbb_hosts: Collection[str] = ()
) -> Link | Refusal:
    """The object ``text`` names, or why it names none.

    ``bbb_ids``: a bare id that is no Zoom number or Meet code is taken for a BigBlueButton
    meeting (the unit has a BigBlueButton server). ``bbb_hosts`` are those servers' host[:port],
    so their Greenlight room pages can be told apart.
    """
    value = text.strip().strip("<>\"'“”‘’").rstrip(".,;")
    if len(value) > MAX_LENGTH:
        return Refusal("too_long")
    label = LABEL.match(value)
    if label:
        value = label.group(1).strip()
    if not value:
        return Refusal("not_a_link")
    bare = _bare(value, bbb_ids)
    if bare is not None:
        return bare
    if not SCHEME.match(value):
        if not BARE_HOST.match(value):
            return Refusal("not_a_link")
        value = "https://" + value  # copied without its scheme: "facebook.com/…"
    return _url(value, bbb_hosts, unwrap=True)


def _bare(value: str, bbb_ids: bool) -> Link | Refusal | None:
    """A meeting id typed or copied alone; None when ``value`` looks like a link instead."""
    if ZOOM_BARE.match(value):
        digits = re.sub(r"[\s.-]", "", value)
        if ZOOM_ID.match(digits):
            return Link("zoom_meeting", digits, "zoom")
        return Refusal("not_a_link")
    if value.isdigit():  # a phone number (0…), a passcode: not a meeting
        return Refusal("not_a_link")
    meet = MEET_CODE.match(value.lower()) if "-" in value else None
    if meet:
        return Link("meet_conference", "-".join(meet.groups()), "meet")
    if bbb_ids and BBB_BARE.match(value) and not BARE_HOST.match(value):
        return Link("bbb_meeting", value, "bbb")
    return None


def _url(value: str, bbb_hosts: Collection[str], *, unwrap: bool) -> Link | Refusal:
    scheme = value.split(":", 1)[0].lower()
    if scheme not in ("http", "https") or UNSAFE_CHARS.search(value):
        return Refusal("unsafe_link")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return Refusal("unsafe_link")
    if "@" in parts.netloc or not parts.hostname:
        return Refusal("unsafe_link")
    host = parts.hostname.lower().rstrip(".")
    netloc = _server(host, port, scheme)
    if host == "fb.watch":
        return Refusal("short_link", "facebook", host)
    if _on(host, "facebook.com") and _segments(parts)[:1] == ["share"]:
        return Refusal("facebook_share", "facebook", host)  # a full address, but not the video's
    wrapped = _wrapped(host, parts) if unwrap else None
    if wrapped is not None:
        return _url(wrapped, bbb_hosts, unwrap=False)
    if _on(host, "facebook.com") or _on(host, "fb.com"):
        return _facebook(parts, bbb_hosts, unwrap)
    if host == "youtu.be":
        return _youtube_id(_segments(parts)[:1])
    if _on(host, "youtube.com") or _on(host, "youtube-nocookie.com"):
        return _youtube(parts)
    if _on(host, "zoom.us") or _on(host, "zoom.com"):
        return _zoom(parts)
    if _on(host, "teams.microsoft.com"):
        return _teams(parts)
    if _on(host, "teams.live.com"):
        return Refusal("teams_personal", "teams", host)
    if host == "meet.google.com":
        return _meet(parts)
    if host in SHORTENERS:
        return Refusal("short_link", "", host)
    return _bbb(parts, netloc, bbb_hosts)


def server_of(url: str) -> str:
    """The host[:port] a URL names (default ports left out), as links to that server carry it."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    return _server(host, port, parts.scheme.lower()) if host else ""


def _server(host: str, port: int | None, scheme: str) -> str:
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{host}:{port}" if port and port != default else host


def _on(host: str, domain: str) -> bool:
    """``host`` is ``domain`` or one of its subdomains (never a look-alike)."""
    return host == domain or host.endswith("." + domain)


def _segments(parts: SplitResult) -> list[str]:
    return [s for s in parts.path.split("/") if s]


def _param(parts: SplitResult, name: str) -> str:
    values = parse_qs(parts.query).get(name) or [""]
    return values[0].strip()


def _wrapped(host: str, parts: SplitResult) -> str | None:
    """The link inside Facebook's link shim or Outlook's Safe Links, read from the text only."""
    if host == "l.facebook.com" or host == "lm.facebook.com":
        return _param(parts, "u") or None
    if _on(host, "safelinks.protection.outlook.com"):
        return _param(parts, "url") or None
    return None


def _facebook(parts: SplitResult, bbb_hosts: Collection[str], unwrap: bool) -> Link | Refusal:
    segments = [s.lower() for s in _segments(parts)]
    first = segments[0] if segments else ""
    if first == "plugins" and unwrap:  # the embed player: ?href=<the video's own URL>
        href = _param(parts, "href")
        return _url(href, bbb_hosts, unwrap=False) if href else Refusal("facebook_no_video")
    if first in ("watch", "video.php", "video"):
        return _facebook_id(_param(parts, "v") or _param(parts, "video_id"))
    for marker in ("videos", "live_videos"):
        if marker in segments:
            after = segments[segments.index(marker) + 1 :]
            numeric = [s for s in after if FACEBOOK_ID.match(s)]
            return _facebook_id(numeric[-1] if numeric else "")
    if first in ("story.php", "permalink.php", "photo.php", "photo", "events", "groups") or (
        len(segments) > 1 and segments[1] in ("posts", "photos", "events")
    ):
        return Refusal("facebook_post", "facebook")
    if len(segments) == 1 or first == "profile.php":
        return Refusal("facebook_page", "facebook")
    return Refusal("facebook_no_video", "facebook")


def _facebook_id(value: str) -> Link | Refusal:
    if FACEBOOK_ID.match(value):
        return Link("facebook_live", value, "facebook")
    return Refusal("facebook_no_video", "facebook")


def _youtube(parts: SplitResult) -> Link | Refusal:
    segments = _segments(parts)
    first = segments[0].lower() if segments else ""
    if first == "watch":
        return _youtube_id([_param(parts, "v")])
    if first in ("live", "shorts", "embed", "v", "e") and len(segments) > 1:
        return _youtube_id(segments[1:2])
    if first.startswith("@") or first in ("channel", "c", "user"):
        return Refusal("youtube_channel", "youtube")
    return Refusal("youtube_no_video", "youtube")


def _youtube_id(candidates: list[str]) -> Link | Refusal:
    value = candidates[0] if candidates else ""
    if YOUTUBE_ID.match(value):
        return Link("youtube_live", value, "youtube")
    if value:  # in the video's place, but not a YouTube id: say so, not "names no video"
        return Refusal("youtube_bad_id", "youtube", value=value[:ID_SHOWN])
    return Refusal("youtube_no_video", "youtube")


def _zoom(parts: SplitResult) -> Link | Refusal:
    segments = _segments(parts)
    first = segments[0].lower() if segments else ""
    candidate = ""
    if first in ("j", "w", "s") and len(segments) > 1:
        candidate = segments[1]
    elif first == "wc" and len(segments) > 2:  # /wc/join/<id> and /wc/<id>/join
        candidate = segments[2] if segments[1].lower() == "join" else segments[1]
    elif first == "join":
        candidate = _param(parts, "confno")
    elif first == "my":
        return Refusal("zoom_personal", "zoom")
    if ZOOM_ID.match(candidate):
        return Link("zoom_meeting", candidate, "zoom")
    return Refusal("zoom_no_id", "zoom")


def _teams(parts: SplitResult) -> Link | Refusal:
    path = parts.path
    if parts.fragment.startswith("/l/meetup-join/"):  # the new client: /v2/?meetingjoin=true#/l/…
        path, query = (parts.fragment.split("?", 1) + [""])[:2]
    else:
        query = parts.query
    if path.startswith("/l/meetup-join/") and len(path) > len("/l/meetup-join/"):
        return Link(
            "teams_meeting",
            f"https://teams.microsoft.com{path}" + (f"?{query}" if query else ""),
            "teams",
        )
    segments = _segments(parts)
    if len(segments) == 2 and segments[0] == "meet" and TEAMS_NUMERIC.match(segments[1]):
        return Link("teams_meeting", segments[1], "teams")  # the meeting ID; the passcode dropped
    return Refusal("teams_no_meeting", "teams")


def _meet(parts: SplitResult) -> Link | Refusal:
    segments = _segments(parts)
    code = MEET_CODE.match(segments[0].lower()) if segments else None
    if code and len(segments) == 1:
        return Link("meet_conference", "-".join(code.groups()), "meet")
    return Refusal("meet_no_code", "meet")


def _bbb(parts: SplitResult, netloc: str, bbb_hosts: Collection[str]) -> Link | Refusal:
    """A BigBlueButton API URL carrying ``meetingID`` (the join link), or a known server's room."""
    meeting = _param(parts, "meetingID")
    is_api = re.search(r"/api/[A-Za-z]+/?$", parts.path) is not None
    if meeting and (is_api or netloc in bbb_hosts):
        if len(meeting) > 200 or UNSAFE_CHARS.search(meeting.strip()):
            return Refusal("not_a_link", "bbb", netloc)
        return Link("bbb_meeting", meeting, "bbb", netloc)
    if netloc in bbb_hosts:
        return Refusal("bbb_room", "bbb", netloc)
    return Refusal("unknown_site", "", parts.hostname or "")


# Each platform's own sites, where a link an officer is given to open may lead (BigBlueButton has
# none: its meetings open only through a signed join link, which is never kept).
PLATFORM_HOSTS = {
    "facebook": ("facebook.com", "fb.com"),
    "youtube": ("youtube.com", "youtu.be"),
    "zoom": ("zoom.us", "zoom.com"),
    "teams": ("teams.microsoft.com",),
    "meet": ("meet.google.com",),
    "zalo": ("zalo.me",),
}
FACEBOOK_SITE = "https://www.facebook.com"


def platform_link(url: str | None, platform: str) -> str:
    """``url`` when it is an http(s) address on ``platform``'s own sites (a path Facebook gives
    for a permalink made absolute on facebook.com); "" for anything else."""
    value = (url or "").strip()
    if platform == "facebook" and value.startswith("/") and not value.startswith("//"):
        value = FACEBOOK_SITE + value
    if not value or len(value) > MAX_LENGTH or UNSAFE_CHARS.search(value):
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or not any(_on(host, site) for site in PLATFORM_HOSTS.get(platform, ())):
        return ""
    return value


def object_url(link: Link) -> str:
    """Where an officer opens the object a pasted link names, rebuilt from its id alone: no
    passcode, password or tracking part of the paste is kept. "" for a BigBlueButton meeting."""
    ident = link.external_id
    if link.kind == "facebook_live":
        return f"{FACEBOOK_SITE}/watch/?v={ident}"
    if link.kind == "youtube_live":
        return f"https://www.youtube.com/watch?v={ident}"
    if link.kind == "zoom_meeting":
        return f"https://zoom.us/j/{ident}"
    if link.kind == "teams_meeting":  # a join link as pasted, or a meeting ID
        return (
            ident if ident.startswith("https://") else f"https://teams.microsoft.com/meet/{ident}"
        )
    if link.kind == "meet_conference":
        return f"https://meet.google.com/{ident}"
    return ""
