"""Placing written communes among an import's communes (app/sheets/communes.py): one choice per
commune that may be several, the user's answers, and the command line's WRITTEN=CODE."""

from __future__ import annotations

import pytest

from app.models import OrgKind, OrgUnit
from app.sheets.communes import (
    CHOOSE_SPLIT,
    CommunePlacer,
    choice_key,
    posted_choices,
    written_choices,
)

DAI_NAI = "Phường Đại Nài, thành phố Hà Tĩnh"


def unit(code: str, name: str) -> OrgUnit:
    return OrgUnit(code=code, name=name, short_name=name, kind=OrgKind.COMMUNE)


HALLS = [unit("18073", "Phường Thành Sen"), unit("18652", "Phường Hà Huy Tập")]


def test_a_divided_commune_is_one_choice_for_all_its_rows() -> None:
    placer = CommunePlacer(HALLS)
    first = placer.place(DAI_NAI, 2)
    again = placer.place("phuong dai nai,  thanh pho ha tinh", 5)  # the same words, plain
    assert (first.status, first.unit) == ("choose", None)
    assert again.choice is first.choice
    (choice,) = placer.choices
    assert choice.rows == [2, 5]
    assert choice.names() == "Phường Thành Sen, Phường Hà Huy Tập"
    assert choice.message == CHOOSE_SPLIT
    assert placer.place("Phường Thành Sen").unit is HALLS[0]
    assert placer.place("Phường Lê Lợi, thành phố Vinh, tỉnh Nghệ An").status == "outside"
    assert placer.place("Phòng họp lạ").status == "unknown"


def test_the_users_answer_places_the_rows_if_it_is_a_candidate() -> None:
    answered = CommunePlacer(HALLS, chosen={choice_key(DAI_NAI): "18652"})
    placed = answered.place(DAI_NAI, 2)
    assert (placed.status, placed.unit) == ("placed", HALLS[1])
    assert answered.choices[0].chosen is HALLS[1]
    elsewhere = CommunePlacer(HALLS, chosen={choice_key(DAI_NAI): "16681"})
    assert elsewhere.place(DAI_NAI).status == "choose"


def test_answers_from_a_form_and_from_the_command_line() -> None:
    key = choice_key(DAI_NAI)
    form = {"csrf_token": "x", f"commune-choice-{key}": "18073", "commune-choice-abc": " "}
    assert posted_choices(form) == {key: "18073"}
    assert written_choices([f"{DAI_NAI}=18073"]) == {key: "18073"}
    with pytest.raises(ValueError, match="18073"):
        written_choices(["18073"])
