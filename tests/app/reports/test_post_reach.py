"""A commune's list of activities shows a post's reach (the people it was shown to) beside its
views, which stay the reach the report counts; read alike from the sources and the rollups. The
files and the API carry it too: per activity, and per channel as the posts' reach added up."""

from __future__ import annotations

import csv
import io
import re

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.auth.tokens import issue_token
from app.collection.steps import refresh_rollups
from app.collection.writer import write_batch
from app.extensions import db
from app.models import Target
from collectors.base import Batch, Sample
from collectors.facebook.metrics import POST_REACH
from dashboards.theme import WORDS
from tests.app.reports.conftest import OCTOBER, vn
from tests.conftest import HOME, login


def _row(html: str, event_id: int) -> str:
    # the row's cells carry their phone labels (data-label): match the cells by their tags only
    cell = r"<td[^>]*>"
    found = re.search(
        rf'<tr>\s*{cell}[^<]*</td>{cell}[^<]*</td>\s*{cell}<a href="/events/{event_id}">(.*?)</tr>',
        html,
        re.S,
    )
    assert found, html
    return found.group(1)


def test_a_post_shows_the_people_it_reached_beside_its_views(client, make, month) -> None:
    post = month.events["P1"]
    target = db.session.query(Target).filter_by(event_id=post.id).one()
    later = vn(post.planned_start.date(), 20)
    # Through the runner's writer, which keeps the rollup row in its transaction.
    batch = Batch(samples=(Sample(sampled_at=later, extra={POST_REACH: 321}),))
    refresh_rollups(write_batch(target, batch, later))
    db.session.commit()
    login(client, make.user("viewer", HOME).email)
    page = client.get(
        "/reports/channels", query_string={**OCTOBER, "org_unit": month.commune_a.code}
    )
    row = _row(page.get_data(as_text=True), post.id)
    assert re.search(
        r"<td class=\"num\"[^>]*>400<small class=\"post-reach\"", row
    )  # the views, as reach
    assert ">321 người tiếp cận</small>" in row
    livestream = _row(page.get_data(as_text=True), month.events["L2"].id)
    assert "người tiếp cận" not in livestream


def test_a_post_with_no_reach_read_shows_none(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    page = client.get(
        "/reports/channels", query_string={**OCTOBER, "org_unit": month.commune_a.code}
    )
    row = _row(page.get_data(as_text=True), month.events["P1"].id)
    assert "người tiếp cận" not in row


REACHED = 1_700  # written 1.700 in the files


def _reached(month) -> None:
    """The runner brings P1's reach, as it does: through the writer, rollup row included."""
    post = month.events["P1"]
    target = db.session.query(Target).filter_by(event_id=post.id).one()
    later = vn(post.planned_start.date(), 20)
    batch = Batch(samples=(Sample(sampled_at=later, extra={POST_REACH: REACHED}),))
    refresh_rollups(write_batch(target, batch, later))
    db.session.commit()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_files_carry_a_posts_reach_beside_its_views(client, make, month) -> None:
    """Excel and CSV: a column beside the reach, per channel the posts' reach added up (named
    so), per activity the post's people reached, empty for the other channels; the PDF, the Word
    file and the printed month: a line under the table by channel, never in its totals."""
    _reached(month)
    login(client, make.user("viewer", HOME).email)
    book = load_workbook(
        io.BytesIO(client.get("/reports/channels.xlsx", query_string=OCTOBER).data)
    )
    sheet = book["Theo kênh"]
    assert [sheet.cell(3, c).value for c in (3, 4, 5)] == [
        "Tiếp cận", "Tiếp cận tính theo", "Tổng lượt tiếp cận của các bài đăng"
    ]  # fmt: skip
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=4)}
    assert rows[WORDS["channel.post"]][4].value == REACHED
    assert rows[WORDS["channel.post"]][4].number_format == "#,##0"
    assert rows[WORDS["channel.post"]][2].value == 400  # the views stay the reach
    assert rows[WORDS["channel.livestream"]][4].value is None
    events = book["Theo hoạt động"]
    headers = [c.value for c in next(events.iter_rows(min_row=3, max_row=3))]
    column = headers.index("Số người tiếp cận")
    assert headers[column - 2 : column] == ["Tiếp cận", "Tiếp cận tính theo"]
    by_title = {r[2]: r for r in events.iter_rows(min_row=4, values_only=True)}
    assert by_title["Sự kiện L2"][column] is None
    assert [r[column] for r in by_title.values() if r[1] == WORDS["channel.post"]] == [REACHED]

    text = client.get("/reports/channels.csv", query_string=OCTOBER).get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert lines[0][4] == "Tổng lượt tiếp cận của các bài đăng"
    body = {r[0]: r for r in lines[1:]}
    assert body[WORDS["channel.post"]][4] == "1700"  # for Excel: no thousands separator
    assert body[WORDS["channel.livestream"]][4] == ""

    line = (
        "Bài đăng: tổng lượt tiếp cận của các bài đăng 1.700 (cộng số người tiếp cận của từng bài"
    )
    month_args = {"period": "2026-10", "org_unit": HOME}
    pdf = _flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get("/reports/monthly.pdf", query_string=month_args).data)).pages))  # fmt: skip
    assert line in pdf
    assert "Tổng lượt tiếp cận" not in pdf  # no column of it on the paper
    document = Document(
        io.BytesIO(client.get("/reports/monthly.docx", query_string=month_args).data)
    )
    assert any(p.text.startswith(line) for p in document.paragraphs)
    assert "Tổng lượt tiếp cận của các bài đăng" not in [
        c.text for c in document.tables[1].rows[0].cells
    ]
    page = client.get("/reports/monthly", query_string=month_args).get_data(as_text=True)
    assert line in _flat(re.search(r'id="post-reach">(.*?)</p>', page, re.S).group(1))


