"""Vietnamese alphabetical order (app.collation): Đ after D, ă â after a, tones after the base
letter in the dictionary order, and the pages that list communes follow it."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

from flask.testing import FlaskClient

from app.collation import sorted_vietnamese, vietnamese_key
from app.halls.services import communes_of
from tests.conftest import HOME, Factory, login


def test_d_with_stroke_comes_after_d_and_before_e() -> None:
    names = ["Gia Lộc", "Đông Hiếu", "Dương Quỳ", "Diễn Châu", "Đà Sơn", "Eo Gió"]
    assert sorted_vietnamese(names) == [
        "Diễn Châu", "Dương Quỳ", "Đà Sơn", "Đông Hiếu", "Eo Gió", "Gia Lộc",
    ]  # fmt: skip


def test_letters_with_marks_follow_their_base_letter() -> None:
    assert sorted_vietnamese(["Nhôn Mai", "Nậm Cắn", "Nam Đàn"]) == [
        "Nam Đàn", "Nậm Cắn", "Nhôn Mai",
    ]  # fmt: skip
    assert sorted_vietnamese(["ư", "u", "ơ", "ô", "o", "ê", "e", "â", "ă", "a", "b"]) == [
        "a", "ă", "â", "b", "e", "ê", "o", "ô", "ơ", "u", "ư",
    ]  # fmt: skip
    assert sorted_vietnamese(["Ăn", "Az", "Ân", "Ba"]) == ["Az", "Ăn", "Ân", "Ba"]


def test_tones_follow_the_level_tone_in_dictionary_order() -> None:
    # CLDR vi: level, huyền, hỏi, ngã, sắc, nặng — and only after the letters differ.
    assert sorted_vietnamese(["mạ", "má", "mã", "mả", "mà", "ma"]) == [
        "ma", "mà", "mả", "mã", "má", "mạ",
    ]  # fmt: skip
    assert sorted_vietnamese(["Mậu", "Mấu", "Mẫu", "Mâu", "Mạu", "Mau"]) == [
        "Mau", "Mạu", "Mâu", "Mẫu", "Mấu", "Mậu",
    ]  # fmt: skip
    assert vietnamese_key("mà") < vietnamese_key("man")  # the letters weigh before the tone


def test_precomposed_and_decomposed_spellings_sort_alike() -> None:
    composed, decomposed = "Nậm Cắn", "Na\u0323\u0302m Ca\u0306\u0301n"
    assert vietnamese_key(composed) == vietnamese_key(decomposed)
    assert vietnamese_key(None) == vietnamese_key("")


def test_the_communes_select_and_the_halls_form_list_communes_in_vietnamese_order(
    client: FlaskClient, make: Factory
) -> None:
    event = make.event(HOME, title="Hội nghị", channel="conference")
    names = [u.name for u in communes_of(event)]
    assert names == sorted_vietnamese(names)
    communes = [n.removeprefix("Xã ") for n in names if n.startswith("Xã ")]
    # "Xã Đông Hiếu" was last by code points; now after the D… communes, before the G… ones.
    after = communes[communes.index("Đông Hiếu") + 1 :]
    assert communes[-1] != "Đông Hiếu"
    assert after[0][0] in "ĐEG"
    assert all(not c.startswith("D") for c in after)
    assert communes.index("Nậm Cắn") < communes.index("Nhôn Mai")
    login(client, make.user("officer", HOME).email)
    page = client.get(f"/events/{event.id}/attendance/import").get_data(as_text=True)
    select = page.split('id="commune"')[1].split("</select>")[0]
    shown = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)
    assert shown == names
    halls = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    shown = ("Xã Diễn Châu", "Xã Đông Hiếu", "Xã Nậm Cắn", "Xã Nhôn Mai")
    positions = [halls.find(n) for n in shown]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_threads_asking_at_once_share_one_collator() -> None:
    """Loading the table takes a second of CPU: each burst's delta thread asking while the
    first load ran loaded its own copy (nine loads in one check-in bench run)."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from app import collation

    collation._collator.cache_clear()
    collation._built.cache_clear()
    start = Barrier(6)

    def ask(_n: int) -> int:
        start.wait()
        return id(collation._collator())

    with ThreadPoolExecutor(max_workers=6) as pool:
        built = set(pool.map(ask, range(6)))
    assert len(built) == 1
    assert vietnamese_key("Đông Hiếu") > vietnamese_key("Diễn Châu")


def test_the_served_app_builds_its_collator_before_any_request(tmp_path: Path) -> None:
    """``wsgi`` builds it before freezing what it built: a check-in storm's first board did."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
           "SECRET_KEY": "test", "LANTOA_DATA_KEY": base64.urlsafe_b64encode(b"k" * 32).decode(),
           "COLLECTOR_MODE": "off", "LANTOA_INSTANCE_PATH": str(tmp_path)}  # fmt: skip
    code = "import wsgi; from app import collation; print(collation._built.cache_info().currsize)"
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "1"
