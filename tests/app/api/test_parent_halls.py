"""/api/v1/reports/channels/parent-halls: a commune's part in the events of the units above it,
as its channels page shows it, beside ``/reports/channels`` and never inside its figures.

The world is tests/app/reports/test_parent_part.py's: my hall at the province's conference (38 of
45 expected, 3 identified, 1 enrolled after) and at the country's (no head count, 5 expected).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import OrgKind, OrgUnit, User
from tests.app.reports.test_parent_part import (
    DAY,
    World,
    _period,
    world,  # noqa: F401 - fixture
)
from tests.conftest import HOME, OTHER, Factory

pytestmark = pytest.mark.postgres  # the halls' reads are the reports' SQL
URL = "/api/v1/reports/channels/parent-halls"


def _get(client: FlaskClient, user: User, url: str = URL, **params: str):  # type: ignore[no-untyped-def]
    token = issue_token(user)
    db.session.commit()
    return client.get(url, query_string={**_period(), **params},
                      headers={"Authorization": f"Bearer {token}"})  # fmt: skip


def test_a_commune_reads_its_halls(
    client: FlaskClient,
    world: World,  # noqa: F811 - fixture
    make: Factory,
) -> None:
    officer = make.user("officer", world.mine.code)
    response = _get(client, officer)
    assert response.status_code == 200, response.get_json()
    conference, national = response.get_json()
    assert conference == {
        "event_id": world.conference, "title": "Hội nghị trực tuyến cấp tỉnh",
        "day": DAY.isoformat(), "channel": "online_conference",
        "organiser": world.mine.parent.name, "head_count": 38, "expected": 45, "identified": 3,
        "enrolled": 1, "can_open": True, "held": True,
    }  # fmt: skip
    assert national["event_id"] == world.national
    assert national["day"] == (DAY + timedelta(days=2)).isoformat()
    assert (national["head_count"], national["expected"], national["identified"]) == (None, 5, 0)
    # Never added: the commune's own figures stay those of its own events, none.
    figures = _get(client, officer, "/api/v1/reports/channels").get_json()
    assert sum(row["events"] for row in figures) == 0
    assert sum(row["identified"] or 0 for row in figures) == 0


def test_a_province_reads_a_communes_halls_and_has_none_itself(
    client: FlaskClient,
    world: World,  # noqa: F811 - fixture
    make: Factory,
) -> None:
    manager = make.user("manager", HOME)
    rows = _get(client, manager, org_unit=world.mine.code).get_json()
    assert [r["event_id"] for r in rows] == [world.conference, world.national]
    assert [r["can_open"] for r in rows] == [True, False]  # the country's is not the province's
    own = _get(client, manager)
    assert own.status_code == 200
    assert own.get_json() == []  # a province has no halls


def test_errors_are_json_with_a_message(
    client: FlaskClient,
    world: World,  # noqa: F811 - fixture
    make: Factory,
) -> None:
    officer = make.user("officer", world.mine.code)
    bad = _get(client, officer, **{"from": "x"})
    assert bad.status_code == 422
    assert bad.get_json()["message"]
    assert "from" in bad.get_json()["errors"]["query"]
    # Another commune, or a commune of another province: unknown, as a missing one.
    other = db.session.scalars(
        sa.select(OrgUnit.code).where(OrgUnit.kind == OrgKind.COMMUNE,
                                      OrgUnit.parent.has(OrgUnit.code == OTHER))
    ).first()  # fmt: skip
    assert other is not None
    for code in (world.theirs.code, other):
        refused = _get(client, officer, org_unit=code)
        assert refused.status_code == 422, code
        assert "org_unit" in refused.get_json()["errors"]["query"]
    anonymous = client.get(URL)
    assert anonymous.status_code == 401
    assert anonymous.get_json()["message"]