SUM_HEADER = "Tổng lượt tiếp cận của các bài đăng"  # a sum of posts' reach, not people reached


def test_by_month_and_by_commune_carry_the_posts_reach_added_up(client, make, month) -> None:
    """The tables by month and by commune have the posts' reach added up as the table by
    channel has it: beside the views in the files, in the reach cell on the page (same words);
    only on the posts' rows, and never in the all-channels line."""
    _reached(month)
    login(client, make.user("viewer", HOME).email)
    book = load_workbook(
        io.BytesIO(client.get("/reports/channels.xlsx", query_string=OCTOBER).data)
    )
    post, commune = WORDS["channel.post"], month.commune_a.name
    for name, view, key in (("Theo tháng", "month", 0), ("Theo xã", "commune", 1)):
        sheet = book[name]
        headers = [c.value for c in sheet[3]]
        column = headers.index(SUM_HEADER)
        assert headers[column - 2 : column] == ["Tiếp cận", "Tiếp cận tính theo"], name
        assert "Số người tiếp cận" not in headers  # a channel's figure is no people count
        rows = [r for r in sheet.iter_rows(min_row=4) if r[0].value is not None]
        posts = [r for r in rows if r[key + 1].value == post]
        assert [r[column].value for r in posts] == [REACHED], name
        assert posts[0][column].number_format == "#,##0"
        assert all(r[column].value is None for r in rows if r[key + 1].value != post), name
        if view == "commune":
            assert posts[0][1].value == commune
        text = client.get("/reports/channels.csv", query_string={**OCTOBER, "view": view})
        lines = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig")), delimiter=";"))
        column = lines[0].index(SUM_HEADER)
        assert [r[column] for r in lines[1:] if r[key + 1] == post] == ["1700"], view
        assert all(r[column] == "" for r in lines[1:] if r[key + 1] != post), view
    total = [r for r in book["Theo kênh"].iter_rows(min_row=4, values_only=True)][-1]
    headers = [c.value for c in book["Theo kênh"][3]]
    assert total[0] == "Tất cả các kênh"
    assert total[headers.index(SUM_HEADER)] is None

    html = client.get("/reports/channels", query_string=OCTOBER).get_data(as_text=True)
    communes = re.search(r'<table class="list phone-cards" id="communes">(.*?)</table>', html, re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", communes.group(1), re.S)
    with_reach = [r for r in rows if 'class="post-reach"' in r]
    assert len(with_reach) == 1
    assert commune in with_reach[0]
    assert f">{WORDS['channel.post']}</td>" in with_reach[0]
    assert f">{SUM_HEADER}: 1.700</small>" in with_reach[0]
    assert f'data-value="{REACHED}"' in with_reach[0]
    shown = _flat(re.sub(r"<[^>]+>", " ", communes.group(1)))  # the words, not the hint
    assert "người tiếp cận" not in shown.replace(SUM_HEADER, "")
    footer = re.search(r'<tr data-channel="total">(.*?)</tr>', html, re.S).group(1)
    assert "post-reach" not in footer
    assert "1.700" not in footer


def test_no_reach_read_says_nothing_of_it(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    month_args = {"period": "2026-10", "org_unit": HOME}
    page = client.get("/reports/monthly", query_string=month_args).get_data(as_text=True)
    assert 'id="post-reach"' not in page
    document = Document(
        io.BytesIO(client.get("/reports/monthly.docx", query_string=month_args).data)
    )
    assert not any("lượt tiếp cận" in p.text for p in document.paragraphs)


def _get(client, path: str, user, **params):
    token = issue_token(user)
    db.session.commit()
    response = client.get(path, query_string=params, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_api_gives_a_posts_reach_per_channel_and_per_event(client, make, month) -> None:
    user = make.user("viewer", HOME)
    rows = {r["channel"]: r for r in _get(client, "/api/v1/reports/channels", user, **OCTOBER)}
    assert rows["post"]["post_reach"] is None  # not read yet: null, never 0
    _reached(month)
    rows = {r["channel"]: r for r in _get(client, "/api/v1/reports/channels", user, **OCTOBER)}
    assert rows["post"]["post_reach"] == REACHED
    assert rows["post"]["reach"] == 400  # the views, apart
    assert all(r["post_reach"] is None for c, r in rows.items() if c != "post")
    post, live = month.events["P1"].id, month.events["L2"].id
    listed = _get(client, "/api/v1/events", user, per_page=500)["items"]
    reach = {e["id"]: e["post_reach"] for e in listed}
    assert (reach[post], reach[live]) == (REACHED, None)
    assert _get(client, f"/api/v1/events/{post}", user)["post_reach"] == REACHED
    assert _get(client, f"/api/v1/events/{post}/summary", user)["reach"] == REACHED
