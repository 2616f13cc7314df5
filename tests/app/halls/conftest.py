"""Events with halls, a logged-in organiser, and the forms' CSRF token."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import OrgKind, OrgUnit
from tests.conftest import HOME, Factory, csrf_token


def event_with_channel(make: Factory, channel: str = "online_conference", org_unit: str = HOME):  # type: ignore[no-untyped-def]
    start = datetime.now(UTC)
    return make.event(org_unit, title="Hội nghị điểm cầu", channel=channel, planned_start=start,
                      planned_end=start + timedelta(hours=3))  # fmt: skip


def commune_codes(province: str = HOME, n: int | None = None) -> list[str]:
    parent = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == province))
    codes = list(
        db.session.scalars(
            sa.select(OrgUnit.code)
            .where(OrgUnit.parent_id == parent, OrgUnit.kind == OrgKind.COMMUNE)
            .order_by(OrgUnit.code)
        )
    )
    return codes if n is None else codes[:n]


def page_token(client: FlaskClient, path: str) -> str:
    return csrf_token(client, path)


def form_key(html: str, point_id: int) -> str:
    """The idempotency key the page put in a hall's head-count form."""
    row = html[html.index(f'id="hall-{point_id}"') :]
    match = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', row)
    assert match, "no idempotency key in the hall's form"
    return match.group(1)


@pytest.fixture
def organiser(logged_in):  # type: ignore[no-untyped-def]
    return logged_in("officer")
