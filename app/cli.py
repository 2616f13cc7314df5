"""Administrator commands: ``flask users …``, ``flask orgunits load``, ``flask demo load``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.models import OrgUnit, Role, User

users = AppGroup("users", help="Create users and API tokens.")
orgunits = AppGroup("orgunits", help="The administrative tree (2025 two-level structure).")
demo = AppGroup("demo", help="Demo data for a newcomer's first look.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org-unit", "org_unit", required=True, help="Code of the user's unit, e.g. 40.")
@click.option("--name", default="", help="Display name.")
@click.password_option(help="Prompted for when omitted.")
def create_user(email: str, role: str, org_unit: str, name: str, password: str) -> None:
    """Create a user who sees only ORG_UNIT and the units under it."""
    from app.users import services

    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == org_unit))
    if unit is None:
        raise click.BadParameter(f"no org unit with code {org_unit}", param_hint="--org-unit")
    changes = services.Changes(email=email, display_name=name, role=Role(role), unit=unit)
    try:
        user = services.create_user(None, changes, password)
    except services.UserError as exc:
        db.session.rollback()
        raise click.BadParameter(str(exc.message), param_hint=f"--{exc.field}") from exc
    db.session.commit()
    click.echo(f"Created {role} {user.email} for {unit.name} ({unit.code}).")


@users.command("token")
@click.argument("email")
def user_token(email: str) -> None:
    """Print a new API token for EMAIL (the previous one stops working)."""
    from app import audit
    from app.auth.tokens import issue_token

    user = _user(email)
    token = issue_token(user)
    audit.record("user.token", None, "user", user.id)
    db.session.commit()
    click.echo(token)


def _user(email: str) -> User:
    from app.users.services import by_email

    user = by_email(email)
    if user is None:
        raise click.BadParameter(f"no user with e-mail {email}", param_hint="EMAIL")
    return user


@users.command("set-password")
@click.argument("email")
@click.password_option(help="Prompted for when omitted.")
def set_password(email: str, password: str) -> None:
    """Give EMAIL a new password; every browser where they were logged in is logged out."""
    from app.realtime import sockets
    from app.users import services

    user = _user(email)
    try:
        services.set_password(None, user, password)
    except services.UserError as exc:
        db.session.rollback()
        raise click.BadParameter(str(exc.message), param_hint="--password") from exc
    db.session.commit()
    sockets.close_for(user.id)  # their live pages end with their sessions
    click.echo(f"New password set for {user.email}; their other sessions are closed.")


@users.command("deactivate")
@click.argument("email")
def deactivate_user(email: str) -> None:
    """Stop EMAIL logging in: sessions, remember cookies and the API token stop working."""
    from app.realtime import sockets
    from app.users import services

    user = _user(email)
    services.deactivate(None, user)
    db.session.commit()
    sockets.close_for(user.id)  # through the message queue, in every web process
    click.echo(f"{user.email} can no longer log in.")


@orgunits.command("load")
@click.option(
    "--province", "provinces", multiple=True, help="Only these province codes (repeatable)."
)
def load_orgunits(provinces: tuple[str, ...]) -> None:
    """Load or refresh provinces and communes from the vietnamadminunits package."""
    from app.orgunits import load_units, package_version, read_package_units

    rows = read_package_units(provinces or None)
    changed = load_units(db.session, rows, package_version())
    db.session.commit()
    click.echo(f"{len(rows)} units read from {package_version()}, {changed} created or updated.")


@demo.command("load")
@click.option("--province", default="40", show_default=True, help="Province code of the demo.")
def load_demo(province: str) -> None:
    """Load the demo province (units, campaigns, past events) and an admin; print the password."""
    from app.demo import credentials_banner, load

    result = load(db.session, province)
    db.session.commit()
    if result.password:
        click.echo(credentials_banner(result, _login_url()))
    else:
        click.echo(
            f"Demo data already present; demo admin is {result.email} "
            "(`flask demo credentials` gives it a new password)."
        )


@demo.command("credentials")
def demo_credentials() -> None:
    """Give the demo admin a new password and print it (instance/ and its data stay)."""
    from app.demo import credentials_banner, reset_credentials

    try:
        result = reset_credentials(db.session)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(credentials_banner(result, _login_url()))


def _login_url() -> str | None:
    from flask import current_app

    base = current_app.config.get("PUBLIC_BASE_URL")
    return f"{base}/login" if base else None


def register(app: Flask) -> None:
    from app.attendance.cli import attendance
    from app.collection.cli import collect
    from app.followup.cli import followup
    from app.reports.cli import reports
    from app.seed.cli import seed
    from sandbox.cli import sandbox_cli

    app.cli.add_command(collect)
    app.cli.add_command(attendance)
    app.cli.add_command(sandbox_cli)
    app.cli.add_command(users)
    app.cli.add_command(orgunits)
    app.cli.add_command(demo)
    app.cli.add_command(followup)
    app.cli.add_command(reports)
    app.cli.add_command(seed)
