"""The connection page: list, add, edit, check and remove the unit's platform accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.access import role_required
from app.collection.servers import URL_KEYS
from app.connect import bp, services
from app.connect.kinds import KINDS, SERVER_LABELS, Kind
from app.events.services import FieldError
from app.extensions import db
from app.models import PlatformAccount, Role, utcnow
from app.scoping import get_scoped, scoped
from app.status import words

CONNECTOR = Role.MANAGER


def _row(account: PlatformAccount, now: datetime) -> dict[str, Any]:
    kind = services.kind_of(account)
    check = dict((account.rate_limit_usage or {}).get("check") or {})
    until = datetime.fromisoformat(check["valid_until"]) if check.get("valid_until") else None
    checked = datetime.fromisoformat(check["checked_at"]) if check.get("checked_at") else None
    shown = [
        (field.label, services.masked(value, field.key) if field.secret else value)
        for field in kind.fields
        if (value := (account.credentials or {}).get(field.key))
    ]
    shown += [
        (SERVER_LABELS[key], account.credentials[key])
        for key in URL_KEYS
        if (account.credentials or {}).get(key)
    ]
    return {
        "account": account,
        "kind": kind,
        "state": words.account_state(account),
        "fields": shown,
        "check": check,
        "valid_until": until,
        "checked_at": checked,
        "warning": "" if check.get("renews") else services.expiry_warning(until, now),
    }


@bp.route("/connect")
@role_required(CONNECTOR)
def index() -> str:
    stmt = scoped(select(PlatformAccount), PlatformAccount, current_user)
    accounts = db.session.scalars(stmt.order_by(PlatformAccount.platform, PlatformAccount.name))
    now = utcnow()
    # Under `make run` an administrator sees what connects the sandbox's fakes (the demo's flow).
    sandbox = current_app.extensions.get("lantoa_sandbox")
    demo = sandbox.connections() if sandbox and current_user.has_role(Role.ADMIN) else {}
    return render_template(
        "connect/index.html",
        rows=[_row(a, now) for a in accounts],
        kinds=services.all_kinds(),
        sandbox=demo,
    )


def _form(kind: Kind, account: PlatformAccount | None) -> Response | tuple[str, int]:
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if account is not None:
        values = {
            f.key: str(account.credentials.get(f.key, "")) for f in kind.fields if not f.secret
        }
        values.update({k: str(account.credentials.get(k, "")) for k in kind.servers})
        values["page_id"] = account.external_id or ""
        values["name"] = account.name
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k != "csrf_token"}
        try:
            saved = services.save(
                kind,
                values,
                values.get("name", ""),
                account.org_unit if account else current_user.org_unit,
                current_user,
                account,
            )
        except FieldError as exc:
            db.session.rollback()
            errors[exc.field] = exc.message
        else:
            db.session.commit()
            flash(_("Connection saved. Check it to see its health."), "success")
            return redirect(url_for("connect.index", _anchor=f"account-{saved.id}"))
    secrets = {
        f.key: services.masked(account.credentials.get(f.key), f.key)
        for f in kind.fields
        if f.secret and account is not None and account.credentials.get(f.key)
    }
    page = render_template(
        "connect/form.html",
        kind=kind,
        account=account,
        values=values,
        errors=errors,
        secrets=secrets,
        server_labels=SERVER_LABELS,
        is_admin=current_user.has_role(Role.ADMIN),
    )
    return page, 422 if errors else 200


@bp.route("/connect/new", methods=["GET", "POST"])
@role_required(CONNECTOR)
def new() -> Response | tuple[str, int] | str:
    """The form of one kind (``?kind=facebook``); without one, the kinds to choose from."""
    kind = request.args.get("kind", "")
    if not kind:
        return render_template("connect/kinds.html", kinds=services.all_kinds())
    if kind not in KINDS:
        abort(404)
    return _form(KINDS[kind], None)


@bp.route("/connect/<int:account_id>/edit", methods=["GET", "POST"])
@role_required(CONNECTOR)
def edit(account_id: int) -> Response | tuple[str, int]:
    account = get_scoped(PlatformAccount, account_id, current_user)
    return _form(services.kind_of(account), account)


@bp.route("/connect/<int:account_id>/check", methods=["POST"])
@role_required(CONNECTOR)
def check(account_id: int) -> Response:
    account = get_scoped(PlatformAccount, account_id, current_user)
    result = services.check(account, current_user, utcnow())
    db.session.commit()
    if result["error"]:
        flash(f"{account.name}: {result['error']}", "error")  # the error is in words already
    else:
        flash(_("%(name)s works.", name=account.name), "success")
    return redirect(url_for("connect.index", _anchor=f"account-{account.id}"))


@bp.route("/connect/<int:account_id>/delete", methods=["POST"])
@role_required(CONNECTOR)
def delete(account_id: int) -> Response:
    account = get_scoped(PlatformAccount, account_id, current_user)
    name = account.name
    try:
        services.delete(account, current_user)
    except FieldError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s removed.", name=name), "success")
    return redirect(url_for("connect.index"))
