"""Enrolment exports written with the communes of before the 1 July 2025 reform.

Agents' exports still carry the old communes: by name (with or without district and province) or
by legacy code. Each row is placed in its 2025 commune; an old commune divided between several
is offered to the user as a choice on the preview (page and CLI), applied on confirmation, and
never guessed: left unchosen, the row keeps its text and no commune.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.followup.enrolments import commit_enrolments, preview_enrolments
from app.models import Enrolment, OrgUnit
from app.orgunits import load_units, read_package_units
from tests.conftest import HOME, Factory, csrf_token, login

NOW = datetime(2026, 3, 30, 3, 0, tzinfo=UTC)
TODAY = date(2026, 3, 30)
HA_TINH = "42"
DAI_NAI = "Phường Đại Nài, thành phố Hà Tĩnh"  # divided: Thành Sen (18073) or Hà Huy Tập (18652)
HEADER = ["Họ và tên", "Ngày sinh", "Xã/Phường", "Loại hình", "Tham gia mới/Gia hạn",
          "Ngày nộp tiền", "Số hồ sơ"]  # fmt: skip
PAGE = "/follow-up/enrolments/import"


def export(communes: list[str]) -> bytes:
    """One new BHXH tự nguyện enrolment per commune, as an agent's CSV export writes it."""
    lines = [",".join(HEADER)]
    for i, commune in enumerate(communes):
        lines.append(f'Người Thứ {i + 1},1980,"{commune}",BHXH tự nguyện,Tham gia mới,'
                     f"0{i + 1}/03/2026,HS{i + 1:03d}")  # fmt: skip
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def placed() -> list[tuple[str, str | None, str]]:
    """(record number, 2025 commune code or None, the commune as written) of every enrolment."""
    rows = db.session.execute(
        sa.select(Enrolment.source_ref, OrgUnit.code, Enrolment.commune_text)
        .outerjoin(OrgUnit, OrgUnit.id == Enrolment.commune_id)
        .order_by(Enrolment.source_row)
    )
    return [tuple(row) for row in rows]


def test_old_communes_are_placed_in_their_2025_commune(app: Flask, unit) -> None:
    written = [
        "Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ An",  # → Xã Hợp Minh
        "Xã Châu Bính",  # name only; one tone from Xã Châu Bình (another commune today)
        "16741",  # old Xã Thông Thụ's code → Xã Thông Thụ (16744)
        "xa hop thanh, h. yen thanh",  # no accents, abbreviated → Xã Yên Thành
        "Xã Yên Thành",  # a 2025 name stays what it was
    ]
    preview = preview_enrolments(export(written), "xuat-t3.csv", unit=unit(HOME), today=TODAY)
    assert preview.issues == []
    assert preview.counts["unplaced"] == 0
    assert preview.choices == []
    commit_enrolments(preview, user=None, unit=unit(HOME), now=NOW)
    db.session.commit()
    codes = [code for _, code, _ in placed()]
    assert codes == ["17605", "16792", "16744", "17506", "17506"]
    assert [text for _, _, text in placed()] == written  # what the agent wrote is kept


def test_a_commune_written_as_today_s_is_that_commune(app: Flask, unit) -> None:
    """Quỳ Châu's old Xã Châu Tiến is today's (16792); Quỳ Hợp's went to Xã Châu Hồng (17044).
    Written exactly as today's commune, it is that one; the bare name may be either and asks."""
    written = ["Xã Châu Tiến", "Xã Châu Tiến, huyện Quỳ Hợp", "Châu Tiến"]
    preview = preview_enrolments(export(written), "xuat.csv", unit=unit(HOME), today=TODAY)
    (choice,) = preview.choices
    assert (choice.written, choice.rows) == ("Châu Tiến", [4])
    assert [u.code for u in choice.candidates] == ["16792", "17044"]
    commit_enrolments(preview, user=None, unit=unit(HOME), now=NOW)
    db.session.commit()
    assert [code for _, code, _ in placed()] == ["16792", "17044", None]


def ha_tinh() -> OrgUnit:
    load_units(db.session, read_package_units([HA_TINH]), "test")
    db.session.commit()
    return db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HA_TINH)).one()


def test_a_divided_commune_left_unchosen_stays_unplaced(app: Flask) -> None:
    province = ha_tinh()
    data = export([DAI_NAI, "Phường Nam Hà, thành phố Hà Tĩnh", DAI_NAI])
    preview = preview_enrolments(data, "xuat.csv", unit=province, today=TODAY)
    (choice,) = preview.choices
    assert (choice.written, choice.rows) == (DAI_NAI, [2, 4])
    assert [u.code for u in choice.candidates] == ["18073", "18652"]
    assert (preview.counts["to_choose"], preview.counts["unplaced"]) == (2, 0)
    commit_enrolments(preview, user=None, unit=province, now=NOW)
    db.session.commit()
    assert [code for _, code, _ in placed()] == [None, "18073", None]


def test_the_page_offers_the_choice_and_applies_it(client: FlaskClient, make: Factory) -> None:
    from app.sheets.communes import choice_key

    ha_tinh()
    login(client, make.user("officer", HA_TINH).email)
    token = csrf_token(client, PAGE)
    data = export([DAI_NAI, "Phường Nam Hà, thành phố Hà Tĩnh", DAI_NAI])
    html = client.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(data), "t3.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    assert "Xã/phường cần chọn" in html
    assert "Nếu không chọn, các dòng đó được nhập mà không có xã/phường." in html
    field = f"commune-choice-{choice_key(DAI_NAI)}"
    select = html[html.index(f'name="{field}"') : html.index("</select>", html.index(field))]
    assert re.findall(r'<option value="(\d+)"', select) == ["18073", "18652"]
    stash = re.search(r'name="stash" value="([^"]+)"', html).group(1)
    done = client.post(PAGE, data={"csrf_token": token, "stash": stash, field: "18652"})
    assert done.status_code == 302
    assert [code for _, code, _ in placed()] == ["18652", "18073", "18652"]


def test_cli_lists_the_choice_and_takes_the_answer(app: Flask, tmp_path) -> None:
    ha_tinh()
    file = tmp_path / "xuat.csv"
    file.write_bytes(export([DAI_NAI, "Phường Bắc Hà, thành phố Hà Tĩnh"]))
    runner = app.test_cli_runner()
    args = ["followup", "import-enrolments", str(file), "--org-unit", HA_TINH]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert f"choose for '{DAI_NAI}' (1 rows): 18073 Phường Thành Sen, 18652 Phường Hà Huy Tập" in (
        dry.output
    )
    assert "1 to choose" in dry.output
    done = runner.invoke(args=[*args, "--choose", f"{DAI_NAI}=18073"])
    assert done.exit_code == 0, done.output
    assert [code for _, code, _ in placed()] == ["18073", "18073"]
