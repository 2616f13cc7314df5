"""The live handlers' two reads as a web process runs them: compiled once, on the driver, with the
same answers as the statements SQLAlchemy builds (committed rows, the pool's own connections)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.models import Role
from app.realtime import viewer
from tests.app.realtime.conftest import token_for
from tests.conftest import OTHER

pytestmark = [pytest.mark.committing, pytest.mark.postgres]


def test_a_token_names_its_active_user_and_unit_and_nothing_else(app: Flask, make: Any) -> None:
    officer = make.user("officer")
    token = token_for(officer)
    with app.test_request_context("/"):
        who = viewer.of_token(token)
        again = viewer.of_token(token)  # the statement as kept
        unit = viewer.Unit(officer.org_unit.id, officer.org_unit.path)
        assert who == again == viewer.Viewer(officer.id, officer.session_token, unit)
        assert viewer.of_token(token + "x") is None
        officer.active = False
        db.session.commit()
        assert viewer.of_token(token) is None


def test_a_join_is_checked_against_the_user_as_they_are_now(app: Flask, make: Any) -> None:
    officer = make.user("officer")
    mine, theirs = make.event(), make.event(org_unit=OTHER)
    db.session.commit()
    with app.test_request_context("/"):
        who = viewer.of_token(token_for(officer))
        assert who is not None
        assert viewer.allowed(who, mine.id) == viewer.Access(officer.id, Role.OFFICER, True)
        assert viewer.allowed(who, theirs.id) == viewer.Access(officer.id, Role.OFFICER, False)
        assert viewer.allowed(who, 10**9) == viewer.Access(officer.id, Role.OFFICER, False)
        officer.role = Role.VIEWER
        db.session.commit()
        assert viewer.allowed(who, mine.id) == viewer.Access(officer.id, Role.VIEWER, True)
        stale = viewer.Viewer(who.user_id, "another session", who.unit)
        assert viewer.allowed(stale, mine.id) is None
        officer.revoke_sessions()
        db.session.commit()
        assert viewer.allowed(who, mine.id) is None


def test_another_unit_is_read_with_its_own_path(app: Flask, make: Any) -> None:
    """Each unit's statement holds that unit's subtree: one must not answer for another."""
    home, other = make.user("officer"), make.user("officer", org_unit=OTHER)
    event = make.event(org_unit=OTHER)
    db.session.commit()
    with app.test_request_context("/"):
        first = viewer.of_token(token_for(home))
        second = viewer.of_token(token_for(other))
        assert first is not None
        assert second is not None
        assert viewer.allowed(first, event.id) == viewer.Access(home.id, Role.OFFICER, False)
        assert viewer.allowed(second, event.id) == viewer.Access(other.id, Role.OFFICER, True)


def test_a_browser_session_names_its_active_user_with_that_session_token_only(
    app: Flask, make: Any
) -> None:
    """As the app's Flask-Login ``user_loader``: id and session token, the user still active."""
    officer = make.user("officer")
    db.session.commit()
    with app.test_request_context("/"):
        unit = viewer.Unit(officer.org_unit.id, officer.org_unit.path)
        expected = viewer.Viewer(officer.id, officer.session_token, unit)
        assert viewer.of_session(officer.get_id()) == expected
        assert viewer.of_session(f"{officer.id}:another token") is None
        assert viewer.of_session(f"{officer.id}:") is None
        assert viewer.of_session(f"x{officer.id}:{officer.session_token}") is None
        assert viewer.of_session(None) is None
        stale = officer.get_id()
        officer.revoke_sessions()  # logged out everywhere
        db.session.commit()
        assert viewer.of_session(stale) is None
        assert viewer.of_session(officer.get_id()) is not None
        officer.active = False
        db.session.commit()
        assert viewer.of_session(officer.get_id()) is None
