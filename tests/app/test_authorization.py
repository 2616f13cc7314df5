"""Walks every route and API endpoint for each role, with data of the user's province and another's.

Nothing of another province may leak (not even by guessing ids), write routes refuse lower
roles, and forms without a CSRF token are refused. A route missing from ROUTES fails the walk,
so a new route cannot be added without deciding who may use it.

A commune's user walks every route too, with the province's conference their commune takes part
in (tests/app/events/provincial.py): its page, follow-up and live page open in part
(``PART_ROUTES``), every other route of it answers 404, and nothing of the other commune's
hall, contact or attendees shows anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import Role
from tests.app.events.provincial import SECRET as THEIR_SECRET
from tests.app.events.provincial import provincial, stop_clock
from tests.conftest import HOME, OTHER, Factory, csrf_token, login


@dataclass(frozen=True)
class Route:
    min_role: Role | None  # None: no log-in needed
    writes: bool = False
    obj: str | None = None  # which object the <id> in the URL names


ROUTES = {
    "static": Route(None),
    "favicon": Route(None),
    "auth.login": Route(None),
    "auth.logout": Route(None, writes=True),
    "auth.set_language": Route(None, writes=True),
    "api-docs.openapi_json": Route(None),
    "home.index": Route(Role.VIEWER),
    "events.event_list": Route(Role.VIEWER),
    "events.event_detail": Route(Role.VIEWER, obj="event"),
    "live.live_page": Route(Role.VIEWER, obj="event"),
    # Alerts (tests/app/alerts/test_pages.py walks ack by role and another province's 404).
    "alerts.alerts_page": Route(Role.VIEWER),
    "alerts.event_alerts": Route(Role.VIEWER, obj="event"),
    "alerts.save_rules": Route(Role.OFFICER, writes=True, obj="event"),
    "alerts.acknowledge": Route(Role.OFFICER, writes=True),
    "events.event_new": Route(Role.OFFICER, writes=True),
    "events.event_edit": Route(Role.OFFICER, writes=True, obj="event"),
    "events.event_links": Route(Role.OFFICER, writes=True, obj="event"),
    # The event page's and live page's buttons (tests/app/events/test_end_button.py posts them).
    "events.event_end": Route(Role.OFFICER, writes=True, obj="event"),
    "events.event_reopen": Route(Role.OFFICER, writes=True, obj="event"),
    "events.campaign_list": Route(Role.VIEWER),
    "status.overview": Route(Role.VIEWER),
    "followup.call_list_page": Route(Role.VIEWER, obj="event"),
    "followup.call_list_export": Route(Role.OFFICER, obj="event"),
    "followup.enrolment_import": Route(Role.OFFICER, writes=True),
    "followup.enrolment_template_download": Route(Role.OFFICER),
    "followup.review_queue": Route(Role.OFFICER, writes=True),
    "followup.my_calls_page": Route(Role.OFFICER),
    # Personal-data requests (tests/app/followup/test_person_requests.py walks them).
    "followup.person_requests": Route(Role.ADMIN, writes=True),
    "followup.person_request": Route(Role.ADMIN, writes=True, obj="person"),
    "followup.person_export": Route(Role.ADMIN, obj="person"),
    "events.campaign_new": Route(Role.MANAGER, writes=True),
    "events.campaign_edit": Route(Role.MANAGER, writes=True, obj="campaign"),
    "api.Events": Route(Role.VIEWER, writes=True),
    "api.EventItem": Route(Role.VIEWER, writes=True, obj="event"),
    "api.Campaigns": Route(Role.VIEWER, writes=True),
    "api.CampaignItem": Route(Role.VIEWER, writes=True, obj="campaign"),
    "api.OrgUnits": Route(Role.VIEWER),
    "api.Accounts": Route(Role.VIEWER, writes=True),
    "api.AccountItem": Route(Role.VIEWER, writes=True, obj="account"),
    "api.EventTargets": Route(Role.VIEWER, writes=True, obj="event"),
    "api.EventSummaryView": Route(Role.VIEWER, obj="event"),
    "api.BridgePoints": Route(Role.OFFICER, writes=True, obj="event"),
    "api.EventParticipants": Route(Role.OFFICER, obj="event"),
    "api.AssignParticipant": Route(Role.OFFICER, writes=True, obj="event"),
    "api.RenewLink": Route(Role.OFFICER, writes=True, obj="event"),
    "api.NotAHall": Route(Role.OFFICER, writes=True, obj="event"),
    "api.EventConversionView": Route(Role.VIEWER, obj="event"),
    "api.EventLeadsView": Route(Role.VIEWER, obj="event"),
    "api.PersonLeadView": Route(Role.OFFICER, writes=True, obj="event"),
    "api.CommentLeadView": Route(Role.OFFICER, writes=True, obj="event"),
    "api.PersonCallsView": Route(Role.OFFICER, writes=True, obj="event"),
    "api.CommentCallsView": Route(Role.OFFICER, writes=True, obj="event"),
    "api.LinksView": Route(Role.ADMIN),
    "api.PeopleLookup": Route(Role.ADMIN, writes=True),
    "api.PeopleLookupByAddress": Route(Role.ADMIN),
    "api.PersonItem": Route(Role.ADMIN, writes=True, obj="person"),
    "api.PersonConsent": Route(Role.ADMIN, writes=True, obj="person"),
    "imports.attendance_import": Route(Role.OFFICER, writes=True, obj="event"),
    "imports.attendee_import_template_download": Route(Role.OFFICER, obj="event"),
    # The blank attendee sheet to print: no data, hall officers fetch it without an account.
    "imports.attendee_template_download": Route(None),
    # The hall's check-in link: no account, the secret token is the credential
    # (tests/app/halls/test_checkin.py walks it).
    "checkin.page": Route(None),
    "checkin.service_worker": Route(None),
    "checkin.submit": Route(None, writes=True),
    # The hall's latest entries and their corrections: the same link is the credential
    # (tests/app/halls/test_checkin_entries.py: another hall's link reaches none of them).
    "checkin.entries_list": Route(None),
    "checkin.entry_correct": Route(None, writes=True),
    # The same, as the page's plain form without script (tests/app/halls/test_checkin_fix_nojs.py).
    "checkin.fix": Route(None, writes=True),
    # Organiser pages of a conference's halls (tests/app/halls/ walks their forms).
    "halls.bridge_points": Route(Role.OFFICER, writes=True, obj="event"),
    "halls.print_sheet": Route(Role.OFFICER, obj="event"),
    "halls.hall_entries": Route(Role.OFFICER, writes=True, obj="event"),
    "halls.unmatched": Route(Role.OFFICER, writes=True, obj="event"),
    # Managers' comparison: aggregates of the user's own subtree, no personal data
    # (tests/app/reports/ checks the figures and that another province never shows).
    "reports.channels": Route(Role.VIEWER),
    "reports.channels_xlsx": Route(Role.VIEWER),
    "reports.channels_csv_export": Route(Role.VIEWER),
    # A finished livestream's figures from its page (any other event: back to its page).
    "reports.event_livestream_xlsx": Route(Role.VIEWER, obj="event"),
    "reports.campaign_page": Route(Role.VIEWER, obj="campaign"),
    "reports.campaign_xlsx": Route(Role.VIEWER, obj="campaign"),
    "reports.monthly": Route(Role.VIEWER),
    "reports.monthly_pdf": Route(Role.VIEWER),
    "reports.monthly_docx": Route(Role.VIEWER),
    "reports.offline": Route(Role.OFFICER, writes=True),
    "reports.report_files": Route(Role.MANAGER),
    # Kết nối nền tảng: the unit's platform accounts (tests/app/connect/ walks check and delete).
    "connect.index": Route(Role.MANAGER),
    "connect.new": Route(Role.MANAGER, writes=True),
    "connect.edit": Route(Role.MANAGER, writes=True, obj="account"),
    "connect.check": Route(Role.MANAGER, writes=True, obj="account"),
    "connect.delete": Route(Role.MANAGER, writes=True, obj="account"),
    "api.ChannelsReport": Route(Role.VIEWER),
    # A commune's part in the events above: aggregates of its own halls, as on the page.
    "api.ParentHallsReport": Route(Role.VIEWER),
    "api.OfflineActivities": Route(Role.VIEWER, writes=True),
    # Accounts: administrators of the unit (tests/app/users/ walks the actions); everyone's own.
    "users.user_list": Route(Role.ADMIN),
    "users.user_new": Route(Role.ADMIN, writes=True),
    "users.user_edit": Route(Role.ADMIN, writes=True, obj="user"),
    "users.own_password": Route(Role.VIEWER, writes=True),
}
PAGE_FORMS = {
    "events.event_new": "/events/new",
    "events.event_edit": "/events/{event}/edit",
    "events.event_links": "/events/{event}/links",
    "events.campaign_new": "/campaigns/new",
    "events.campaign_edit": "/campaigns/{campaign}/edit",
    "halls.bridge_points": "/events/{event}/bridge-points",
    "halls.unmatched": "/events/{event}/participants/unmatched",
    "reports.offline": "/reports/offline",
    "connect.new": "/connect/new?kind=zoom",
    "connect.edit": "/connect/{account}/edit",
    "users.user_new": "/users/new",
    "users.user_edit": "/users/{user}",
    "users.own_password": "/account/password",
    "followup.person_requests": "/people",
    "followup.person_request": "/people/{person}",
}
SECRET = "Bí mật của Huế"
# The routes that show an event seen in part (app.scoping.get_event_view); all others are whole.
# Opened in part: the event's page, and its follow-up list, export and leads with the
# commune's own people alone (tests/app/followup/test_call_scope.py); the import of the
# commune's own hall's attendee sheet and its template (tests/app/attendance/test_hall_import.py);
# and its live page, to a commune with a hall there, without the other halls' contacts
# (app.scoping.get_watched_event, tests/app/live/test_watched.py).
PART_ROUTES = {"events.event_detail", "followup.call_list_page", "followup.call_list_export",
               "api.EventLeadsView", "imports.attendance_import",
               "imports.attendee_import_template_download", "live.live_page"}  # fmt: skip
# A campaign of a unit above the user's (app.scoping.get_campaign_view): its report opens in the
# commune's part and the API reads it, but no page or call changes it (403, not 404: it is seen;
# tests/app/events/test_campaigns_above.py).
CAMPAIGN_ABOVE_ROUTES = {"reports.campaign_page": 200, "reports.campaign_xlsx": 200,
                         "api.CampaignItem": 200,
                         "events.campaign_edit": 403}  # fmt: skip


@pytest.fixture
def world(app: Flask, make: Factory) -> dict[str, dict[str, int]]:
    """A campaign and an event in the home province, and in the other province."""
    out = {}
    for where, code in (("home", HOME), ("other", OTHER)):
        title = SECRET if where == "other" else "Sự kiện Nghệ An"
        campaign = make.campaign(code, name=title)
        event = make.event(code, title=title, campaign=campaign)
        account = make.account(code, name=title)
        user = make.user("officer", code, email=f"canbo.{code}@example.vn")
        user.display_name = title
        db.session.commit()
        person = _person_of(code, title)
        out[where] = {"event": event.id, "campaign": campaign.id, "account": account.id,
                      "participant": 987654, "person": person, "user": user.id,
                      "comment": 987655, "alert": 987656,
                      "bridge_point": 987657}  # fmt: skip
    return out


def _person_of(code: str, name: str) -> int:
    """A person living in a commune of the province ``code``."""
    from sqlalchemy import select

    from app.models import OrgUnit, Person

    province = db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).one()
    commune = db.session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id == province.id)).first()
    person = Person(full_name=name, commune_id=commune)
    db.session.add(person)
    db.session.commit()
    return person.id


def test_every_route_is_classified(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), "classify new routes in ROUTES"


def _url(app: Flask, endpoint: str, ids: dict[str, int]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    url = rule.rule
    for arg in rule.arguments:
        url = url.replace(f"<int:{arg}>", str(ids[arg.removesuffix("_id")]))
    return url


def test_anonymous_gets_nothing(app: Flask, client: FlaskClient, world) -> None:
    for endpoint, route in ROUTES.items():
        if route.min_role is None:
            continue
        url = _url(app, endpoint, world["home"])
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        if "GET" in rule.methods:
            response = client.get(url)
        elif "PATCH" in rule.methods:  # an API change: the token comes first
            response = client.patch(url, json={})
        else:  # a page's button: log-in first, the form's CSRF token cannot be had without it
            response = client.post(url, data={"csrf_token": csrf_token(client, "/login")})
        if url.startswith("/api/"):
            assert response.status_code == 401, url
            assert "message" in response.get_json()
        else:
            assert response.status_code == 302, url
            assert response.location.startswith("/login"), url


@pytest.mark.parametrize("role", list(Role))
def test_pages_for_each_role(
    app: Flask, client: FlaskClient, make: Factory, world, role: Role
) -> None:
    user = make.user(role.value, HOME)
    login(client, user.email)
    for endpoint, route in ROUTES.items():
        if route.min_role is None or endpoint.startswith("api"):
            continue
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        if "GET" not in rule.methods:  # buttons (check, delete): their own tests post them
            continue
        allowed = user.has_role(route.min_role)
        own = client.get(_url(app, endpoint, world["home"]), follow_redirects=True)
        assert own.status_code == (200 if allowed else 403), (endpoint, role)
        assert SECRET not in _body(own), (endpoint, role)
        if route.obj:
            other = client.get(_url(app, endpoint, world["other"]))
            assert other.status_code in ((404,) if allowed else (403, 404)), (endpoint, role)
            assert SECRET not in _body(other)


def _body(response) -> str:  # type: ignore[no-untyped-def]
    """What a person would read in the response: a workbook's cells, a PDF's bytes, a Word
    document's text, or text."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.data), read_only=True)
        cells = (c for ws in book for row in ws.iter_rows(values_only=True) for c in row)
        return "\n".join(str(c) for c in cells if c is not None)
    if response.mimetype == "application/pdf":
        return response.data.decode("latin-1")
    if response.mimetype.endswith("wordprocessingml.document"):
        import io

        from docx import Document

        document = Document(io.BytesIO(response.data))
        cells = (c.text for t in document.tables for row in t.rows for c in row.cells)
        return "\n".join([*(p.text for p in document.paragraphs), *cells])
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", list(Role))
def test_form_posts_for_each_role(
    app: Flask, client: FlaskClient, make: Factory, world, role: Role
) -> None:
    user = make.user(role.value, HOME)
    login(client, user.email)
    token = csrf_token(client, "/events")
    for endpoint, path in PAGE_FORMS.items():
        route = ROUTES[endpoint]
        # Without a CSRF token nothing is accepted, whatever the role.
        bare = client.post(path.format(**world["home"]), data={"title": "x"})
        assert bare.status_code in (400, 403), endpoint
        allowed = user.has_role(route.min_role)
        invalid = {"csrf_token": token, "title": "", "name": ""}  # a required field left empty
        posted = client.post(path.format(**world["home"]), data=invalid)
        assert posted.status_code == (422 if allowed else 403), (endpoint, role)
        if route.obj:
            other = client.post(path.format(**world["other"]), data={"csrf_token": token})
            assert SECRET not in other.get_data(as_text=True)
            assert other.status_code in ((404,) if allowed else (403, 404)), (endpoint, role)
    db.session.expire_all()
    from app.models import Campaign, Event, User

    assert db.session.get(Event, world["other"]["event"]).title == SECRET
    assert db.session.get(Campaign, world["other"]["campaign"]).name == SECRET
    assert db.session.get(User, world["other"]["user"]).display_name == SECRET


