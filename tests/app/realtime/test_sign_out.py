"""A user signed out (deactivated, a new password) or given another role or unit by an
administrator loses their open live sockets; foreign pages cannot open one.

A socket keeps who it authenticated as for its life, but each join asks the database again:
a new session token (log-out everywhere, a new password), a new role or a new unit counts from
the next join on the same socket.
"""

from __future__ import annotations

from typing import Any

import pytest
import socketio as socketio_client
import sqlalchemy as sa
from flask import Flask

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import AuditLog, OrgUnit, Role
from app.realtime import NAMESPACE
from tests.app.realtime.conftest import join, received
from tests.conftest import HOME, OTHER, PASSWORD, csrf_token, login


def _token(user: Any) -> str:
    token = issue_token(user)
    db.session.commit()
    return token


def test_deactivation_closes_the_open_socket_and_its_deltas_stop(
    app: Flask, make: Any, live: Any
) -> None:
    user = make.user("officer")
    event = make.event()
    sio = live(auth={"token": _token(user)})
    assert join(sio, event.id)["ok"] is True
    result = app.test_cli_runner().invoke(args=["users", "deactivate", user.email])
    assert result.exit_code == 0, result.output
    assert not sio.is_connected(NAMESPACE)  # out of the event's room: no delta reaches it


def test_a_deactivated_users_socket_cannot_join_again(
    app: Flask, client, make: Any, live: Any
) -> None:
    """Re-checked on every join: even a socket the close did not reach is refused."""
    user = make.user("officer")
    login(client, user.email)
    sio = live()
    event = make.event()
    assert join(sio, event.id)["ok"] is True
    user.deactivate()
    db.session.commit()
    again = join(sio, event.id)
    assert again["ok"] is False
    assert again["status"] == 401


def test_a_token_socket_whose_sessions_were_revoked_cannot_join_again(
    app: Flask, make: Any, live: Any
) -> None:
    """A new password or a log-out everywhere ends the socket's session too, as the cookie's."""
    user = make.user("viewer")
    sio = live(auth={"token": _token(user)})
    event = make.event()
    assert join(sio, event.id)["ok"] is True
    user.revoke_sessions()
    db.session.commit()
    assert join(sio, event.id)["status"] == 401


def test_a_role_taken_away_counts_from_the_next_join_on_the_same_socket(
    app: Flask, make: Any, live: Any
) -> None:
    user = make.user("officer")
    sio = live(auth={"token": _token(user)})
    event = make.event()
    assert join(sio, event.id)["ok"] is True
    assert received(sio, "snapshot")[0]["can_see_phones"] is True
    user.role = Role.VIEWER
    db.session.commit()
    assert join(sio, event.id)["ok"] is True
    assert received(sio, "snapshot")[0]["can_see_phones"] is False
    db.session.expire_all()
    joins = db.session.query(AuditLog).filter_by(action="live.join", user_id=user.id).count()
    assert joins == 1  # the viewer's join showed no phone: no entry


def test_a_user_moved_to_another_province_is_scoped_from_there_on_the_same_socket(
    app: Flask, make: Any, live: Any, unit: Any
) -> None:
    user = make.user("viewer", HOME)
    sio = live(auth={"token": _token(user)})
    home, other = make.event(HOME), make.event(OTHER)
    assert join(sio, home.id)["ok"] is True
    assert join(sio, other.id)["status"] == 404
    user.org_unit = unit(OTHER)
    db.session.commit()
    assert join(sio, home.id)["status"] == 404
    assert join(sio, other.id)["ok"] is True


@pytest.mark.committing
def test_only_the_apps_own_pages_may_open_a_socket(app: Flask, live_server: str, make: Any) -> None:
    token = _token(make.user("viewer"))

    def connects(origin: str) -> bool:
        client = socketio_client.Client(reconnection=False)
        try:
            client.connect(live_server, headers={"Origin": origin}, auth={"token": token},
                           namespaces=[NAMESPACE], transports=["polling"],
                           wait_timeout=5)  # fmt: skip
        except socketio_client.exceptions.ConnectionError:
            return False
        client.disconnect()
        return True

    assert connects(live_server) is True
    assert connects("https://evil.example") is False


@pytest.mark.parametrize(
    ("field", "closed"), [("role", True), ("org_unit", True), ("display_name", False)]
)
def test_an_administrator_changing_role_or_unit_closes_the_users_open_socket(
    app: Flask, client, make: Any, live: Any, field: str, closed: bool
) -> None:
    """A demoted officer's open page must not go on receiving phone numbers until it re-joins."""
    officer = make.user("officer", HOME)
    sio = live(auth={"token": _token(officer)})
    assert join(sio, make.event(HOME).id)["ok"] is True
    login(client, make.user("admin", HOME).email)
    home = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == HOME))
    commune = db.session.scalar(sa.select(OrgUnit.code).where(OrgUnit.parent_id == home).limit(1))
    form = {"email": officer.email, "display_name": officer.display_name or "",
            "role": "officer", "org_unit": HOME}  # fmt: skip
    form[field] = {"role": "viewer", "org_unit": commune, "display_name": "Lê Hùng"}[field]
    token = csrf_token(client, "/users")
    saved = client.post(f"/users/{officer.id}", data={"csrf_token": token, **form})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert sio.is_connected(NAMESPACE) is not closed


def test_a_password_reset_by_an_administrator_closes_the_users_open_socket(
    app: Flask, client, make: Any, live: Any
) -> None:
    officer = make.user("officer", HOME)
    sio = live(auth={"token": _token(officer)})
    assert join(sio, make.event(HOME).id)["ok"] is True
    login(client, make.user("admin", HOME).email)
    reset = client.post(f"/users/{officer.id}", data={"csrf_token": csrf_token(client, "/users"),
                                                       "action": "reset_password"})  # fmt: skip
    assert reset.status_code == 200
    assert not sio.is_connected(NAMESPACE)


def test_a_users_own_new_password_closes_their_other_open_sockets(
    app: Flask, client, make: Any, live: Any
) -> None:
    """ "Other browsers have been logged out": their open live pages stop receiving too."""
    from flask.testing import FlaskClient

    officer, event = make.user("officer", HOME), make.event(HOME)
    elsewhere = FlaskClient(app, use_cookies=True)
    login(elsewhere, officer.email)
    sio = live(flask_client=elsewhere)
    assert join(sio, event.id)["ok"] is True
    login(client, officer.email)
    form = {"csrf_token": csrf_token(client, "/account/password"), "current": PASSWORD,
            "new": "ngựa vàng sông Lam 2026", "confirm": "ngựa vàng sông Lam 2026"}  # fmt: skip
    changed = client.post("/account/password", data=form)
    assert changed.status_code == 302, changed.get_data(as_text=True)[:500]
    assert not sio.is_connected(NAMESPACE)
    again = live(flask_client=elsewhere)  # the other browser's page connects again: refused
    assert join(again, event.id)["status"] == 401
    mine = live()  # this browser's session was renewed: it joins
    assert join(mine, event.id)["ok"] is True
