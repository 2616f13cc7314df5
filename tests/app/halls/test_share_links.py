"""Every working check-in link in one message for the communes' Zalo group, without JavaScript:
the read-only box on the bridge-points page and the .txt download, the same text."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.extensions import db
from app.halls import services
from app.halls.links import revoke
from app.models import AuditLog, Platform
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.conftest import Factory, login

# Tomorrow at 08:30 in Vinh (01:30 UTC): the links work; the message gives the time in Vietnam.
START = (datetime.now(UTC) + timedelta(days=1)).replace(hour=1, minute=30, second=0, microsecond=0)
IN_VINH = START.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
# Sent the day before: the communes are told when their links take reports (two hours before).
OPENS = (
    f"Các đường dẫn điểm danh nhận báo cáo từ 06:30 ngày {IN_VINH:%d/%m/%Y} (2 giờ trước giờ "
    "bắt đầu) cho đến khi hết hạn."
)


def url(event_id: int) -> str:
    return f"/events/{event_id}/bridge-points"


def box_text(page: str) -> str:
    match = re.search(r'<textarea id="share-text"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "no share box on the page"
    return html.unescape(match[1])


def three_halls(make: Factory):  # type: ignore[no-untyped-def]
    event = event_with_channel(make, start=START)
    event.title = "Hội nghị triển khai BHXH tự nguyện 2026"
    points = services.set_bridge_points(event, commune_codes(n=3), {})
    revoke(points[1], datetime.now(UTC))  # the second hall's link no longer works
    db.session.commit()
    return event, points


def test_the_page_shows_one_message_with_the_working_links(
    client, make: Factory, organiser
) -> None:
    event, (first, revoked, third) = three_halls(make)
    page = client.get(url(event.id)).get_data(as_text=True)
    lines = box_text(page).splitlines()
    assert lines == [
        "Hội nghị triển khai BHXH tự nguyện 2026",
        f"Thời gian: {IN_VINH.day:02d}/{IN_VINH.month:02d}/{IN_VINH.year} 08:30",
        OPENS,
        "Đường dẫn điểm danh của từng điểm cầu:",
        f"{first.org_unit.name}: http://localhost/checkin/{first.checkin_token}",
        f"{third.org_unit.name}: http://localhost/checkin/{third.checkin_token}",
    ]
    assert revoked.org_unit.name + ":" not in box_text(page)
    assert "Sao chép tất cả đường dẫn" in page  # the button, shown by the script
    assert f'href="/events/{event.id}/bridge-points?format=txt"' in page


def test_the_text_file_carries_the_same_message_and_is_logged(
    app, client, make: Factory, organiser
) -> None:
    app.config["PUBLIC_BASE_URL"] = "https://lantoa.bhxhnghean.vn"
    event, _points = three_halls(make)
    page = client.get(url(event.id)).get_data(as_text=True)
    response = client.get(f"{url(event.id)}?format=txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.mimetype_params.get("charset") == "utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".txt" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True) == box_text(page)  # a public address: no warning
    (entry,) = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "bridge_points.share")
    ).all()
    assert entry.detail["halls"] == 2


def test_an_event_long_over_has_no_working_link_to_send(client, make: Factory, organiser) -> None:
    event = event_with_channel(make, start=datetime(2024, 11, 20, 1, 0, tzinfo=UTC))
    services.set_bridge_points(event, commune_codes(n=2), {})  # added late: no links
    db.session.commit()
    page = client.get(url(event.id)).get_data(as_text=True)
    assert 'id="share-text"' not in page
    assert "Chưa có điểm cầu nào có đường dẫn điểm danh còn dùng được để gửi." in page


def test_viewers_cannot_download_the_links(client, make: Factory) -> None:
    event, _points = three_halls(make)
    login(client, make.user("viewer").email)
    assert client.get(f"{url(event.id)}?format=txt").status_code == 403


def test_the_text_file_of_loopback_links_is_the_message_alone(
    app, client, make: Factory, organiser
) -> None:
    """Links naming 127.0.0.1 or localhost open on no phone: the page warns the organiser above
    its box, but the file is forwarded to the communes as it is, so it carries the message alone,
    as the copied text does (the warning was once its first line)."""
    app.config["PUBLIC_BASE_URL"] = None
    event, (first, _revoked, _third) = three_halls(make)
    page = client.get(url(event.id)).get_data(as_text=True)  # the test client: localhost
    warning = re.search(r'id="local-only-share">(.*?)</p>', page, re.S)
    assert warning is not None  # the organiser is still told, on the page
    text = client.get(f"{url(event.id)}?format=txt").get_data(as_text=True)
    assert text == box_text(page)
    assert html.unescape(warning[1]).strip() not in text
    assert "localhost)" not in text
    assert "điện thoại không mở được" not in text
    lines = text.splitlines()
    assert lines[0] == event.title
    assert lines[4] == f"{first.org_unit.name}: http://localhost/checkin/{first.checkin_token}"


NO_MEETING = (
    "Tin nhắn này chưa có link họp: sự kiện chưa theo dõi cuộc họp Zoom, Microsoft Teams hay "
    "Google Meet nào, nên các điểm cầu chỉ nhận được đường dẫn điểm danh."
)


def test_a_conference_tracking_no_meeting_says_its_message_has_no_meeting_link(
    client, make: Factory, organiser
) -> None:
    """The message reads whole without a meeting (no empty "Link họp:" line), and the page tells
    the organiser, in Vietnamese, where to add the meeting's link so that it goes with it."""
    event, (first, _revoked, third) = three_halls(make)
    page = client.get(url(event.id)).get_data(as_text=True)
    lines = box_text(page).splitlines()
    assert lines[2:] == [
        OPENS,
        "Đường dẫn điểm danh của từng điểm cầu:",
        f"{first.org_unit.name}: http://localhost/checkin/{first.checkin_token}",
        f"{third.org_unit.name}: http://localhost/checkin/{third.checkin_token}",
    ]
    assert not any("link họp" in line.lower() for line in lines)
    said = re.search(r'<p class="flash warning" id="share-no-meeting">(.*?)</p>', page, re.S)
    assert said is not None
    words = html.unescape(re.sub(r"<[^>]+>", "", said[1]))
    assert words.startswith(NO_MEETING)
    assert "“Theo dõi bằng liên kết”" in words
    assert f'href="/events/{event.id}/links">Thêm link họp</a>' in said[1]
    assert client.get(f"/events/{event.id}/links").status_code == 200  # the organiser may
    # An in-person conference's halls join no meeting: nothing is missing, nothing said.
    in_person = event_with_channel(make, channel="conference", start=START)
    services.set_bridge_points(in_person, commune_codes(n=2), {})
    db.session.commit()
    page = client.get(url(in_person.id)).get_data(as_text=True)
    assert 'id="share-text"' in page
    assert 'id="share-no-meeting"' not in page
    assert "link họp" not in box_text(page).lower()


