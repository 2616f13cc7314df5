"""Synthetic Vietnamese people for the linkage benchmark, written for this project.

Not Faker: its vi_VN provider writes names in the wrong order and only about a quarter of its
phones are valid. Names come from ``sandbox.people`` (surnames by their published frequencies,
Nguyễn ≈ 38 %; middle names that mark sex, Văn, Thị), phones are valid current mobiles, CCCD
digits agree with birth year and sex, and communes are real 2025 codes.

Enrolments (the social-insurance export) are written the official way — capitals with
diacritics, full dates — and grouped into BHYT household purchases that share a phone. Attendee
sheets carry the errors the notes list: old tone placement, NFD text, missing diacritics,
capitals, swapped name order, typos, year-only or missing births, old 11-digit and reformatted
phones, household phones, legacy commune codes and people who moved commune.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from app.identity.phones import OLD_MOBILE_PREFIXES
from app.identity.text import fold
from app.linkage.records import PersonRecord
from sandbox.people import SEX_WORDS, Names, Sex

# Old CCCD province codes (birth-registration province, 63-province scheme).
CCCD_PROVINCES = ["001", "031", "038", "040", "042", "044", "046", "048", "079", "087", "092"]
MOBILE_PREFIXES = ["32", "33", "34", "35", "36", "37", "38", "39", "70", "76", "77", "78", "79",
                   "81", "82", "83", "84", "85", "86", "88", "90", "91", "93", "94", "96", "97",
                   "98"]  # fmt: skip
_NEW_TO_OLD = {new: old for old, new in OLD_MOBILE_PREFIXES.items()}
_OLD_STYLE = {"hòa": "hoà", "thủy": "thuỷ", "thúy": "thuý", "khỏe": "khoẻ", "hòe": "hoè",
              "thùy": "thuỳ", "quỳnh": "quỳnh"}  # fmt: skip


@dataclass
class Person:
    pid: int
    surname: str
    middle: str
    given: str
    sex: Sex
    birth: tuple[int, int, int]
    cccd: str
    insurance_id: str
    phone: str  # 10-digit national
    commune: str


@dataclass
class Dataset:
    attendees: list[PersonRecord]
    enrolments: list[PersonRecord]
    truth: set[tuple[str, str]]  # (attendee_id, enrolment_id): the attendee's own enrolment
    household_truth: set[tuple[str, str]]  # (attendee_id, member enrolment_id)
    person_of: dict[str, int] = field(default_factory=dict)  # record_id → person id


class _Communes:
    """Real 2025 commune codes, with names and (where unambiguous) a legacy code for each."""

    def __init__(self, rng: random.Random, limit: int | None = None) -> None:
        from vietnamadminunits.database import query

        from app.identity.communes import _tables

        rows = query("SELECT wardCode, ward, province FROM admin_units ORDER BY wardCode")
        if limit:
            rows = rng.sample(rows, limit)
        self.codes = [r["wardCode"] for r in rows]
        self.name = {r["wardCode"]: (r["ward"], r["province"]) for r in rows}
        self.legacy: dict[str, list[str]] = {}
        for old, new in _tables().legacy_to_new.items():
            if len(new) == 1 and new[0] in self.name and old != new[0]:
                self.legacy.setdefault(new[0], []).append(old)


class Generator:
    def __init__(self, seed: int = 42, communes: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.communes = _Communes(self.rng, communes)
        self.names = Names(self.rng)
        self._next = 0

    def person(self, *, surname: str | None = None, phone: str | None = None,
               commune: str | None = None) -> Person:  # fmt: skip
        r = self.rng
        self._next += 1
        sex = self.names.sex()
        year = r.randint(1950, 2006)
        birth = (year, r.randint(1, 12), r.randint(1, 28))
        digit = (0 if year < 2000 else 2) + (sex == "F")
        cccd = f"{r.choice(CCCD_PROVINCES)}{digit}{year % 100:02d}{r.randrange(10**6):06d}"
        return Person(
            pid=self._next,
            surname=surname or self.names.surname(),
            middle=self.names.middle(sex),
            given=self.names.given(sex),
            sex=sex,
            birth=birth,
            cccd=cccd,
            insurance_id=f"{r.randrange(10**10):010d}",
            phone=phone or f"0{r.choice(MOBILE_PREFIXES)}{r.randrange(10**7):07d}",
            commune=commune or r.choice(self.communes.codes),
        )

    # --- how each side writes a person ---------------------------------------------------------

    def enrolment(
        self, p: Person, rid: str, household: str | None, phone: str | None
    ) -> PersonRecord:
        r = self.rng
        name = f"{p.surname} {p.middle} {p.given}"
        name = name.upper() if r.random() < 0.7 else name
        y, m, d = p.birth
        birth = str(y) if y < 1965 and r.random() < 0.3 else f"{d:02d}/{m:02d}/{y}"
        return PersonRecord(
            record_id=rid,
            full_name=self._typo(name) if r.random() < 0.01 else name,
            birth=birth,
            sex=SEX_WORDS[p.sex],
            id_number=p.cccd if r.random() < 0.3 else None,
            insurance_id=p.insurance_id if r.random() < 0.97 else None,
            phone=phone if r.random() < 0.75 else None,
            commune=p.commune,
            household_ref=household,
        )

    def attendee(self, p: Person, rid: str, moved_to: str | None = None) -> PersonRecord:
        r = self.rng
        parts = [p.surname, p.middle, p.given]
        given = parts[2]
        if given.lower() in _OLD_STYLE and r.random() < 0.5:
            parts[2] = _OLD_STYLE[given.lower()].capitalize()
        if r.random() < 0.04:
            parts = [parts[2], parts[0], parts[1]] if r.random() < 0.5 else [*parts[1:], parts[0]]
        name = " ".join(parts)
        if r.random() < 0.05:
            name = self._typo(name)
        style = r.random()
        if style < 0.15:
            name = fold(name).title()
        elif style < 0.35:
            name = name.upper()
        if r.random() < 0.2:
            name = unicodedata.normalize("NFD", name)
        y, m, d = p.birth
        b = r.random()
        birth = f"{d:02d}/{m:02d}/{y}" if b < 0.45 else str(y) if b < 0.8 else None
        phone = None
        if r.random() < 0.85:
            phone = self._phone_as_typed(p.phone)
        commune_code = moved_to or p.commune
        c = r.random()
        commune, province = commune_code, None
        if c < 0.35:
            commune, province = self.communes.name[commune_code]
        elif c < 0.5 and self.communes.legacy.get(commune_code):
            commune = r.choice(self.communes.legacy[commune_code])
        elif c < 0.55:
            commune = None
        return PersonRecord(
            record_id=rid,
            full_name=name,
            birth=birth,
            sex=None if r.random() < 0.5 else SEX_WORDS[p.sex].lower(),
            id_number=p.cccd if r.random() < 0.2 else None,
            insurance_id=p.insurance_id if r.random() < 0.03 else None,
            phone=phone,
            commune=commune,
            province=province,
        )

    def _phone_as_typed(self, phone: str) -> str:
        r = self.rng
        nsn = phone[1:]
        x = r.random()
        if x < 0.06 and nsn[:2] in _NEW_TO_OLD:
            return "0" + _NEW_TO_OLD[nsn[:2]] + nsn[2:]
        if x < 0.08:
            i = r.randrange(3, 10)
            return phone[:i] + str((int(phone[i]) + 1) % 10) + phone[i + 1 :]  # one wrong digit
        if x < 0.2:
            return f"+84 {nsn[:2]} {nsn[2:5]} {nsn[5:]}"
        if x < 0.3:
            return f"{phone[:4]}.{phone[4:7]}.{phone[7:]}"
        if x < 0.35:
            return nsn  # leading zero lost in a spreadsheet
        return phone

    def _typo(self, name: str) -> str:
        r = self.rng
        chars = list(name)
        letters = [i for i, c in enumerate(chars) if c.isalpha()]
        i = r.choice(letters[1:]) if len(letters) > 1 else 0
        kind = r.random()
        if kind < 0.4:
            del chars[i]
        elif kind < 0.7 and i + 1 < len(chars) and chars[i + 1].isalpha():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = r.choice("aeiounhtgm")
        return "".join(chars)

    # --- the two files ---------------------------------------------------------------------------

    def dataset(self, attendees: int, enrolments: int, conversion: float = 0.45) -> Dataset:
        """``attendees`` distinct people; ``enrolments`` rows, a share of them the attendees'."""
        r = self.rng
        att_records: list[PersonRecord] = []
        enr_records: list[PersonRecord] = []
        truth: set[tuple[str, str]] = set()
        household_truth: set[tuple[str, str]] = set()
        person_of: dict[str, int] = {}
        attendee_people = [self.person() for _ in range(attendees)]
        att_id = {}
        for i, p in enumerate(attendee_people):
            rid = f"a{i}"
            att_id[p.pid] = rid
            moved = r.choice(self.communes.codes) if r.random() < 0.05 else None
            att_records.append(self.attendee(p, rid, moved))
            person_of[rid] = p.pid
        converting = [p for p in attendee_people if r.random() < conversion]
        # Some couples attended together and enrolled in one household purchase.
        n = 0

        def purchase(primary: Person, extra_attendee: Person | None = None) -> None:
            nonlocal n
            bhyt = r.random() < 0.65
            ref = f"h{n}" if bhyt else None
            members: list[Person] = [primary]
            if extra_attendee is not None:
                members.append(extra_attendee)
            if bhyt:
                for _ in range(r.choice([0, 1, 1, 2, 3])):
                    same = r.random() < 0.6
                    members.append(
                        self.person(
                            surname=primary.surname if same else None,
                            phone=primary.phone,
                            commune=primary.commune,
                        )
                    )
            shared_phone = r.random() < 0.7
            owner = att_id.get(primary.pid)
            for m in members:
                eid = f"e{n}"
                n += 1
                phone = primary.phone if shared_phone else m.phone
                enr_records.append(self.enrolment(m, eid, ref, phone))
                person_of[eid] = m.pid
                if m.pid in att_id:
                    truth.add((att_id[m.pid], eid))
                elif owner is not None and ref is not None:
                    household_truth.add((owner, eid))

        pairs = 0
        for p in converting:
            if r.random() < 0.04:
                spouse = attendee_people[r.randrange(len(attendee_people))]
                if spouse is not p and spouse not in converting and pairs < attendees // 50:
                    pairs += 1
                    purchase(p, spouse)
                    continue
            purchase(p)
        while n < enrolments:
            purchase(self.person())
        return Dataset(att_records, enr_records, truth, household_truth, person_of)
