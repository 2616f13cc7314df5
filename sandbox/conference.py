"""A seeded online conference: commune halls ("bridge points") joining one meeting, with truth.

The fakes for Zoom, Teams, Meet and BigBlueButton all play this one script, so a collector's
roster can be compared session by session with what really happened.

The script: the province office hosts a meeting; 39 commune halls join during the first minutes,
each hall one participant whose display name is the commune spelled the way officers type it
("Xã Tăng Thành", "UBND xa Tang Thanh", "Điểm cầu xã Tăng Thành - 45 người", "TANG THANH"). About a
third of the halls sign in with an account (a fixed name, the same on every platform); the others
join as guests and type a name each time, so a rejoin may read "xã Tăng thành 2". Some halls drop
and rejoin, one leaves early, one joins late; a guest ("iPhone của Lan") drops in; the meeting
ends. Times are whole seconds of scenario time ``t`` (``params.epoch`` is t = 0).

Besides the platform roster, the script has what only the officer in the hall knows: how many
people sit there. Most halls report a head count through their check-in link a few minutes after
joining, many correct it later, a few never report (``head_counts``).
``truth.conference_truth(conference, t)`` is the whole ground truth at one moment, in the terms
of the event summary.

The fakes' plumbing (fault switches, request log, loopback server) is in ``sandbox.loopback``.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sandbox.people import plain

Phase = Literal["scheduled", "live", "ended"]

# Communes of Yên Thành district, Nghệ An (the hall names the officers type).
COMMUNES = (
    "Tăng Thành", "Hoa Thành", "Tân Thành", "Phúc Thành", "Hậu Thành", "Đức Thành", "Mã Thành",
    "Kim Thành", "Quang Thành", "Tây Thành", "Thọ Thành", "Văn Thành", "Vĩnh Thành",
    "Xuân Thành", "Bắc Thành", "Nam Thành", "Trung Thành", "Long Thành", "Khánh Thành",
    "Công Thành", "Đồng Thành", "Liên Thành", "Lý Thành", "Minh Thành", "Mỹ Thành", "Nhân Thành",
    "Phú Thành", "Sơn Thành", "Thịnh Thành", "Tiến Thành", "Viên Thành", "Bảo Thành", "Đô Thành",
    "Đại Thành", "Hồng Thành", "Hợp Thành", "Lăng Thành", "Hùng Thành", "Hoà Thành",
)  # fmt: skip
# How officers type a hall's name; every spelling appears at least once.
SPELLINGS = (
    "Xã {name}",
    "UBND xa {plain}",
    "Điểm cầu xã {name} - {people} người",
    "{upper}",
    "UBND xã {name}",
    "xã {lower}",
    "Điểm cầu {name}",
    "{plain} - Yen Thanh",
    "X. {name}",
    "  UBND  xã {name}  ",
)
# Participants that are no hall: the host's room, a phone, the district office.
NON_HALLS = ("Hội trường tỉnh", "iPhone của Lan", "Phòng TT BHXH Yên Thành")


def stable_id(*parts: str, length: int = 12) -> str:
    """A deterministic id (``hash()`` is salted per process, so it is not used)."""
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:length]


def spell(template: str, commune: str, people: int) -> str:
    first, _, rest = commune.partition(" ")
    return template.format(
        name=commune,
        plain=plain(commune),
        upper=plain(commune).upper(),
        lower=f"{first} {rest.lower()}".strip(),
        people=people,
    )


@dataclass(frozen=True)
class ConferenceParams:
    """Everything that shapes the script; the same params always give the same script."""

    seed: int = 19  # a seed where two names fold like both "Hoa Thành" and "Hoà Thành"
    epoch: datetime = datetime(2026, 12, 3, 0, 58, tzinfo=UTC)  # 07:58 in Hà Nội
    start_offset: int = 120  # the host opens the meeting at t = 120
    duration: int = 3600
    halls: int = 39
    join_window: int = 420  # halls join within the first 7 minutes
    rejoiners: int = 9  # halls that drop and come back (two of them twice)
    title: str = "Hội nghị triển khai BHXH tự nguyện 2027"
    host_name: str = "BHXH tỉnh Nghệ An"
    zoom_meeting_id: str = "85012345678"
    teams_organizer_id: str = "6e1f3c2a-7b44-4f0e-9a51-bhxhnghean01"
    teams_meeting_id: str = "MSo2ZTFmM2MyYS03YjQ0KjAqKjE5OmhvaW5naGlAdGhyZWFkLnYy"
    meet_code: str = "bhx-hnge-anq"
    bbb_meeting_id: str = "bhxh-hoinghi-2027"
    communes: tuple[str, ...] = COMMUNES  # hall names without "Xã" (the demo passes its own)
    silent_halls: int = 3  # halls that never report a head count


@dataclass(frozen=True)
class Attendee:
    """A participant identity: a hall, the host or a guest; ``signed_in`` means a fixed account."""

    key: str
    kind: Literal["hall", "host", "guest"]
    commune: str | None
    signed_in: bool
    account_name: str = ""
    people: int = 0  # people sitting in the hall (halls only)


@dataclass(frozen=True)
class HeadCount:
    """One report from a hall's check-in link: ``count`` people at scenario time ``t``."""

    commune: str
    t: int
    count: int

    @property
    def key(self) -> str:
        """The idempotency key the officer's phone would send with this report."""
        return "hc-" + stable_id(self.commune, str(self.t), str(self.count), length=20)