def test_the_message_carries_the_meeting_the_halls_join(
    app, client, make: Factory, organiser
) -> None:
    app.config["PUBLIC_BASE_URL"] = "https://lantoa.bhxhnghean.vn"
    event, (first, _revoked, _third) = three_halls(make)
    account = make.account(platform=Platform.ZOOM, name="Zoom của Nguyễn Văn An")
    make.target(event, account, kind="zoom_meeting", external_id="85012345678")
    page = client.get(url(event.id)).get_data(as_text=True)
    lines = box_text(page).splitlines()
    assert lines[2:6] == [
        "Link họp Zoom: https://zoom.us/j/85012345678",
        "ID cuộc họp: 850 1234 5678",
        OPENS,
        "Đường dẫn điểm danh của từng điểm cầu:",
    ]
    assert (
        lines[6]
        == f"{first.org_unit.name}: https://lantoa.bhxhnghean.vn/checkin/{first.checkin_token}"
    )
    assert 'id="share-no-meeting"' not in page
    assert "Nguyễn Văn An" not in box_text(page)  # nothing of the account reading the meeting
    assert client.get(f"{url(event.id)}?format=txt").get_data(as_text=True) == box_text(page)


def test_a_message_sent_once_the_halls_may_report_says_no_opening(
    client, make: Factory, organiser
) -> None:
    """Under way since 30 minutes: the links take reports already, so no hour to wait for."""
    started = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=30)
    event = event_with_channel(make, start=started)
    first, _second = services.set_bridge_points(event, commune_codes(n=2), {})
    db.session.commit()
    lines = box_text(client.get(url(event.id)).get_data(as_text=True)).splitlines()
    assert lines[2:4] == [
        "Đường dẫn điểm danh của từng điểm cầu:",
        f"{first.org_unit.name}: http://localhost/checkin/{first.checkin_token}",
    ]
