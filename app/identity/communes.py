"""Communes as 2025 codes, from whatever a sheet holds: a 2025 code, a legacy code or a name.

Since 1 July 2025 there are 3,321 communes with 5-digit codes (Decision 19/2025/QĐ-TTg); sheets
still carry the 10,035 pre-reform communes, often with their district and province in the same
cell ("Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ An"; ``app.identity.addresses`` takes it apart).
We convert offline with the data that ``vietnamadminunits`` ships (the same package
``app.orgunits`` loads the tree from), never its geocoder. A legacy commune that was split
between several new ones keeps all of them as candidates, so the linker can treat the commune as
a soft, multi-valued feature and an import can ask the user which one: nothing is guessed.

``resolve_commune`` answers for one written commune; ``CommuneScope`` is the one resolver every
import and the roster matching use: it answers within the communes they accept (an event's, an
org unit's), reading names in the provinces those communes lie in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from importlib.resources import files

from app.identity.addresses import split_address
from app.identity.text import canonical_text, fold

_NOT_KEY = re.compile(r"[^a-z0-9]")
_CODE = re.compile(r"^\d{1,5}$")
_DASH = re.compile(r"[-\u2013\u2014]")
# Prefixes dropped to compare names: "Xã Hợp Thành" and "Hợp Thành" are one commune.
_UNIT_PREFIXES = ("thanhpho", "thixa", "thitran", "phuong", "dackhu", "xa", "tinh", "huyen",
                  "quan", "tp")  # fmt: skip

_UNITS_WRITTEN = ("thị trấn", "đặc khu", "phường", "xã")  # how the package's names begin


class CommuneHow(StrEnum):
    CODE_2025 = "code_2025"
    LEGACY_CODE = "legacy_code"
    NAME_2025 = "name_2025"
    LEGACY_NAME = "legacy_name"
    SPLIT = "split"  # one legacy commune divided between several 2025 communes
    AMBIGUOUS = "ambiguous"  # a name found in several places and nothing written to choose
    OUTSIDE = "outside"  # a commune, but none of those the caller accepts
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Commune:
    code: str | None  # the 2025 commune code when there is exactly one candidate
    candidates: tuple[str, ...]  # every 2025 code it may be (several for a split commune)
    how: CommuneHow
    # Candidates written exactly as a 2025 commune's name (unit word and accents): the reading
    # a scope holding them takes, when an old commune of the same name went elsewhere.
    exact: tuple[str, ...] = ()


_NOTHING = Commune(None, (), CommuneHow.UNKNOWN)


def _key(text: str) -> str:
    if text.isascii():  # the package's own keys, mostly: folding would change nothing
        return _NOT_KEY.sub("", text.lower())
    return _NOT_KEY.sub("", fold(text))


def _short(key: str) -> str:
    for prefix in _UNIT_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


@dataclass(frozen=True)
class _Tables:
    new_codes: frozenset[str]
    legacy_to_new: dict[str, tuple[str, ...]]  # legacy ward code → 2025 ward codes
    new_by_name: dict[tuple[str, str], tuple[str, ...]]  # (province short key, ward) → codes
    new_by_full: dict[tuple[str, str], tuple[str, ...]]  # (province, "xa…"/"phuong…") → codes
    new_by_ward: dict[str, tuple[str, ...]]  # ward short key → codes, any province
    legacy_by_name: dict[tuple[str, str], tuple[str, ...]]  # (old province, ward) → old codes
    legacy_by_full: dict[tuple[str, str], tuple[str, ...]]
    legacy_by_district: dict[tuple[str, str, str], tuple[str, ...]]
    province_keys: dict[str, str]  # any province key (old or new, long or short) → short key
    province_of: dict[str, str]  # 2025 ward code → its province's short key
    new_provinces: frozenset[str]
    old_provinces: dict[str, frozenset[str]]  # province short key → old provinces within it
    accented: dict[str, str]  # 2025 ward code → its name with accents ("châubính"), spaceless
    legacy_accented: dict[str, str]  # legacy ward code → the same


def _add(index: dict, key, code: str) -> None:
    if code not in index.get(key, ()):
        index[key] = (*index.get(key, ()), code)


def _unit_and_name(row: dict) -> tuple[str, str]:
    """("thị trấn", "Mường Tè") of "Thị trấn Mường Tè": the package's short names add
    "(Thị trấn)" where names repeat, so the name is read off the full one."""
    for unit in _UNITS_WRITTEN:
        if row["ward"].casefold().startswith(f"{unit} "):  # "Thị Trấn Ái Tử" too
            return unit, row["ward"][len(unit) :].strip()
    return "", row["ward"]


def _ward_keys(row: dict) -> tuple[set[str], set[str]]:
    """(short keys, full keys) of a ward: its name, keywords and aliases (older names it
    absorbed), without and with its unit word ("sonthanh", "xasonthanh"). Built from the name
    itself: the package's own keys keep accents or add "thitran" where names repeat."""
    unit, name = _unit_and_name(row)
    unit_key = _key(unit)
    keys, full = {_key(name)}, {_key(f"{unit} {name}")}
    for column in ("wardKeywords", "wardAlias"):
        for k in json.loads(row[column] or "[]"):
            keys.add(_short(_key(k)))
            if unit_key and column == "wardAlias" and _key(k).startswith(unit_key):
                full.add(_key(k))
    return keys, full


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Index the package's SQLite tables and conversion dictionary once per process."""
    from vietnamadminunits.database import query

    new = query(
        "SELECT provinceKey, provinceShortKey, ward, wardKey, wardCode, wardKeywords, wardAlias "
        "FROM admin_units"
    )
    legacy = query(
        "SELECT provinceKey, provinceShortKey, district, districtKey, districtKeywords, ward, "
        "wardKey, wardCode, wardKeywords, wardAlias FROM admin_units_legacy"
    )
    conversion = json.loads(
        files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8")
    )
    new_code = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in new}
    legacy_code = {
        f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": r["wardCode"] for r in legacy
    }
    legacy_to_new: dict[str, set[str]] = {}
    for province, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, old_keys in wards.items():
            for old in old_keys:
                if old in legacy_code and (province, ward) in new_code:
                    legacy_to_new.setdefault(legacy_code[old], set()).add(new_code[province, ward])
    for province, olds in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            for target in targets:
                if old in legacy_code and (province, target["newWardKey"]) in new_code:
                    code = new_code[province, target["newWardKey"]]
                    legacy_to_new.setdefault(legacy_code[old], set()).add(code)
    new_by_name: dict = {}
    new_by_full: dict = {}
    new_by_ward: dict = {}
    province_keys: dict[str, str] = {}
    province_of: dict[str, str] = {}
    for r in new:
        province = r["provinceShortKey"]
        province_keys[r["provinceKey"]] = province_keys[province] = province
        province_of[r["wardCode"]] = province
        short, full = _ward_keys(r)
        for ward in short:
            _add(new_by_name, (province, ward), r["wardCode"])
            _add(new_by_ward, ward, r["wardCode"])
        for ward in full:
            _add(new_by_full, (province, ward), r["wardCode"])
    legacy_by_name: dict = {}
    legacy_by_full: dict = {}
    legacy_by_district: dict = {}
    old_provinces: dict[str, set[str]] = {}
    for r in legacy:
        if r["wardCode"] is None:
            continue  # island districts without communes (Bạch Long Vĩ, Cồn Cỏ)
        province = r["provinceShortKey"]
        province_keys.setdefault(r["provinceKey"], province)
        province_keys.setdefault(province, province)
        old_provinces.setdefault(province, set()).add(province)
        for code in legacy_to_new.get(r["wardCode"], ()):
            old_provinces.setdefault(province_of[code], set()).add(province)
        districts = {_short(_key(r["district"]))}
        if r["districtKeywords"]:
            districts.update(_short(_key(k)) for k in json.loads(r["districtKeywords"]))
        short, full = _ward_keys(r)
        for ward in short:
            _add(legacy_by_name, (province, ward), r["wardCode"])
            for district in districts:
                _add(legacy_by_district, (province, district, ward), r["wardCode"])
        for ward in full:
            _add(legacy_by_full, (province, ward), r["wardCode"])
    return _Tables(
        new_codes=frozenset(r["wardCode"] for r in new),
        legacy_to_new={k: tuple(sorted(v)) for k, v in legacy_to_new.items()},
        new_by_name=new_by_name,
        new_by_full=new_by_full,
        new_by_ward=new_by_ward,
        legacy_by_name=legacy_by_name,
        legacy_by_full=legacy_by_full,
        legacy_by_district=legacy_by_district,
        province_keys=province_keys,
        province_of=province_of,
        new_provinces=frozenset(province_of.values()),
        old_provinces={k: frozenset(v) for k, v in old_provinces.items()},
        accented={r["wardCode"]: _name_accented(r) for r in new},
        legacy_accented={r["wardCode"]: _name_accented(r) for r in legacy if r["ward"]},
    )


