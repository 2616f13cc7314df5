"""The live join's one read as a web process runs it: compiled once per shape, on the driver,
answering who holds the socket's credentials, their role now and whether the event is inside
their unit (committed rows, the pool's own connections)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import Role
from app.realtime import viewer
from tests.app.realtime.conftest import token_for
from tests.conftest import HOME, OTHER

pytestmark = [pytest.mark.committing, pytest.mark.postgres]


def test_a_token_is_its_active_users_and_nobody_elses(app: Flask, make: Any) -> None:
    officer = make.user("officer")
    event = make.event()
    token = token_for(officer)
    with app.test_request_context("/"):
        claim = viewer.of_token(token)
        assert claim == viewer.Claim(digest=viewer.digest(token))  # nothing read on connect
        assert viewer.of_token("not-a-token") is None
        assert viewer.allowed(claim, event.id) == viewer.Access(officer.id, Role.OFFICER, True)
        # From its first join the socket is held under that user and session token.
        assert viewer.kept() == viewer.Claim(officer.id, officer.session_token, claim.digest)
        assert viewer.allowed(viewer.of_token(token + "x"), event.id) is None
        officer.active = False
        db.session.commit()
        assert viewer.allowed(claim, event.id) is None


def test_a_join_is_checked_against_the_user_as_they_are_now(app: Flask, make: Any) -> None:
    officer = make.user("officer")
    mine, theirs = make.event(), make.event(org_unit=OTHER)
    db.session.commit()
    with app.test_request_context("/"):
        claim = viewer.of_token(token_for(officer))
        assert viewer.allowed(claim, mine.id) == viewer.Access(officer.id, Role.OFFICER, True)
        joined = viewer.kept()
        assert viewer.allowed(joined, theirs.id) == viewer.Access(officer.id, Role.OFFICER, False)
        assert viewer.allowed(joined, 10**9) == viewer.Access(officer.id, Role.OFFICER, False)
        officer.role = Role.VIEWER
        db.session.commit()
        assert viewer.allowed(joined, mine.id) == viewer.Access(officer.id, Role.VIEWER, True)
        stale = viewer.Claim(officer.id, "another session", joined.digest)
        assert viewer.allowed(stale, mine.id) is None
        officer.revoke_sessions()  # logged out everywhere: the token's sockets too
        db.session.commit()
        assert viewer.allowed(joined, mine.id) is None


def test_each_user_is_scoped_by_their_own_unit_read_in_the_same_statement(
    app: Flask, make: Any
) -> None:
    """One statement for every unit: the unit is the user's row's, never a kept one."""
    home, other = make.user("officer"), make.user("officer", org_unit=OTHER)
    event = make.event(org_unit=OTHER)
    db.session.commit()
    with app.test_request_context("/"):
        first = viewer.of_token(token_for(home))
        second = viewer.of_token(token_for(other))
        assert viewer.allowed(first, event.id) == viewer.Access(home.id, Role.OFFICER, False)
        assert viewer.allowed(second, event.id) == viewer.Access(other.id, Role.OFFICER, True)
        home.org_unit_id = other.org_unit_id  # moved: scoped from the new unit at once
        db.session.commit()
        assert viewer.allowed(first, event.id) == viewer.Access(home.id, Role.OFFICER, True)


def test_a_unit_is_not_inside_another_whose_code_begins_its_own(app: Flask, make: Any) -> None:
    """The path is compared as a prefix followed by "/": unit "4" holds "4/…", not "40"."""
    from app.models import OrgUnit

    province = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HOME)).one()
    assert province.path.endswith("/" + HOME)
    sibling = OrgUnit(code=HOME[:-1], name="Tỉnh khác", short_name="Tỉnh khác",
                      kind=province.kind, parent_id=province.parent_id,
                      path=province.path[:-1])  # "VN/4" beside "VN/40"  # fmt: skip
    db.session.add(sibling)
    db.session.commit()
    user = make.user("officer", org_unit=sibling.code)
    event = make.event()
    db.session.commit()
    with app.test_request_context("/"):
        claim = viewer.of_token(token_for(user))
        assert viewer.allowed(claim, event.id) == viewer.Access(user.id, Role.OFFICER, False)


def test_a_browser_session_is_its_active_user_with_that_session_token_only(
    app: Flask, make: Any
) -> None:
    """As the app's Flask-Login ``user_loader``: id and session token, the user still active."""
    officer = make.user("officer")
    event = make.event()
    db.session.commit()
    expected = viewer.Access(officer.id, Role.OFFICER, True)
    with app.test_request_context("/"):
        assert viewer.of_session(officer.get_id()) == viewer.Claim(
            officer.id, officer.session_token
        )
        assert viewer.allowed(viewer.of_session(officer.get_id()), event.id) == expected
        wrong = viewer.of_session(f"{officer.id}:another token")
        assert viewer.allowed(wrong, event.id) is None
        assert viewer.of_session(f"{officer.id}:") is None
        assert viewer.of_session(f"x{officer.id}:{officer.session_token}") is None
        assert viewer.of_session(None) is None
        stale = viewer.of_session(officer.get_id())
        officer.revoke_sessions()  # logged out everywhere
        db.session.commit()
        assert viewer.allowed(stale, event.id) is None
        assert viewer.allowed(viewer.of_session(officer.get_id()), event.id) == expected
        officer.active = False
        db.session.commit()
        assert viewer.allowed(viewer.of_session(officer.get_id()), event.id) is None


def test_an_officers_join_writes_its_audit_row_with_the_read_on_postgresql(
    app: Flask, make: Any
) -> None:
    """One statement reads the access and, when it grants the phones, writes the join's audit
    row, committed when it returns; elsewhere the join writes it after (``audited``)."""
    from app.models import AuditLog

    officer, member = make.user("officer"), make.user("viewer")
    mine, theirs = make.event(), make.event(org_unit=OTHER)
    db.session.commit()
    postgres = db.engine.dialect.name == "postgresql"

    def rows() -> list[tuple[int, str, str]]:
        with db.engine.connect() as other:  # another connection: committed, not just flushed
            query = sa.select(AuditLog.user_id, AuditLog.object_id, AuditLog.action)
            return [tuple(r) for r in other.execute(query.order_by(AuditLog.id))]

    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        officers = viewer.of_token(token_for(officer))
        access = viewer.allowed(officers, mine.id, audit=True)
        assert access == viewer.Access(officer.id, Role.OFFICER, True, audited=postgres)
        assert rows() == ([(officer.id, str(mine.id), "live.join")] if postgres else [])
        assert viewer.allowed(viewer.kept(), theirs.id, audit=True).audited is False
        assert viewer.allowed(viewer.kept(), mine.id).audited is False  # a resync
        members = viewer.of_token(token_for(member))
        assert viewer.allowed(members, mine.id, audit=True).audited is False
        assert len(rows()) == (1 if postgres else 0)
    if postgres:
        written = db.session.scalars(sa.select(AuditLog)).one()
        assert (written.object_type, written.detail, written.ip) == ("event", {}, "203.0.113.7")
