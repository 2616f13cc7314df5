"""Communes as written (2025 or legacy, code or name) resolved to 2025 codes or candidates."""

from __future__ import annotations

from app.identity.communes import CommuneHow, resolve_commune


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
