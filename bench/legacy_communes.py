"""Every commune of before the 2025 reform, written three ways, resolved by the imports' resolver.

For each of the country's 10,035 legacy communes: with its district and province ("Xã Sơn Thành,
Huyện Yên Thành, Tỉnh Nghệ An"), the same without accents, and by name only within its province.
The oracle is the package's own converter (``vietnamadminunits.convert_address``), which picks
one commune even for a divided one; we count how often the answer is that commune alone
(placed), a choice that holds it (left to the user), or anything else (wrong: must stay 0), and
how fast the resolver answers (the oracle's time is not counted).

    .venv/bin/python bench/legacy_communes.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vietnamadminunits import convert_address  # noqa: E402
from vietnamadminunits.database import query  # noqa: E402

from app.identity.communes import resolve_commune  # noqa: E402
from app.identity.text import fold  # noqa: E402


def main() -> None:
    rows = query("SELECT province, district, ward FROM admin_units_legacy WHERE ward IS NOT NULL")
    started = time.perf_counter()
    resolve_commune("Xã Sơn Thành", "Huyện Yên Thành", "Tỉnh Nghệ An")  # loads the tables
    loaded = time.perf_counter() - started
    forms = {
        "district and province": lambda r: (f"{r['ward']}, {r['district']}, {r['province']}",),
        "no accents": lambda r: (fold(f"{r['ward']}, {r['district']}, {r['province']}"),),
        "name only, in its province": lambda r: (r["ward"], None, r["province"]),
    }
    counts = {form: {"placed": 0, "choice": 0, "wrong": 0} for form in forms}
    spent = 0.0
    for r in rows:
        official = convert_address(f"{r['ward']}, {r['district']}, {r['province']}").ward_code
        for form, args in forms.items():
            written = args(r)
            start = time.perf_counter()
            found = resolve_commune(*written)
            spent += time.perf_counter() - start
            if found.code == official:
                counts[form]["placed"] += 1
            elif official in found.candidates and found.code is None:
                counts[form]["choice"] += 1
            else:
                counts[form]["wrong"] += 1
    print(f"legacy communes: {len(rows):,}; tables loaded in {loaded:.2f} s")
    for form, c in counts.items():
        print(f"  {form:28} placed {c['placed']:6,}  choice {c['choice']:5,}  wrong {c['wrong']}")
    total = len(rows) * len(forms)
    print(f"resolver: {total:,} resolutions in {spent:.2f} s ({total / spent:,.0f}/s, uncached)")


if __name__ == "__main__":
    main()
