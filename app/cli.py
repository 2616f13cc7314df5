"""Administrator commands: ``flask users …``, ``flask orgunits load``, ``flask demo load``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

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
    from app import audit
    from app.auth.passwords import WeakPassword, hash_password

    email = email.strip().lower()
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == org_unit))
    if unit is None:
        raise click.BadParameter(f"no org unit with code {org_unit}", param_hint="--org-unit")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise click.BadParameter(f"a user with e-mail {email} exists", param_hint="--email")
    try:
        password_hash = hash_password(password, email)
    except WeakPassword as exc:
        raise click.BadParameter(str(exc), param_hint="--password") from exc
    user = User(
        email=email, role=Role(role), org_unit=unit, display_name=name, password_hash=password_hash
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", None, "user", user.id, role=role, org_unit=org_unit)
    db.session.commit()
    click.echo(f"Created {role} {email} for {unit.name} ({unit.code}).")


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
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.BadParameter(f"no user with e-mail {email}", param_hint="EMAIL")
    return user


@users.command("password")
@click.argument("email")
@click.password_option(help="Prompted for when omitted.")
def set_password(email: str, password: str) -> None:
    """Give EMAIL a new password; every browser where they were logged in is logged out."""
    from app import audit
    from app.auth.passwords import WeakPassword, hash_password

    user = _user(email)
    try:
        user.set_password_hash(hash_password(password, user.email))
    except WeakPassword as exc:
        raise click.BadParameter(str(exc), param_hint="--password") from exc
    audit.record("user.password", None, "user", user.id)
    db.session.commit()
    click.echo(f"New password set for {user.email}; their other sessions are closed.")


@users.command("deactivate")
@click.argument("email")
def deactivate_user(email: str) -> None:
    """Stop EMAIL logging in: sessions, remember cookies and the API token stop working."""
    from app import audit
    from app.realtime import sockets

    user = _user(email)
    user.deactivate()
    audit.record("user.deactivate", None, "user", user.id)
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
    from app.demo import load

    result = load(db.session, province)
    db.session.commit()
    if result.password:
        click.echo("")
        click.echo(f"  Demo admin: {result.email}")
        click.echo(f"  Password:   {result.password}   (shown once; change it after logging in)")
        click.echo("")
    else:
        click.echo(f"Demo data already present; demo admin is {result.email}.")


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
