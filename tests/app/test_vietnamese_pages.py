"""Every page in Vietnamese shows no English message of the catalog, and no English validation text.

An admin of a seeded province-year (events of every channel, halls with head counts, people,
enrolments, a review queue) walks every GET route of the app that renders HTML, with its URL
parameters filled from the seeded objects, plus the answers a page gives to bad input: the report
filters and the check-in page's refusals (JSON as the phone's script reads it, and the form).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import links
from app.models import BridgePoint, Campaign, Event, OrgUnit, Person, PlatformAccount, User
from app.seed.province_year import Sizes, seed_province_year
from tests.app.vietnamese_text import english_in, post_forms, visible_text
from tests.conftest import Factory, login

SKIPPED = ("/api/", "/static/", "/checkin/sw.js", "/favicon.ico", "/login")
FILES = (".xlsx", ".csv", ".pdf", ".docx", ".js", ".json", ".ico")
BAD_REPORT_ARGS = [  # each with the label of the field the page names
    ("/reports/monthly?period=2026-13", "Tháng"),
    ("/reports/monthly?period=abc", "Tháng"),
    ("/reports/monthly.pdf?period=2026-13", "Tháng"),
    ("/reports/channels?from=2026-13-01", "Từ ngày"),
    ("/reports/channels?from=2026-12-01&to=2026-11-01", "Đến ngày"),
    ("/reports/channels?org_unit=zz", "Đơn vị"),
    ("/reports/channels?campaign_id=abc", "Chiến dịch"),
    ("/reports/channels?campaign_id=999999", "Chiến dịch"),
    ("/reports/channels?model=nope", "Cách ghi nhận"),
    ("/reports/channels?window=7x", "Khoảng ghi nhận (ngày)"),
    ("/reports/channels.xlsx?from=2026-13-01", "Từ ngày"),
    ("/reports/channels.csv?view=nope", "Bảng"),
]


@pytest.fixture
def province(app: Flask, make: Factory) -> dict[str, Any]:
    """A small province-year, its admin logged in, and one object of each kind a URL names."""
    seeded = seed_province_year(
        Sizes(communes=4, events=30, samples=400, comments=200, people=60, enrolments=30),
        seed=3,
        now=datetime(2026, 12, 6, 3, 0, tzinfo=UTC),  # events of late December planned
    )
    db.session.commit()
    code = seeded.province_code
    admin = make.user("admin", code)
    province_id = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == code))
    commune = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id == province_id)).first()
    start = datetime.now(UTC)
    today = make.event(code, title="Hội nghị trực tuyến hôm nay", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    hall = BridgePoint(event_id=today.id, org_unit_id=commune.id, expected_attendance=20)
    db.session.add(hall)
    db.session.flush()
    for point in db.session.scalars(sa.select(BridgePoint)):
        links.new_link(point)  # the seed's halls have none: a hall always has its link
    # What platforms answer is English and is kept as they said it, for the administrator.
    account = make.account(
        code, health="auth_expired", health_detail="Graph says the token is not valid"
    )
    make.target(today, account, last_error="facebook Graph says the token is not valid (code 190)",
                paused_reason="auth_expired")  # fmt: skip
    db.session.commit()
    return {"admin": admin, "code": code, "token": hall.checkin_token, "today": today,
            "commune": commune.name}  # fmt: skip


def _values(name: str, code: str) -> list[Any]:
    """The ids a URL parameter takes: one event of each channel, the first of anything else."""
    in_province = sa.select(OrgUnit.id).where(OrgUnit.path.like(f"%/{code}%"))
    if name == "event_id":
        ids = []
        for status in ("ended", "scheduled"):
            stmt = (sa.select(Event.channel, sa.func.min(Event.id))
                    .where(Event.org_unit_id.in_(in_province), Event.status == status)
                    .group_by(Event.channel))  # fmt: skip
            ids += [i for _channel, i in db.session.execute(stmt)]
        return ids
    model = {"campaign_id": Campaign, "person_id": Person, "account_id": PlatformAccount,
             "user_id": User}[name]  # fmt: skip
    unit = Person.commune_id if model is Person else model.org_unit_id
    first = db.session.scalar(sa.select(sa.func.min(model.id)).where(unit.in_(in_province)))
    assert first is not None, f"nothing seeded for {name}"
    return [first]


def page_urls(app: Flask, code: str, token: str) -> Iterator[str]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or rule.rule.startswith(SKIPPED):
            continue
        if rule.rule.endswith(FILES):
            continue
        names = sorted(rule.arguments)
        if not names:
            yield rule.rule
        elif names == ["token"]:
            yield rule.rule.replace("<token>", token)
        else:
            assert len(names) == 1, rule.rule
            for value in _values(names[0], code):
                yield rule.rule.replace(f"<int:{names[0]}>", str(value))


def query_pages(code: str) -> list[str]:
    """Pages that read their query string: each form of /connect/new, the filters, the wall."""
    from app.connect.kinds import KINDS

    today = _values("event_id", code)
    commune = db.session.scalar(sa.select(OrgUnit.code).where(OrgUnit.code.like(f"{code}0%")))
    campaign = _values("campaign_id", code)[0]
    return [
        *(f"/connect/new?kind={kind}" for kind in KINDS),
        "/events?channel=nope&status=nope&date_from=abc&date_to=32/13/2026&org_unit=zz&page=x",
        f"/events?org_unit={commune}&channel=livestream",
        *(f"/events/{event_id}/live?wall=1" for event_id in today),
        f"/reports/channels?org_unit={commune}",
        f"/reports/channels?campaign_id={campaign}&from=2026-01-01&to=2026-12-31&model=linear",
        f"/reports/monthly?period=2026-03&org_unit={commune}",
    ]


def _findings(url: str, html: str) -> list[str]:
    return [f"{url}: {finding}" for finding in english_in(visible_text(html))]


def test_every_page_speaks_vietnamese(app: Flask, client: FlaskClient, province) -> None:
    login(client, province["admin"].email)
    findings, seen = [], 0
    urls = [*page_urls(app, province["code"], province["token"]), *query_pages(province["code"])]
    for url in urls:
        # Followed: an in-person meeting's live address leads to its page, saying why.
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, (url, response.status_code)
        if response.mimetype == "text/html":
            seen += 1
            findings += _findings(url, response.get_data(as_text=True))
    assert seen > 30
    assert not findings, "\n".join(findings)


def test_a_report_refusing_its_filter_says_why_in_vietnamese(client: FlaskClient, province) -> None:
    login(client, province["admin"].email)
    findings = []
    for url, label in BAD_REPORT_ARGS:
        response = client.get(url)
        assert response.status_code == 422, url
        text = response.get_data(as_text=True)
        shown = visible_text(text) if response.mimetype == "text/html" else text
        assert f"{label}: " in shown, (url, shown)
        findings += [f"{url}: {f}" for f in english_in(shown)]
    assert not findings, "\n".join(findings)


def _attendee(**kw: str) -> dict[str, str]:
    return {"name": "Nguyễn Văn An", "birth": "1975", "phone": "0912345678", **kw}


# The bodies the phone's script could send, each refused (the key is added per request).
BAD_CHECKINS = [
    {},
    {"head_count": "abc"},
    {"head_count": 99_999_999},
    {"head_count": 10, "attendees": "not a list"},
    {"attendees": [_attendee(), _attendee(birth="năm ngoái")]},
    {"attendees": [_attendee(), _attendee(phone="12")]},
    {"attendees": [_attendee(name="")]},
    {"attendees": [_attendee(consent="maybe")]},
    {"head_count": 10, "sent_at": "yesterday"},
    {"head_count": 10, "clock": "noon"},
    {"attendees": [_attendee(consent="yes")], "consent_version": "v999"},
    {"head_count": 10, "attendees": [_attendee()] * 1001},
    {"head_count": 10, "key": "short"},
]


def test_the_checkin_page_refuses_in_vietnamese(client: FlaskClient, province) -> None:
    url = f"/checkin/{province['token']}"
    findings, shown_all = [], []
    for i, body in enumerate(BAD_CHECKINS):
        sent = {"idempotency_key": f"bad-report-{i:04d}", **body}
        if "key" in sent:
            sent["idempotency_key"] = sent.pop("key")
        response = client.post(url, json=sent)
        assert response.status_code == 422, (body, response.get_json())
        answer = response.get_json()
        reasons = [r for rs in (answer.get("errors") or {}).values() for r in rs]
        shown = "\n".join([answer["message"], *reasons])
        shown_all.append(shown)
        findings += [f"{body}: {f}" for f in english_in(shown)]
    assert any("10.000" in f for f in shown_all), "a limit is written 10.000, as on every page"
    response = client.post(url, data="[1, 2]", headers={"Content-Type": "application/json"})
    findings += [f"a list: {f}" for f in english_in(response.get_json()["message"])]
    # An answer of the framework itself (a method the page does not take), as the script reads it
    response = client.put(url, json={"head_count": 1}, headers={"Accept": "application/json"})
    assert response.status_code == 405
    findings += [f"PUT: {f}" for f in english_in(response.get_json()["message"])]
    form = {"idempotency_key": "bad-form-0001", "head_count": "", "name-0": "Lê Thị Hoa",
            "birth-0": "năm ngoái"}  # fmt: skip
    response = client.post(url, data=form)
    assert response.status_code == 422
    findings += [f"form: {f}" for f in _findings(url, response.get_data(as_text=True))]
    assert not findings, "\n".join(findings)


# Forms left out of the garbage pass: they log out, switch the language or remove things.
NOT_SUBMITTED = ("logout", "lang", "delete", "revoke", "erase", "renew", "check")


def _garbage(form: dict) -> dict[str, str]:
    """What a careless user types: every box "???", the first choice of every list."""
    data = {}
    for field in form["fields"]:
        if field["type"] in ("hidden", "submit", "button"):
            data[field["name"]] = field["value"]
        elif field["type"] == "select":
            data[field["name"]] = field["value"] or ""
        elif field["type"] not in ("checkbox", "radio", "file"):
            data[field["name"]] = "???"
    return data


def test_every_form_refuses_garbage_in_vietnamese(
    app: Flask, client: FlaskClient, province
) -> None:
    login(client, province["admin"].email)
    findings, sent = [], 0
    for url in page_urls(app, province["code"], province["token"]):
        html = client.get(url).get_data(as_text=True)
        for form in post_forms(html):
            action = form["action"] or url
            names = " ".join(f["name"] for f in form["fields"])
            if any(word in action or word in names for word in NOT_SUBMITTED):
                continue
            response = client.post(action, data=_garbage(form), follow_redirects=True)
            sent += 1
            if response.mimetype == "text/html":
                findings += _findings(f"POST {action}", response.get_data(as_text=True))
    assert sent > 10
    assert not findings, "\n".join(findings)


ATTENDEE_SHEET = (  # {commune}: the hall's
    "Họ và tên,Năm sinh,Số điện thoại,Thôn/xóm,Xã/Phường\n"
    "Nguyễn Văn An,năm ngoái,0912345678,Thôn 1,{commune}\n"
    ",1980,12,Thôn 2,{commune}\n"
    "Lê Thị Hoa,3000,0912345679,Thôn 3,{commune}\n"
)
ENROLMENT_SHEET = (
    "Họ và tên,Ngày sinh,Số điện thoại,Xã/Phường,Loại hình,Tham gia mới/Gia hạn,Ngày nộp tiền,"
    "Số tiền\n"
    "Nguyễn Văn An,năm ngoái,0912345678,Xã Mẫu 1,BHXH tự nguyện,Mới,31/02/2026,1.485.000\n"
    "Lê Thị Hoa,1980,12,Xã Nowhere,bảo hiểm gì đó,Có lẽ,01/01/2030,nhiều\n"
)


def _upload(client: FlaskClient, url: str, text: str) -> str:
    html = client.get(url).get_data(as_text=True)
    form = next(f for f in post_forms(html) if any(x["type"] == "file" for x in f["fields"]))
    data: dict[str, Any] = {f["name"]: f["value"] or "" for f in form["fields"]
                            if f["type"] in ("hidden", "select")}  # fmt: skip
    name = next(x["name"] for x in form["fields"] if x["type"] == "file")
    data[name] = (io.BytesIO(text.encode("utf-8")), "danh-sach.csv")
    response = client.post(form["action"] or url, data=data, content_type="multipart/form-data")
    return response.get_data(as_text=True)


def test_import_problems_are_named_in_vietnamese(client: FlaskClient, province) -> None:
    login(client, province["admin"].email)
    event, sheet = province["today"], ATTENDEE_SHEET.format(commune=province["commune"])
    pages = {
        "attendees": _upload(client, f"/events/{event.id}/attendance/import", sheet),
        "enrolments": _upload(client, "/follow-up/enrolments/import", ENROLMENT_SHEET),
        "hall sheet": _upload(client, f"/checkin/{province['token']}", sheet),
    }
    findings = []
    for name, html in pages.items():
        shown = visible_text(html)
        assert "năm ngoái" in shown, name  # the row's problem is on the page
        findings += [f"{name}: {f}" for f in english_in(shown)]
    assert not findings, "\n".join(findings)


def test_a_commune_officers_pages_speak_vietnamese(
    app: Flask, client: FlaskClient, make: Factory, province
) -> None:
    commune = db.session.scalar(
        sa.select(OrgUnit.code).where(OrgUnit.code.like(f"{province['code']}0%"))
    )
    login(client, make.user("officer", commune).email)
    findings = []
    for url in ("/", "/events", "/campaigns", "/reports/channels", "/reports/monthly",
                "/follow-up/enrolments/import", "/collection", "/account/password"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        findings += _findings(url, response.get_data(as_text=True))
    assert not findings, "\n".join(findings)
