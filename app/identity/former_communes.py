"""What the 2025 communes were called before: the pre-reform communes each one took in.

Officers still think in the names of before 1 July 2025 ("Phường Hưng Bình, Thành phố Vinh" for
what is now Phường Thành Vinh), so lists of 2025 communes find a commune by these names too. The
old → new mapping is the one every import uses (``communes.legacy_to_2025``); only the old names
and their districts are read here, from the same package, offline.
"""

from __future__ import annotations

from functools import lru_cache

from app.identity.communes import legacy_to_2025


@lru_cache(maxsize=1)
def _former() -> dict[str, tuple[str, ...]]:
    from vietnamadminunits.database import query

    rows = query("SELECT district, ward, wardCode FROM admin_units_legacy ORDER BY wardCode")
    out: dict[str, list[str]] = {}
    for r in rows:
        if r["wardCode"] is None or not r["ward"]:
            continue  # island districts without communes
        for code in legacy_to_2025(r["wardCode"]):
            out.setdefault(code, []).append(f"{r['ward']}, {r['district']}")
    return {code: tuple(names) for code, names in out.items()}


def former_names(code: str) -> tuple[str, ...]:
    """The pre-2025 communes now wholly or partly in the 2025 commune ``code``, each with its
    district ("Phường Hưng Bình, Thành phố Vinh"); empty for a code the package does not know."""
    return _former().get(code, ())