@dataclass(frozen=True)
class Session:
    """One join → leave of one attendee; ``leave`` is clipped to the meeting's end."""

    attendee: Attendee
    index: int  # 0 for the first join, 1 for the first rejoin…
    name: str
    join: int
    leave: int

    @property
    def key(self) -> str:
        return f"{self.attendee.key}#{self.index}"

    def left_by(self, t: float) -> bool:
        return self.leave <= t


class Conference:
    """The script; every accessor takes the scenario time ``t``."""

    def __init__(self, params: ConferenceParams | None = None, **overrides: Any) -> None:
        params = params or ConferenceParams()
        self.params = replace(params, **overrides) if overrides else params
        if not 1 <= self.params.halls <= len(self.params.communes):
            raise ValueError(f"halls must be between 1 and {len(self.params.communes)}")
        self._scripted = tuple(_script(random.Random(self.params.seed), self.params))
        self._ended_at: int | None = None
        self._reports = tuple(_reports(random.Random(self.params.seed + 1), self))

    # --- time -------------------------------------------------------------------------------

    def datetime_at(self, t: float) -> datetime:
        return self.params.epoch + timedelta(seconds=t)

    @property
    def start(self) -> int:
        return self.params.start_offset

    @property
    def end(self) -> int:
        scripted = self.params.start_offset + self.params.duration
        return scripted if self._ended_at is None else min(self._ended_at, scripted)

    def end_meeting(self, t: float) -> None:
        """The host ends the meeting for everyone at ``t`` (not before it started)."""
        self._ended_at = max(int(t), self.start + 1)

    def reset(self) -> None:
        self._ended_at = None

    def phase(self, t: float) -> Phase:
        if t < self.start:
            return "scheduled"
        return "live" if t < self.end else "ended"

    # --- sessions ---------------------------------------------------------------------------

    def sessions(self) -> list[Session]:
        """Every session of the meeting, as it finally happened, in join order."""
        end = self.end
        return [replace(s, leave=min(s.leave, end)) for s in self._scripted if s.join < end]

    def sessions_started(self, t: float) -> list[Session]:
        """Sessions that have begun by ``t`` (those still on have ``leave > t``)."""
        return [s for s in self.sessions() if s.join <= t]

    def active(self, t: float) -> list[Session]:
        return [s for s in self.sessions_started(t) if s.leave > t]

    def attendees(self) -> list[Attendee]:
        seen: dict[str, Attendee] = {}
        for s in self._scripted:
            seen.setdefault(s.attendee.key, s.attendee)
        return list(seen.values())

    def truth(self) -> dict[str, list[Session]]:
        """The ground truth: each hall's sessions, by commune name."""
        halls: dict[str, list[Session]] = defaultdict(list)
        for s in self.sessions():
            if s.attendee.commune is not None:
                halls[s.attendee.commune].append(s)
        return dict(halls)

    # --- head counts ------------------------------------------------------------------------

    def halls(self) -> list[Attendee]:
        return [a for a in self.attendees() if a.kind == "hall"]

    def expected(self) -> dict[str, int]:
        """Expected attendance per hall, as the organiser planned it (rounded up to tens)."""
        return {a.commune: -(-a.people // 10) * 10 for a in self.halls() if a.commune}

    def head_counts(self, t: float | None = None) -> list[HeadCount]:
        """The halls' reports in time order (those made by ``t`` if given)."""
        return [r for r in self._reports if t is None or r.t <= t]

    def reported(self, t: float) -> dict[str, int]:
        """Each hall's latest head count by ``t``."""
        return {r.commune: r.count for r in self.head_counts(t)}

    def people_present(self, t: float) -> int:
        return sum(self.reported(t).values())


def _script(rng: random.Random, p: ConferenceParams) -> Iterable[Session]:
    start, end = p.start_offset, p.start_offset + p.duration
    host = Attendee("host", "host", None, True, p.host_name)
    yield Session(host, 0, p.host_name, start, end)
    spellings = list(SPELLINGS) * (p.halls // len(SPELLINGS) + 1)
    rng.shuffle(spellings)
    communes = list(p.communes[: p.halls])
    signed = set(rng.sample(range(1, p.halls), k=p.halls // 3)) if p.halls > 1 else set()
    rejoiners = rng.sample(range(p.halls), k=min(p.rejoiners, p.halls))
    others = [i for i in range(1, p.halls) if i not in rejoiners]
    late, early = rng.sample(others, k=2) if len(others) >= 2 else (None, None)
    for i, commune in enumerate(communes):
        people = rng.randint(12, 80)
        first = "Xã {name}" if i == 0 else spellings[i]
        name = spell(first, commune, people)
        hall = Attendee(f"hall-{i:02d}", "hall", commune, i in signed, name, people)
        join = start + 20 + rng.randint(0, p.join_window)
        if i == late:
            join = start + rng.randint(900, 1500)
        leave = end - rng.randint(600, 1200) if i == early else end
        drops = 0
        if i in rejoiners:
            drops = 2 if rejoiners.index(i) < 2 else 1
        yield from _sessions(rng, hall, join, leave, drops)
    province, lan, office = NON_HALLS
    yield Session(Attendee("guest-lan", "guest", None, False), 0, lan, start + 200, start + 1500)
    office_account = Attendee("office", "guest", None, True, office)
    yield Session(office_account, 0, office, start + 1800, end)
    room = Attendee("province-hall", "guest", None, False)
    yield Session(room, 0, province, start + 5, end)  # last in the script: earlier draws unchanged


def _reports(rng: random.Random, conference: Conference) -> Iterable[HeadCount]:
    """Head counts: a first count minutes after joining (people still arriving), often a later
    correction to the full hall; ``silent_halls`` halls never report."""
    truth, p = conference.truth(), conference.params
    halls = [a for a in conference.halls() if a.commune in truth]
    silent = set(rng.sample(range(len(halls)), k=min(p.silent_halls, len(halls))))
    reports = []
    for i, hall in enumerate(halls):
        if i in silent:
            continue
        commune, join = str(hall.commune), truth[str(hall.commune)][0].join
        first = hall.people - rng.randint(0, hall.people // 4)
        reports.append(HeadCount(commune, join + rng.randint(60, 600), first))
        if first != hall.people and rng.random() < 0.6:
            reports.append(HeadCount(commune, join + rng.randint(900, 1800), hall.people))
    return sorted(reports, key=lambda r: (r.t, r.commune))


def _sessions(
    rng: random.Random, hall: Attendee, join: int, leave: int, drops: int
) -> Iterable[Session]:
    """Split ``join → leave`` into ``drops + 1`` sessions with gaps of 30 s to 4 min."""
    span = leave - join
    slots = range(300, max(301, span - 600), 60)
    cuts = sorted(rng.sample(slots, k=min(drops, len(slots))))
    begin, name = join, hall.account_name
    for n, cut in enumerate(cuts):
        yield Session(hall, n, name, begin, join + cut)
        begin = join + cut + rng.randint(30, 240)
        if not hall.signed_in:  # guests type their name again; a phone app adds "2", "3"…
            typed = hall.account_name
            name = f"{typed} {n + 2}" if rng.random() < 0.5 else typed.replace("Thành", "thành")
    yield Session(hall, len(cuts), name, begin, leave)
