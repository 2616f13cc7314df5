"""Communes as written (2025 or legacy, code or name) resolved to 2025 codes or candidates."""

from __future__ import annotations

import pytest

from app.identity.communes import CommuneHow, resolve_commune
from app.identity.text import fold


def test_communes_to_2025_codes() -> None:
    assert resolve_commune("17506").how == CommuneHow.CODE_2025
    legacy_code = resolve_commune("17572")  # old Xã Đông Thành, Yên Thành → Xã Yên Thành
    assert (legacy_code.code, legacy_code.how) == ("17506", CommuneHow.LEGACY_CODE)
    by_name = resolve_commune("Xã Hợp Thành", "Huyện Yên Thành", "Nghệ An")
    assert (by_name.code, by_name.how) == ("17506", CommuneHow.LEGACY_NAME)
    assert resolve_commune("Phường Bến Nghé", province="TP Hồ Chí Minh").code == "26740"
    assert resolve_commune("yen thanh", province="nghe an").code == "17506"
    ambiguous = resolve_commune("Yên Thành")
    assert ambiguous.code is None
    assert "17506" in ambiguous.candidates
    assert resolve_commune("Xã Không Có", province="Nghệ An").how == CommuneHow.UNKNOWN


def test_split_commune_keeps_candidates() -> None:
    split = resolve_commune("31268")
    assert split.code is None
    assert len(split.candidates) > 1


# --- addresses written before the 2025 reform ---------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ An", "17605"),  # one cell, three units
        ("xa son thanh, h. yen thanh, nghe an", "17605"),
        ("Xã Tam Hợp, huyện Tương Dương, tỉnh Nghệ An", "16936"),  # now part of Xã Tam Thái …
        ("Xã Tam Hợp, huyện Quỳ Hợp, tỉnh Nghệ An", "17059"),  # … while this one kept the name
        ("Xã Châu Bính, huyện Quỳ Châu, tỉnh Nghệ An", "16792"),  # a tone apart from …
        ("Xã Châu Bình, huyện Quỳ Châu, tỉnh Nghệ An", "16804"),  # … another commune
        ("Thị trấn Nam Đàn, tỉnh Nghệ An", "17950"),  # a "thị trấn" is always a legacy unit
        ("Xã Quảng Phú, huyện Quảng Trạch, tỉnh Quảng Bình", "19021"),  # a province merged away
        ("Phường Minh Đức, Thành phố Thủy Nguyên, Thành phố Hải Phòng", "11473"),
        ("Xã Long Sơn, thành phố Vũng Tàu, tỉnh Bà Rịa - Vũng Tàu", "26545"),
    ],
)
def test_a_written_old_address_resolves_to_its_2025_commune(written: str, code: str) -> None:
    assert resolve_commune(written).code == code


def test_a_name_two_communes_may_bear_is_never_guessed() -> None:
    tam_hop = resolve_commune("Xã Tam Hợp", province="Nghệ An")  # 2025 Tam Hợp, or the old one
    assert (tam_hop.code, tam_hop.candidates) == (None, ("16936", "17059"))
    assert resolve_commune("Xã Nam Đàn", province="Nghệ An").code == "17935"  # today's xã
    assert resolve_commune("Nam Đàn", province="Nghệ An").candidates == ("17935", "17950")


def test_an_old_commune_divided_in_2025_keeps_every_candidate() -> None:
    dai_nai = resolve_commune("Phường Đại Nài, thành phố Hà Tĩnh, tỉnh Hà Tĩnh")
    assert (dai_nai.code, dai_nai.candidates, dai_nai.how) == (
        None, ("18073", "18652"), CommuneHow.SPLIT)  # fmt: skip
    assert resolve_commune("Xã Kỳ Lợi, thị xã Kỳ Anh", province="Hà Tĩnh").candidates == (
        "18754", "18823", "18832")  # fmt: skip


def test_a_scope_reads_names_in_its_provinces_and_keeps_only_its_communes() -> None:
    from app.identity.communes import CommuneScope

    yen_thanh = CommuneScope(["17506", "17605"])  # two communes of Nghệ An
    assert yen_thanh.resolve("Xã Sơn Thành").code == "17605"  # the province comes from the scope
    assert yen_thanh.resolve("Xã Hợp Thành - Yên Thành").code == "17506"
    assert yen_thanh.resolve("Phường Lê Lợi, thành phố Vinh").how == CommuneHow.OUTSIDE
    assert yen_thanh.resolve("Xã Không Có").how == CommuneHow.UNKNOWN
    only_one = CommuneScope(["18652"]).resolve("Phường Đại Nài, thành phố Hà Tĩnh")
    assert only_one.code == "18652"  # the other part of Đại Nài is not one of these communes
    codes_anywhere = CommuneScope(["17506"], anywhere=["17506", "16681"])
    assert codes_anywhere.resolve("16681").code == "16681"
    assert codes_anywhere.resolve("Phường Thành Vinh").how == CommuneHow.OUTSIDE


def test_a_scope_takes_the_2025_commune_written_exactly() -> None:
    """Old Xã Tam Hợp (Tương Dương) is now in Tam Thái (16936); Quỳ Hợp's kept the name (17059)."""
    from app.identity.communes import CommuneScope

    both = CommuneScope(["16936", "17059"])
    assert both.resolve("Xã Tam Hợp").code == "17059"
    assert both.resolve("Tam Hợp").candidates == ("16936", "17059")  # no unit word: either
    assert both.resolve("Xa Tam Hop").candidates == ("16936", "17059")  # no accents: either
    assert both.resolve("Xã Tam Hợp, huyện Tương Dương").code == "16936"
    assert CommuneScope(["16936"]).resolve("Xã Tam Hợp").code == "16936"  # the only reading


def test_every_old_commune_of_nghe_an_as_the_official_conversion_says() -> None:
    """Nghệ An's 412 communes of before 2025, written with district and province, with no
    accents, and by name only: the package's own converter is the oracle (none was divided)."""
    from vietnamadminunits import convert_address
    from vietnamadminunits.database import query

    rows = query(
        "SELECT province, district, ward FROM admin_units_legacy WHERE provinceCode = '40'"
    )
    assert len(rows) == 412
    for r in rows:
        full = f"{r['ward']}, {r['district']}, {r['province']}"
        official = convert_address(full).ward_code
        assert resolve_commune(full).code == official, full
        assert official in resolve_commune(fold(full)).candidates, full
        assert official in resolve_commune(r["ward"], province="Nghệ An").candidates, full
