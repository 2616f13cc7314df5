"""An unusual head count is worded one way everywhere: ``app.halls.unusual``'s "(chưa chắc: dự
kiến 45)", never a wording of a page's own (the old "Số người bất thường, cần kiểm tra" of the home
screen and the halls board, beside the live page's "(chưa chắc: …)").

Read from the sources themselves, so a new page that marks a count its own way fails here: every
``unusual-count`` mark in a template shows ``unsure`` (``unsure_words``), the scripts take the words
the server hands them (``app.live.words``), and neither the code nor the Vietnamese catalogue
holds another wording.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from app.halls.unusual import UNSURE, UNSURE_NO_EXPECTED
from app.live.words import SCRIPT_WORDS

APP = Path(__file__).resolve().parents[3] / "app"
# The old wordings, in English (msgid) and in Vietnamese; any page's own wording of the mark.
OLD = re.compile(
    r"unusual head count|to be checked|bất thường, cần|người bất thường", re.IGNORECASE
)
# What a page says: the words of its gettext calls (a script's words come from the server).
SAID = re.compile(r"""_l?\(\s*(?:"([^"]*)"|'([^']*)')""")
MARK = re.compile(r'class="unusual-count">(.*?)</span>', re.DOTALL)


def sources(*suffixes: str) -> list[Path]:
    return [p for p in APP.rglob("*") if p.suffix in suffixes and "translations" not in p.parts]


def test_no_template_script_or_module_says_another_wording() -> None:
    kept = [
        f"{path.relative_to(APP)}: {said}"
        for path in sources(".html", ".py")
        for found in SAID.findall(path.read_text(encoding="utf-8"))
        for said in found
        if OLD.search(said)
    ]
    kept += [f"{p.relative_to(APP)}" for p in sources(".js") if OLD.search(p.read_text("utf-8"))]
    assert kept == []


def test_every_mark_in_a_template_says_unsure_words() -> None:
    marks = {
        f"{path.relative_to(APP)}": MARK.findall(path.read_text(encoding="utf-8"))
        for path in sources(".html")
    }
    marks = {path: found for path, found in marks.items() if found}
    # The home screen, the halls board, the bridge-points page, the commune's part, the reports.
    assert len(marks) >= 6, marks
    for path, found in marks.items():
        for words in found:
            assert re.fullmatch(r"\{\{ \w+\.unsure \}\}", words.strip()), (path, words)


def test_the_live_scripts_get_the_same_words() -> None:
    assert SCRIPT_WORDS["hall_unusual"] is UNSURE
    assert SCRIPT_WORDS["hall_unusual_no_expected"] is UNSURE_NO_EXPECTED


def test_the_vietnamese_catalogue_has_one_wording() -> None:
    path = APP / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalogue = read_po(po, locale="vi")
    entries = [(m.id, m.string) for m in catalogue if m.id and isinstance(m.id, str)]
    assert [e for e in entries if OLD.search(e[0]) or OLD.search(e[1] or "")] == []
    words = dict(entries)
    assert words["(unsure: __N__ expected)"] == "(chưa chắc: dự kiến __N__)"
    assert words["(unsure: no expected count)"] == "(chưa chắc: chưa có số dự kiến)"