@pytest.mark.parametrize("role", list(Role))
def test_api_for_each_role(
    app: Flask, client: FlaskClient, make: Factory, world, role: Role
) -> None:
    user = make.user(role.value, HOME)
    token = issue_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    for kind in ("events", "campaigns"):
        listing = client.get(f"/api/v1/{kind}?per_page=500", headers=headers)
        assert listing.status_code == 200
        ids = {item["id"] for item in listing.get_json()["items"]}
        singular = kind[:-1]
        assert world["home"][singular] in ids
        assert world["other"][singular] not in ids
        assert SECRET not in listing.get_data(as_text=True)
        other_id = world["other"][singular]
        assert client.get(f"/api/v1/{kind}/{other_id}", headers=headers).status_code == 404
        patch = client.patch(
            f"/api/v1/{kind}/{other_id}", json={"description": "x"}, headers=headers
        )
        assert patch.status_code == 404
    accounts = client.get("/api/v1/accounts", headers=headers)
    assert [a["id"] for a in accounts.get_json()] == [world["home"]["account"]]
    assert "token-" not in accounts.get_data(as_text=True)  # credentials never leave
    other_account = world["other"]["account"]
    assert client.get(f"/api/v1/accounts/{other_account}", headers=headers).status_code == 404
    reauth = {"credentials": {"access_token": "x"}}
    patched = client.patch(f"/api/v1/accounts/{other_account}", json=reauth, headers=headers)
    assert patched.status_code == 404
    other_event = world["other"]["event"]
    for tail in ("targets", "summary", "bridge-points", "participants", "conversion", "leads"):
        response = client.get(f"/api/v1/events/{other_event}/{tail}", headers=headers)
        assert response.status_code == 404
    for lead in ("leads/1", "comments/1/lead"):
        marked = client.patch(f"/api/v1/events/{other_event}/{lead}", json={"status": "called"},
                              headers=headers)  # fmt: skip
        assert marked.status_code == 404
    for calls in ("leads/1/calls", "comments/1/calls"):
        called = client.post(f"/api/v1/events/{other_event}/{calls}",
                             json={"idempotency_key": "k" * 32, "status": "called"},
                             headers=headers)  # fmt: skip
        assert called.status_code == 404
    assign = client.post(f"/api/v1/events/{other_event}/participants/1/assign",
                         json={"bridge_point_id": 1}, headers=headers)  # fmt: skip
    assert assign.status_code == 404
    target = {"platform": "facebook_live", "external_id": "1", "account_id": other_account}
    posted = client.post(f"/api/v1/events/{other_event}/targets", json=target, headers=headers)
    assert posted.status_code == 404
    own_event = world["home"]["event"]
    posted = client.post(f"/api/v1/events/{own_event}/targets", json=target, headers=headers)
    assert posted.status_code == (422 if user.has_role(Role.OFFICER) else 403)
    events = client.get(f"/api/v1/events?org_unit={OTHER}", headers=headers)
    assert events.status_code == 422
    assert client.get(f"/api/v1/org-units?parent={OTHER}", headers=headers).get_json() == []

    new_event = {"title": "Mới", "channel": "livestream", "org_unit": HOME}
    created = client.post("/api/v1/events", json=new_event, headers=headers)
    assert created.status_code == (201 if user.has_role(Role.OFFICER) else 403)
    elsewhere = client.post(
        "/api/v1/events", json={**new_event, "org_unit": OTHER}, headers=headers
    )
    assert elsewhere.status_code == (422 if user.has_role(Role.OFFICER) else 403)
    new_campaign = {
        "name": "Mới",
        "org_unit": HOME,
        "scheme": "other",
        "starts_on": "2026-01-01",
        "ends_on": "2026-02-01",
    }
    created = client.post("/api/v1/campaigns", json=new_campaign, headers=headers)
    assert created.status_code == (201 if user.has_role(Role.MANAGER) else 403)


