"""The communes a search finds come best first, without JavaScript (``?q=`` and "Tìm"): the whole
name typed (today's or a former one, accents or not, unit word or not), then names beginning with
what was typed, then word matches. "Thị trấn Quán Hành" (now part of Xã Nghi Lộc, 17827) used to
come after Xã Hạnh Lâm and Xã Nghĩa Hành, which only share the word "Hành"."""

from __future__ import annotations

import re

from app.halls.commune_search import EXACT, PREFIX, WORDS, key, rank
from tests.app.halls.conftest import event_with_channel
from tests.app.halls.test_halls_form import row
from tests.conftest import Factory

NGHI_LOC = "17827"  # Xã Nghi Lộc, formerly Thị trấn Quán Hành of Huyện Nghi Lộc among others


def shown_rows(html: str) -> list[tuple[str, str]]:
    """The form's rows not hidden, in the page's order: (code, name)."""
    rows = re.findall(r'<tr data-commune-row[^>]*?( hidden)?>\s*<td class="card-title"><input '
                      r'type="checkbox" name="commune" value="(\d+)".*?<label[^>]*>([^<]+)</label>',
                      html, re.S)  # fmt: skip
    return [(code, name) for hidden, code, name in rows if not hidden]


def test_the_whole_former_name_comes_first(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    for query in ("Thị trấn Quán Hành", "thi tran quan hanh", "Quán Hành", "TT Quán Hành"):
        page = client.get(f"/events/{event.id}/bridge-points", query_string={"q": query})
        html = page.get_data(as_text=True)
        shown = shown_rows(html)
        assert shown[0][0] == NGHI_LOC, (query, shown[:3])
        assert "(trước đây: Thị trấn Quán Hành, Huyện Nghi Lộc)" in row(html, NGHI_LOC)
        others = [name for _code, name in shown[1:]]
        assert {"Xã Hạnh Lâm", "Xã Nghĩa Hành"} <= set(others), (query, others)


def test_prefixes_before_words(client, make: Factory, organiser) -> None:
    event = event_with_channel(make)
    html = client.get(f"/events/{event.id}/bridge-points", query_string={"q": "nghĩa"})
    html = html.get_data(as_text=True)
    begins = []  # per shown row: its name or a former name shown begins with "Nghĩa"
    for code, name in shown_rows(html):
        formers = re.findall(
            r'<small class="former muted"[^>]*>\(trước đây: ([^),]+)', row(html, code)
        )
        names = [name, *formers]
        begins.append(any(re.match(r"(Xã|Phường|Thị trấn) Nghĩa", n) for n in names))
    assert True in begins
    assert False in begins
    assert begins == sorted(begins, reverse=True), begins
    # Within the tier, Vietnamese order: Xã Nghĩa Đàn before Xã Nghĩa Hành.
    names = [name for _code, name in shown_rows(html)]
    assert names.index("Xã Nghĩa Đàn") < names.index("Xã Nghĩa Hành")


def test_tiers() -> None:
    quan_hanh, with_district = key("Thị trấn Quán Hành"), key("Thị trấn Quán Hành, Huyện Nghi Lộc")
    assert rank("Thị trấn Quán Hành", quan_hanh, with_district) == EXACT
    assert rank("Xã Quán Hành", quan_hanh, with_district) == EXACT  # the wrong unit word
    assert rank("quan ha", quan_hanh, with_district) == PREFIX  # still typing
    assert rank("hanh nghi loc", quan_hanh, with_district) == WORDS
    assert rank("Thị trấn Quán Hành", key("Xã Hạnh Lâm")) == WORDS
    assert rank("Thị trấn Quán Hành", key("Xã Nghĩa Hành")) == WORDS
    assert rank("Hưng Bình", key("Phường Thành Vinh")) is None
    assert rank("", quan_hanh) is None