def legacy_to_2025(legacy_code: str) -> tuple[str, ...]:
    """The 2025 communes a legacy one (by code) became: several when it was split."""
    return _tables().legacy_to_new.get(legacy_code, ())


def _result(codes: tuple[str, ...], how: CommuneHow) -> Commune:
    codes = tuple(sorted(set(codes)))
    if not codes:
        return _NOTHING
    return Commune(codes[0] if len(codes) == 1 else None, codes, how)


def _converted(legacy_codes: tuple[str, ...], how: CommuneHow) -> Commune:
    """The 2025 communes of some legacy ones: a split when one legacy commune became several."""
    t = _tables()
    new = {c for old in legacy_codes for c in t.legacy_to_new.get(old, ())}
    if len(new) > 1:
        how = CommuneHow.SPLIT if len(set(legacy_codes)) == 1 else CommuneHow.AMBIGUOUS
    return _result(tuple(new), how)


def _accented(name: str) -> str | None:
    """The name with its accents, tone marks in one place, spaceless; None if typed without."""
    written = canonical_text(name)
    return None if fold(written) == written else written.replace(" ", "")


def _name_accented(row: dict) -> str:
    return _accented(_unit_and_name(row)[1]) or ""


def _province(text: str | None) -> str | None:
    if not text:
        return None
    t = _tables()
    return t.province_keys.get(_key(text)) or t.province_keys.get(_short(_key(text)))


