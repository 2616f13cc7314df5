"""The collector contract: plain records in, plain records out, no Flask and no database.

A collector is given a ``TargetSpec`` (which platform object, with which credentials, at which base
URL) and the cursor it returned last time, and returns a ``Batch``. The cursor is an opaque
JSON-serialisable dict; the runner stores it in the same transaction as the batch, so a crash
re-runs from the last committed cursor and the idempotent upserts absorb the overlap.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Protocol
from urllib.parse import quote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]

REACTION_TYPES = ("like", "love", "care", "haha", "wow", "sad", "angry")


def utc_now() -> datetime:
    return datetime.now(UTC)


def guest_key(name: str, join_time: str) -> str:
    """A stable key for a participant row without an id (a guest): name and join time as served."""
    return "guest:" + hashlib.sha1(f"{name}|{join_time}".encode()).hexdigest()[:16]


def parse_time(value: str | None) -> datetime | None:
    """An RFC 3339 time as Google, Microsoft and Zoom write it ("…Z" or an offset)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def title_of(value: Any) -> str | None:
    """An object's title as an answer gives it, for ``Batch.title``: None when it is absent or
    empty (the target keeps the title it had)."""
    return str(value) if value else None


def youtube_watch_url(video_id: str) -> str:
    """A YouTube video's own address, a live's too: YouTube answers no permalink, it is this."""
    return f"https://www.youtube.com/watch?v={quote(video_id, safe='')}"


def join_link(value: Any) -> str | None:
    """A join address an answer gives (Zoom's ``join_url``), without its query and fragment:
    Zoom puts the passcode there (``?pwd=``), which a page showing the link must not carry, as
    a pasted link's is not kept. None where the answer gave none."""
    if not value or not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) or None


@dataclass(frozen=True)
class TargetSpec:
    """What to collect: the platform object, the account's credentials and where the API lives."""

    kind: str
    external_id: str
    base_url: str
    credentials: Mapping[str, Any] = field(default_factory=dict)
    account_external_id: str | None = None  # e.g. the Facebook page id
    key: str = ""  # the runner's own id for this target, echoed back in results
    # An officer ended the object's event at this time though the platform had not: read its
    # final figures once as the platform's end would have (``CollectorType.final_read``).
    ended_at: datetime | None = None


@dataclass(frozen=True)
class Sample:
    """Counters at one moment; None means the platform did not say (not zero)."""

    sampled_at: datetime
    live_viewers: int | None = None
    views: int | None = None
    reactions: Mapping[str, int] | None = None  # keys from REACTION_TYPES
    reactions_total: int | None = None
    comments: int | None = None
    shares: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CommentRecord:
    external_id: str
    message: str
    created_at: datetime
    author_name: str = ""
    author_external_id: str | None = None
    parent_external_id: str | None = None
    # Written by the page or channel the object belongs to (a fanpage answering its viewers),
    # as the platform tells it; the app never takes such a comment for a lead.
    by_owner: bool = False


@dataclass(frozen=True)
class ParticipantRecord:
    participant_key: str
    display_name: str
    joined_at: datetime
    left_at: datetime | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DiscoveredLive:
    """A live found on a registered page or channel, to become an event by itself."""

    kind: str
    external_id: str
    title: str
    started_at: datetime | None
    permalink: str = ""


NOT_LIVE = "not_live"  # the code of a ``TargetGone`` from describe(): it exists, but is no live


@dataclass(frozen=True)
class Description:
    """What the platform says of an object before it is collected, for an officer to confirm.

    Each collector module's ``describe(client, target, now)`` answers one with a call or two, or
    raises the classified error (``TargetGone`` when there is no such object; with the code
    ``NOT_LIVE`` when there is one, but not a live or meeting Lan Tỏa can follow).
    """

    kind: str
    external_id: str  # the id to collect, which may differ from the pasted one
    title: str
    status: str  # live | scheduled | ended
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    known: bool = True  # False: the platform has not heard of it yet (a BBB meeting not created)
    url: str = ""  # its own address as the platform gives it (a permalink), "" when none


