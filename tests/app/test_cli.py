"""`flask users create|token`, `flask orgunits load` and `flask demo load`."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.auth.passwords import verify_password
from app.extensions import db
from app.models import Campaign, Event, OrgUnit, Role, User
from tests.conftest import HOME


def invoke(app: Flask, *args: str, input: str | None = None):  # noqa: A002
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_create_user_with_password_option(app: Flask) -> None:
    result = invoke(
        app, "users", "create", "--email", "Lan@Example.VN", "--role", "officer",
        "--org-unit", HOME, "--password", "a long enough secret",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalars(sa.select(User)).one()
    assert (user.email, user.role, user.org_unit.code) == ("lan@example.vn", Role.OFFICER, HOME)
    assert verify_password(user.password_hash, "a long enough secret")
    assert "a long enough secret" not in user.password_hash


def test_create_user_prompts_for_the_password(app: Flask) -> None:
    result = invoke(
        app, "users", "create", "--email", "a@example.vn", "--role", "viewer", "--org-unit", HOME,
        input="prompted secret 123\nprompted secret 123\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalars(sa.select(User)).one()
    assert verify_password(user.password_hash, "prompted secret 123")


def test_create_user_refuses_bad_input_and_writes_nothing(app: Flask) -> None:
    cases = [
        (["--org-unit", "99999", "--password", "long enough pw"], "--org-unit"),
        (["--org-unit", HOME, "--password", "short"], "--password"),
        (["--org-unit", HOME, "--password", "long enough pw", "--role", "boss"], "--role"),
    ]
    for extra, named in cases:
        args = ["users", "create", "--email", "x@example.vn", "--role", "viewer", *extra]
        result = invoke(app, *args)
        assert result.exit_code != 0
        assert named in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_duplicate_email_is_refused(app: Flask, make) -> None:
    user = make.user("viewer")
    result = invoke(
        app, "users", "create", "--email", user.email.upper(), "--role", "viewer",
        "--org-unit", HOME, "--password", "long enough pw",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "exists" in result.output


def test_token_prints_a_working_token(app: Flask, client, make) -> None:
    user = make.user("viewer")
    result = invoke(app, "users", "token", user.email)
    assert result.exit_code == 0
    token = result.output.strip()
    response = client.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert invoke(app, "users", "token", "nobody@example.vn").exit_code != 0


def test_demo_load_is_idempotent_and_prints_the_password_once(app: Flask, client) -> None:
    first = invoke(app, "demo", "load", "--province", HOME)
    assert first.exit_code == 0, first.output
    password = next(line.split()[1] for line in first.output.splitlines() if "Password:" in line)
    counts = (
        db.session.scalar(sa.select(sa.func.count()).select_from(Event)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)),
    )
    assert counts[0] >= 5
    assert counts[1] >= 2
    second = invoke(app, "demo", "load", "--province", HOME)
    assert second.exit_code == 0
    assert "Password" not in second.output
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Event)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)),
    ) == counts
    from tests.conftest import login

    login(client, "admin@demo.lantoa.vn", password)
    html = client.get("/events").get_data(as_text=True)
    assert "Hội nghị trực tuyến" in html
    assert "Sự kiện" in html
    # 34 provinces now loaded from the package
    provinces = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OrgUnit)
        .where(OrgUnit.kind == "province", OrgUnit.source_version.startswith("vietnamadminunits"))
    )
    assert provinces == 34


def test_set_password_replaces_the_password_and_is_audited(app: Flask, make) -> None:
    from app.models import AuditLog

    user = make.user("officer")
    result = invoke(app, "users", "set-password", user.email, "--password", "sông Lam mùa nước nổi")
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert verify_password(user.password_hash, "sông Lam mùa nước nổi")
    actions = sa.select(AuditLog.action).where(AuditLog.object_id == str(user.id))
    assert "user.password_reset" in list(db.session.scalars(actions))
    prompted = invoke(app, "users", "set-password", user.email,
                      input="ba con cá bơi qua cầu\nba con cá bơi qua cầu\n")  # fmt: skip
    assert prompted.exit_code == 0, prompted.output
    db.session.refresh(user)
    assert verify_password(user.password_hash, "ba con cá bơi qua cầu")
    assert invoke(app, "users", "password", user.email, "--password", "x" * 20).exit_code != 0


def test_demo_credentials_gives_the_demo_admin_a_new_password(app: Flask, client) -> None:
    from tests.conftest import login

    missing = invoke(app, "demo", "credentials")
    assert missing.exit_code == 1
    assert "flask demo load" in missing.output
    first = invoke(app, "demo", "load", "--province", HOME)
    old = next(line.split()[1] for line in first.output.splitlines() if "Password:" in line)
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@demo.lantoa.vn"))
    admin.deactivate()
    db.session.commit()
    reset = invoke(app, "demo", "credentials")
    assert reset.exit_code == 0, reset.output
    lines = reset.output.splitlines()
    assert "  E-mail:   admin@demo.lantoa.vn" in lines
    new = next(line.split()[1] for line in lines if "Password:" in line)
    assert new != old
    db.session.refresh(admin)
    assert admin.active  # the demo admin can always be reached again
    assert not verify_password(admin.password_hash, old)
    login(client, "admin@demo.lantoa.vn", new)
    assert client.get("/events").status_code == 200