def _lookup(by_full: dict, by_short: dict, provinces: Collection[str], full: str | None,
            keys: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:  # fmt: skip
    """(codes, found by the name with its unit word) in ``provinces``."""
    if full:
        codes = tuple(c for p in provinces for c in by_full.get((p, full), ()))
        if codes:
            return codes, True
    for key in keys:
        codes = tuple(c for p in provinces for c in by_short.get((p, key), ()))
        if codes:
            return codes, False
    return (), False


@lru_cache(maxsize=50_000)
def _by_name(name: str, unit: str, district: str | None, province: str) -> Commune:
    """A commune's name (unit word apart) in one province (old or new), maybe with its district.

    A district, or a "thị trấn", exists only before 2025: the legacy communes answer first. A
    name both a 2025 commune and a legacy one that went elsewhere may be either: both are kept,
    and the 2025 one marked ``exact`` when written exactly so (``CommuneScope`` prefers it).
    """
    t = _tables()
    key = _key(name)
    keys = tuple(dict.fromkeys((key, _short(key), _key(f"{unit} {name}"))))
    full = _key(f"{unit} {name}") if unit else None
    if province in t.new_provinces:
        news = {province}
    else:  # an old province: the 2025 ones its communes went to
        news = {p for p in t.new_provinces if province in t.old_provinces.get(p, ())}
    olds = t.old_provinces.get(province, frozenset({province}))
    new, new_full = _lookup(t.new_by_full, t.new_by_name, news, full, keys)
    old: tuple[str, ...] = ()
    old_full = False
    if district:
        district_key = _short(_key(district))
        old = tuple(
            c
            for p in olds
            for k in keys
            for c in t.legacy_by_district.get((p, district_key, k), ())
        )
        hits = {c for p in olds for c in t.legacy_by_full.get((p, full), ())} if full else set()
        old = tuple(c for c in old if c in hits) or old  # "Thị trấn Mường Tè", not "Xã Mường Tè"
        old_full = bool(old)  # the district says which: as decisive as the unit word
    if not old:
        old, old_full = _lookup(t.legacy_by_full, t.legacy_by_name, olds, full, keys)
    accented = _accented(name)
    if accented:  # typed with its accents: "Châu Bính" is not "Châu Bình", "Đông" not "Đồng"
        new_a = tuple(c for c in new if t.accented.get(c) == accented)
        old_a = tuple(c for c in old if t.legacy_accented.get(c) == accented)
        if new_a or old_a:
            new, old = new_a, old_a
            new_full, old_full = new_full and bool(new), old_full and bool(old)
    if new_full and old and not old_full:
        old = ()  # "Xã Nam Đàn" is the 2025 commune, not the old "Thị trấn Nam Đàn"
    if old_full and new and not new_full:
        new = ()
    legacy = _converted(old, CommuneHow.LEGACY_NAME)
    if district or unit == "thi tran":
        return legacy if legacy.candidates else _result(new, CommuneHow.NAME_2025)
    if new and legacy.candidates and not set(legacy.candidates) <= set(new):
        both = _result((*new, *legacy.candidates), CommuneHow.AMBIGUOUS)
        if new_full and accented and all(t.accented.get(c) == accented for c in new):
            return replace(both, exact=tuple(sorted(new)))
        return both
    return _result(new, CommuneHow.NAME_2025) if new else legacy


@lru_cache(maxsize=50_000)
def resolve_commune(
    commune: str | None, district: str | None = None, province: str | None = None
) -> Commune:
    """A commune as written (2025 or legacy code or name) → its 2025 code or candidates.

    ``commune`` may carry its district and province ("Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ
    An"); what the cell says wins over ``district`` and ``province`` (other columns, or the
    caller's province). Names repeat across provinces ("Xã Yên Thành" exists in three): without
    a province only 2025 names are read.
    """
    if commune is None or not str(commune).strip():
        return _NOTHING
    t = _tables()
    text = str(commune).strip()
    if _CODE.match(text):
        code = text.zfill(5)
        if code in t.new_codes:
            return Commune(code, (code,), CommuneHow.CODE_2025)
        return _converted((code,), CommuneHow.LEGACY_CODE)
    address = split_address(text)
    district = address.district or district
    province_key = _province(address.province)
    others = list(address.others)  # "Thành phố Huế" is a province, "Thành phố Vinh" a district
    if province_key is None:
        provinces = [i for i, other in enumerate(others) if _province(other)]
        if provinces:  # the last one: an address ends with its province
            province_key = _province(others.pop(provinces[-1]))
    province_key = province_key or _province(province)
    if district is None and others:
        district = others[0]
    if not address.commune:
        found = _NOTHING
    elif province_key is not None:
        found = _by_name(address.commune, address.unit, district, province_key)
    else:
        codes = t.new_by_ward.get(_key(address.commune)) or t.new_by_ward.get(
            _short(_key(address.commune)), ()
        )
        how = CommuneHow.NAME_2025 if len(codes) == 1 else CommuneHow.AMBIGUOUS
        found = Commune(codes[0] if len(codes) == 1 else None, tuple(sorted(codes)), how)
    if not found.candidates and _DASH.search(text):  # "Phường Lâm Viên - Đà Lạt" is one name
        return resolve_commune(_DASH.sub(" ", text), district, province)
    return found if found.candidates else _NOTHING


class CommuneScope:
    """The 2025 communes one import accepts, and the provinces whose names it reads.

    ``codes``: the communes a written name may be (an event's, an org unit's); ``anywhere``: the
    communes a written *code* may be (a code names one commune in the whole country, so an
    enrolment export may place a row outside the importing unit by its code).
    """

    def __init__(self, codes: Collection[str], anywhere: Collection[str] | None = None) -> None:
        t = _tables()
        self.codes = frozenset(codes)
        self.anywhere = frozenset(anywhere) if anywhere is not None else self.codes
        self.provinces = tuple(sorted({t.province_of[c] for c in self.codes if c in t.province_of}))

    def resolve(self, written: str) -> Commune:
        """The commune ``written`` names among those accepted: one code, several to choose
        from (a split or a shared name), OUTSIDE (a commune, but not one of these) or UNKNOWN.
        A name written exactly as an accepted 2025 commune's is that commune."""
        text = " ".join(str(written).split())
        if not text:
            return _NOTHING
        allowed = self.anywhere if _CODE.match(text) else self.codes
        found = [resolve_commune(text, None, p) for p in self.provinces or (None,)]
        codes = tuple(dict.fromkeys(c for f in found for c in f.candidates))
        if not codes:
            return _NOTHING
        inside = tuple(sorted(c for c in codes if c in allowed))
        if not inside:
            return Commune(None, (), CommuneHow.OUTSIDE)
        exact = tuple(sorted({c for f in found for c in f.exact if c in allowed}))
        if len(exact) == 1:  # "Xã Châu Tiến": today's, not Quỳ Hợp's old one (now Châu Hồng)
            return Commune(exact[0], exact, CommuneHow.NAME_2025)
        hows = {f.how for f in found if f.candidates}
        how = hows.pop() if len(hows) == 1 else CommuneHow.AMBIGUOUS
        if len(inside) > 1 and how not in (CommuneHow.SPLIT, CommuneHow.AMBIGUOUS):
            how = CommuneHow.AMBIGUOUS
        return Commune(inside[0] if len(inside) == 1 else None, inside, how)