@dataclass(frozen=True)
class DailyQuota:
    """A budget of units per project per calendar day, the day counted in ``zone``.

    A collector of a metered API reports what each batch spent in ``Batch.usage["quota_units"]``
    (and the project's own limit in ``"quota_limit"`` when it has one); the runner counts the units
    per quota day and spreads what is left over the day.
    """

    units: int  # the limit when the account does not name its own
    zone: ZoneInfo  # the quota resets at midnight here

    def day(self, now: datetime) -> str:
        """The quota day ``now`` falls in, as an ISO date."""
        return now.astimezone(self.zone).date().isoformat()

    def seconds_to_reset(self, now: datetime) -> float:
        local = now.astimezone(self.zone)
        midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return (midnight - local).total_seconds()


def not_after(at: datetime | None, now: datetime) -> datetime | None:
    """A platform's date, never after our now: a platform clock may run ahead of ours."""
    return min(at, now) if at is not None else None


@dataclass(frozen=True)
class ListedSpan:
    """A span of creation times over which the platform listed every comment it still has: a
    stored comment created in [since, until) that the batch's comments do not hold was deleted
    (or hidden) since it was read. None leaves that side open (from the first comment; up to
    now). Only a read that reached the end of its pages, or stopped at a known time, says so."""

    since: datetime | None
    until: datetime | None


@dataclass(frozen=True)
class Batch:
    samples: tuple[Sample, ...] = ()
    comments: tuple[CommentRecord, ...] = ()
    participants: tuple[ParticipantRecord, ...] = ()
    cursor: Mapping[str, Any] = field(default_factory=dict)
    # live | ended | scheduled: what the platform says of the object now
    status: str | None = None
    finished: bool = False  # nothing more will ever come: stop scheduling
    calls: int = 0  # HTTP operations this batch cost (each Graph batch item counts)
    # Rate-limit usage seen, e.g. {"usage_pct": 42, "regain_seconds": 0, "quota_units": 6}
    usage: Mapping[str, Any] = field(default_factory=dict)
    # The platform's own advice on when to ask again (YouTube pollingIntervalMillis), seconds.
    poll_after: float | None = None
    # Credentials the platform rotated during the run (Zalo's single-use refresh tokens): the
    # runner merges them into the account's encrypted credentials in the batch's transaction.
    credentials_update: Mapping[str, Any] | None = None
    # When the broadcast began and ended as the platform dates them (None where it does not say):
    # the event's actual times, not those of the poll that first saw it live or over; a live
    # tracked after it ended gets its own day, not the day its link was added.
    started_at: datetime | None = None
    ended_at: datetime | None = None
    # Comments the platform says were removed since (a moderator deleted a chat message, its
    # author retracted it), by external id: no longer shown, counted or called.
    removed_comments: tuple[str, ...] = ()
    # What the platform calls the object now, and its own address (a permalink, possibly a path
    # on the platform's site); None where this read did not say.
    title: str | None = None
    url: str | None = None
    # Platforms that only list what still exists (Facebook): the spans this batch listed whole.
    listed: tuple[ListedSpan, ...] = ()


class Collector(Protocol):
    kind: ClassVar[str]

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch: ...


class ManyCollector(Collector, Protocol):
    """A collector that can serve several targets of one account in fewer HTTP requests."""

    def collect_many(
        self, items: Sequence[tuple[TargetSpec, Mapping[str, Any]]]
    ) -> list[Batch | Exception]: ...


class PagedCollector:
    """What the paged roster collectors (Zoom, Teams, Meet) are built with.

    ``max_pages`` caps one run so a busy meeting cannot starve other targets; the cursor lets the
    next run continue. ``default_page_size`` is each platform's documented maximum.
    """

    default_page_size: ClassVar[int] = 100

    def __init__(
        self,
        client: Any,
        *,
        clock: Clock = utc_now,
        max_pages: int = 20,
        page_size: int | None = None,
    ) -> None:
        self.client = client
        self.clock = clock
        self.max_pages = max_pages
        self.page_size = page_size or self.default_page_size