def test_commune_user_sees_only_their_commune(
    app: Flask, client: FlaskClient, make: Factory, unit
) -> None:
    from sqlalchemy import select

    from app.models import OrgUnit

    stmt = select(OrgUnit.code).where(OrgUnit.parent_id == unit(HOME).id).order_by(OrgUnit.code)
    mine, theirs = db.session.scalars(stmt.limit(2)).all()
    province_event = make.event(HOME, title="Cấp tỉnh")
    my_event = make.event(mine, title="Xã của tôi")
    their_event = make.event(theirs, title="Xã bên cạnh")
    user = make.user("officer", mine)
    login(client, user.email)
    assert client.get(f"/events/{my_event.id}").status_code == 200
    assert client.get(f"/events/{their_event.id}").status_code == 404
    assert client.get(f"/events/{province_event.id}").status_code == 404
    listing = client.get("/events").get_data(as_text=True)
    assert "Xã của tôi" in listing
    assert "Xã bên cạnh" not in listing
    assert "Cấp tỉnh" not in listing


@pytest.mark.parametrize("role", list(Role))
def test_commune_user_walk_sees_only_their_part(
    app: Flask, client: FlaskClient, make: Factory, role: Role, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch)
    world = provincial(make)
    ids = {"event": world.conference, "campaign": world.campaign, "participant": 987654,
           "account": make.account(HOME).id, "person": world.their_person,
           "alert": 987656, "bridge_point": 987657}  # fmt: skip
    user = make.user(role.value, world.mine)
    ids["user"] = make.user("viewer", HOME).id  # a user of the province: not theirs to see
    login(client, user.email)
    token = issue_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    hidden = (THEIR_SECRET, world.their_token, f'data-hall="{world.theirs}"')
    for endpoint, route in ROUTES.items():
        if route.min_role is None:
            continue
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        if "GET" not in rule.methods:
            continue
        allowed = user.has_role(route.min_role)
        api = endpoint.startswith("api")
        response = client.get(_url(app, endpoint, ids), headers=headers if api else {},
                              follow_redirects=not api)  # fmt: skip
        if endpoint in PART_ROUTES:
            expected: tuple[int, ...] = (200,) if allowed else (403,)
        elif endpoint in CAMPAIGN_ABOVE_ROUTES:
            expected = (CAMPAIGN_ABOVE_ROUTES[endpoint],) if allowed else (403,)
        elif route.obj:
            expected = (404,) if allowed else (403, 404)
        else:
            expected = (200, 405) if api and allowed else (200,) if allowed else (403,)
        assert response.status_code in expected, (endpoint, role, response.status_code)
        body = _body(response)
        for secret in hidden:
            assert secret not in body, (endpoint, role, secret)
    page = client.get(f"/events/{world.conference}").get_data(as_text=True)
    assert f'data-hall="{world.mine}"' in page
    assert client.get(f"/events/{world.not_mine}").status_code == 404


def test_session_cookie_does_not_bypass_csrf_on_api_writes(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    user = make.user("admin", HOME)
    login(client, user.email)
    body = {"title": "x", "channel": "post", "org_unit": HOME}
    assert client.post("/api/v1/events", json=body).status_code == 400
    token = csrf_token(client, "/events")
    assert (
        client.post("/api/v1/events", json=body, headers={"X-CSRFToken": token}).status_code == 201
    )
