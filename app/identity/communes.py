"""Communes as 2025 codes, from whatever a sheet holds: a 2025 code, a legacy code or a name.

Since 1 July 2025 there are 3,321 communes with 5-digit codes (Decision 19/2025/QĐ-TTg); sheets
still carry the 10,035 pre-reform communes. We convert offline with the data that
``vietnamadminunits`` ships (the same package ``app.orgunits`` loads the tree from), never its
geocoder. A legacy commune that was split between several new ones keeps all of them as
candidates, so the linker can treat the commune as a soft, multi-valued feature.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib.resources import files

from app.identity.text import fold

_NOT_KEY = re.compile(r"[^a-z0-9]")
_CODE = re.compile(r"^\d{1,5}$")
# Prefixes dropped to compare names: "Xã Hợp Thành" and "Hợp Thành" are one commune.
_UNIT_PREFIXES = ("thanhpho", "thixa", "thitran", "phuong", "xa", "tinh", "huyen", "quan", "tp")


class CommuneHow(StrEnum):
    CODE_2025 = "code_2025"
    LEGACY_CODE = "legacy_code"
    NAME_2025 = "name_2025"
    LEGACY_NAME = "legacy_name"
    AMBIGUOUS = "ambiguous"  # a name found in several places and no province to choose
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Commune:
    code: str | None  # the 2025 commune code when there is exactly one candidate
    candidates: tuple[str, ...]  # every 2025 code it may be (several for a split commune)
    how: CommuneHow


def _key(text: str) -> str:
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
    new_by_ward: dict[str, tuple[str, ...]]  # ward short key → codes, any province
    legacy_by_name: dict[tuple[str, str], tuple[str, ...]]  # (old province, ward) → old codes
    legacy_by_district: dict[tuple[str, str, str], tuple[str, ...]]
    province_keys: dict[str, str]  # any province key (old or new, long or short) → short key


def _add(index: dict, key, code: str) -> None:
    if code not in index.get(key, ()):
        index[key] = (*index.get(key, ()), code)


def _ward_keys(row: dict) -> set[str]:
    """The ward's short key plus its keywords and aliases (older names it absorbed)."""
    keys = {row["wardShortKey"]}
    for column in ("wardKeywords", "wardAlias"):
        if row[column]:
            keys.update(_short(_key(k)) for k in json.loads(row[column]))
    return keys


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Index the package's SQLite tables and conversion dictionary once per process."""
    from vietnamadminunits.database import query

    new = query(
        "SELECT provinceKey, provinceShortKey, wardKey, wardShortKey, wardCode, wardKeywords, "
        "wardAlias FROM admin_units"
    )
    legacy = query(
        "SELECT provinceKey, provinceShortKey, districtKey, districtShortKey, wardKey, "
        "wardShortKey, wardCode, wardKeywords, wardAlias FROM admin_units_legacy"
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
    new_by_ward: dict = {}
    province_keys: dict[str, str] = {}
    for r in new:
        province_keys[r["provinceKey"]] = province_keys[r["provinceShortKey"]] = r[
            "provinceShortKey"
        ]
        for ward in _ward_keys(r):
            _add(new_by_name, (r["provinceShortKey"], ward), r["wardCode"])
            _add(new_by_ward, ward, r["wardCode"])
    legacy_by_name: dict = {}
    legacy_by_district: dict = {}
    for r in legacy:
        province_keys.setdefault(r["provinceKey"], r["provinceShortKey"])
        province_keys.setdefault(r["provinceShortKey"], r["provinceShortKey"])
        for ward in _ward_keys(r):
            _add(legacy_by_name, (r["provinceShortKey"], ward), r["wardCode"])
            _add(
                legacy_by_district,
                (r["provinceShortKey"], r["districtShortKey"], ward),
                r["wardCode"],
            )
    return _Tables(
        new_codes=frozenset(r["wardCode"] for r in new),
        legacy_to_new={k: tuple(sorted(v)) for k, v in legacy_to_new.items()},
        new_by_name=new_by_name,
        new_by_ward=new_by_ward,
        legacy_by_name=legacy_by_name,
        legacy_by_district=legacy_by_district,
        province_keys=province_keys,
    )


def _result(codes: tuple[str, ...], how: CommuneHow) -> Commune:
    codes = tuple(sorted(set(codes)))
    if not codes:
        return Commune(None, (), CommuneHow.UNKNOWN)
    return Commune(codes[0] if len(codes) == 1 else None, codes, how)


def _converted(legacy_codes: tuple[str, ...], how: CommuneHow) -> Commune:
    t = _tables()
    new = tuple(c for old in legacy_codes for c in t.legacy_to_new.get(old, ()))
    return _result(new, how)


@lru_cache(maxsize=50_000)
def resolve_commune(
    commune: str | None, district: str | None = None, province: str | None = None
) -> Commune:
    """A commune as written (2025 or legacy code or name) → its 2025 code or candidates.

    ``province`` (old or new name) and ``district`` (legacy) narrow a name: commune names repeat
    across provinces ("Xã Yên Thành" exists in three). A 2025 name wins over a legacy one.
    """
    if commune is None or not str(commune).strip():
        return Commune(None, (), CommuneHow.UNKNOWN)
    t = _tables()
    text = str(commune).strip()
    if _CODE.match(text):
        code = text.zfill(5)
        if code in t.new_codes:
            return Commune(code, (code,), CommuneHow.CODE_2025)
        return _converted((code,), CommuneHow.LEGACY_CODE)
    ward = _short(_key(text))
    province_key = t.province_keys.get(_key(province)) if province else None
    if province and province_key is None:
        province_key = t.province_keys.get(_short(_key(province)))
    if province_key is not None:
        found = t.new_by_name.get((province_key, ward))
        if found:
            return _result(found, CommuneHow.NAME_2025)
        if district:
            olds = t.legacy_by_district.get((province_key, _short(_key(district)), ward), ())
        else:
            olds = t.legacy_by_name.get((province_key, ward), ())
        if olds:
            return _converted(olds, CommuneHow.LEGACY_NAME)
        return Commune(None, (), CommuneHow.UNKNOWN)
    found = t.new_by_ward.get(ward, ())
    if len(found) == 1:
        return Commune(found[0], found, CommuneHow.NAME_2025)
    if found:
        return Commune(None, tuple(sorted(found)), CommuneHow.AMBIGUOUS)
    return Commune(None, (), CommuneHow.UNKNOWN)
