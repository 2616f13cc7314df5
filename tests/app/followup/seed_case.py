"""The seed's conference as files: an attendee sheet of 932 people and an enrolment export.

446 attendees enrolled (new) within 90 days of the conference, written in the export the way
agents write them: names without diacritics or in capitals, tone marks placed the other way
(Hoà / Hòa), old 11-digit phones, year-only births, CCCD sometimes missing. Around them sit the
rows that must *not* count: renewals, attendees who enrolled before the conference or after the
window, household members bought in the same BHYT purchase as an attendee (counted once, with
the attendee), relatives of non-enrolled attendees who share their phone and surname, and
strangers of the same communes. Deterministic (seeded); the numbers are the ground truth.
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta

from app.identity.text import fold
from sandbox.people import SEX_WORDS, Names

# The other tone-mark placement (old style) of the forms sandbox.people writes (Hòa → Hoà).
OLD_TONES = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè",
             "ủy": "uỷ", "úy": "uý", "ùy": "uỳ", "ũy": "uỹ", "ụy": "uỵ"}  # fmt: skip
# 2018 change: old 11-digit Viettel prefixes 0162..0169 became 032..039.
OLD_PREFIX = {f"03{d}": f"016{d}" for d in range(2, 10)}
NEW_PREFIXES = [f"03{d}" for d in range(2, 10)] + ["086", "096", "097", "098", "091", "094"]

EVENT_DAY = date(2026, 3, 10)
ATTENDEES = 932
CONVERTED = 446


@dataclass(frozen=True)
class Human:
    key: int
    surname: str
    middle: str
    given: str
    sex: str  # "Nam" | "Nữ"
    born: date
    phone: str  # 10-digit national
    cccd: str
    commune: str  # code

    @property
    def name(self) -> str:
        return f"{self.surname} {self.middle} {self.given}"


@dataclass
class SeedCase:
    attendees: list[Human]
    sheet: bytes
    export: bytes
    converted: set[int]  # keys of the attendees who converted
    counts: dict[str, int]


def _tone_variant(name: str) -> str:
    for new, old in OLD_TONES.items():
        name = name.replace(new, old)
    return name


def _spelling(name: str, how: int) -> str:
    """How an agent wrote the name: as is, old tone marks, NFD, no diacritics, capitals."""
    if how == 0:
        return name
    if how == 1:
        return _tone_variant(name)
    if how == 2:
        return unicodedata.normalize("NFD", name)
    if how == 3:
        return fold(name).title()
    return name.upper()


def _old_phone(phone: str) -> str:
    return OLD_PREFIX[phone[:3]] + phone[3:] if phone[:3] in OLD_PREFIX else phone


class _Maker:
    def __init__(self, rng: random.Random, communes: list[str]) -> None:
        self.rng = rng
        self.communes = communes
        self.phones: set[str] = set()
        self.cccds: set[str] = set()
        # (folded name, birth year): the sheet gives some births as a year only, and two rows
        # alike in name and birth would rightly be read as one person
        self.taken: set[tuple[str, int]] = set()
        self.count = 0
        self.names = Names(rng)

    def phone(self) -> str:
        while True:
            value = self.rng.choice(NEW_PREFIXES) + f"{self.rng.randrange(10**7):07d}"
            if value not in self.phones:
                self.phones.add(value)
                return value

    def cccd(self, born: date, sex: str) -> str:
        # province 040, century/sex digit (2000s +2; female +1), two-digit year, six random
        century = 0 if born.year < 2000 else 2
        digit = century + (1 if sex == "Nữ" else 0)
        while True:
            value = f"040{digit}{born.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if value not in self.cccds:
                self.cccds.add(value)
                return value

    def human(self, *, surname: str | None = None, phone: str | None = None,
              commune: str | None = None, age: tuple[int, int] = (22, 60),
              not_given: str = "") -> Human:  # fmt: skip
        rng = self.rng
        while True:
            drawn = self.names.name(surname=surname)
            sex = SEX_WORDS[drawn.sex]
            born = EVENT_DAY - timedelta(days=rng.randrange(age[0] * 365, age[1] * 365))
            if drawn.given != not_given and (fold(drawn.full), born.year) not in self.taken:
                break
        self.taken.add((fold(drawn.full), born.year))
        self.count += 1
        return Human(self.count, drawn.surname, drawn.middle, drawn.given, sex, born,
                     phone or self.phone(), self.cccd(born, sex),
                     commune or rng.choice(self.communes))  # fmt: skip


ENROLMENT_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "SĐT", "Xã/Phường",
                    "Loại hình", "Tham gia mới/Gia hạn", "Ngày nộp tiền", "Số tiền",
                    "Mã hộ gia đình", "Số hồ sơ"]  # fmt: skip


def build(communes: dict[str, str], seed: int = 446) -> SeedCase:
    """``communes``: code → name of the conference's communes."""
    rng = random.Random(seed)
    codes = sorted(communes)
    maker = _Maker(rng, codes)
    people = [maker.human() for _ in range(ATTENDEES)]
    order = list(range(ATTENDEES))
    rng.shuffle(order)
    converted = [people[i] for i in order[:CONVERTED]]
    rest = [people[i] for i in order[CONVERTED:]]
    before, renewal, late, related = rest[:40], rest[40:80], rest[80:95], rest[95:125]

    # The attendee sheet: years only for a third of them, phones for most, CCCD for some.
    sheet_rows = []
    for i, h in enumerate(people):
        birth = str(h.born.year) if i % 3 == 0 else h.born.strftime("%d/%m/%Y")
        phone = h.phone if i % 7 else ""
        cccd = h.cccd if i % 4 == 0 else ""
        sheet_rows.append([h.name, birth, phone, cccd, h.commune, "Có"])  # everybody agreed
    sheet = _csv(["Họ và tên", "Năm sinh", "Số điện thoại", "Số CCCD", "Xã/Phường", "Đồng ý"],
                 sheet_rows)  # fmt: skip
    sheet_phone = {h.key: bool(i % 7) for i, h in enumerate(people)}

    rows: list[list[str]] = []
    counts = {"new_in_window": 0, "renewals": 0, "before": 0, "late": 0, "household": 0,
              "relatives": 0, "strangers": 0}  # fmt: skip

    def add(h: Human, paid: date, *, new: bool = True, scheme: str = "BHXH tự nguyện",
            household: str = "", how: int = 0, cccd: bool = True, phone: str | None = None,
            year_only: bool = False, commune_name: bool = False) -> None:  # fmt: skip
        commune = communes[h.commune] if commune_name else h.commune
        rows.append([str(len(rows) + 1), _spelling(h.name, how),
                     str(h.born.year) if year_only else h.born.strftime("%d/%m/%Y"), h.sex,
                     h.cccd if cccd else "", h.phone if phone is None else phone, commune,
                     scheme, "Tham gia mới" if new else "Gia hạn", paid.strftime("%d/%m/%Y"),
                     "1650000", household, f"HS{len(rows) + 1:05d}"])  # fmt: skip

    for i, h in enumerate(converted):
        paid = EVENT_DAY + timedelta(days=1 + i % 85)
        how = i % 5
        kind = i % 3
        if kind == 0:  # CCCD on the export
            add(h, paid, how=how, phone="", year_only=i % 2 == 0, commune_name=i % 4 == 0)
        elif kind == 1 and sheet_phone[h.key]:  # phone (often the old spelling) + given name
            add(h, paid, how=how, cccd=False, phone=_old_phone(h.phone) if i % 2 else h.phone,
                year_only=i % 4 == 1)  # fmt: skip
        else:  # name, birth date and commune only: the probabilistic pass
            add(h, paid, how=how % 3, cccd=False, phone="")
        counts["new_in_window"] += 1
        if i % 8 == 0:  # a BHYT household purchase: the attendee and one or two relatives
            ref = f"HGD{i:04d}"
            rows[-1][7], rows[-1][11] = "BHYT hộ gia đình", ref
            for _ in range(1 + i % 2):
                member = maker.human(
                    surname=h.surname, phone=h.phone, commune=h.commune, not_given=h.given
                )
                add(member, paid, scheme="BHYT hộ gia đình", household=ref, cccd=i % 3 == 0)
                counts["household"] += 1
    for i, h in enumerate(before):
        add(h, EVENT_DAY - timedelta(days=20 + 7 * i), how=i % 5)
        counts["before"] += 1
    for i, h in enumerate(renewal):
        add(h, EVENT_DAY + timedelta(days=5 + i), new=False, how=i % 5)
        counts["renewals"] += 1
    for i, h in enumerate(late):
        add(h, EVENT_DAY + timedelta(days=100 + i), how=i % 5)
        counts["late"] += 1
    for i, h in enumerate(related):  # a relative enrolled; the attendee did not
        relative = maker.human(
            surname=h.surname, phone=h.phone, commune=h.commune, not_given=h.given
        )
        add(relative, EVENT_DAY + timedelta(days=10 + i), cccd=i % 2 == 0)
        counts["relatives"] += 1
    for i in range(1500):  # people of the same communes who never came
        stranger = maker.human()
        add(stranger, EVENT_DAY + timedelta(days=rng.randrange(-200, 85)), how=i % 5,
            cccd=i % 3 == 0, new=i % 4 != 0)  # fmt: skip
        counts["strangers"] += 1
    rng.shuffle(rows)
    export = _csv(ENROLMENT_HEADER, rows)
    return SeedCase(people, sheet, export, {h.key for h in converted}, counts)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


__all__ = ["ATTENDEES", "CONVERTED", "EVENT_DAY", "SeedCase", "build", "replace"]
