"""Platform accounts, collection targets and event summaries in /api/v1/."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.api.routes import blp, require_role
from app.api.schemas import AccountIn, AccountOut, AccountPatch, TargetAdded, TargetIn, TargetOut
from app.collection import servers
from app.collection.links import checked_link
from app.collection.targets import add_checked_target
from app.collection.writer import resume_account
from app.events.services import FieldError, resolve_unit
from app.extensions import db
from app.live.summary import event_summary
from app.models import Event, Platform, PlatformAccount, Role, Target, utcnow
from app.realtime import publish_soon
from app.scoping import get_scoped, scoped

ACCOUNT_WRITER = Role.MANAGER
TARGET_WRITER = Role.OFFICER


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.response(200, AccountOut(many=True))
    def get(self) -> list[PlatformAccount]:
        stmt = scoped(select(PlatformAccount), PlatformAccount, current_user)
        return list(db.session.scalars(stmt.order_by(PlatformAccount.id)))

    @blp.arguments(AccountIn)
    @blp.response(201, AccountOut)
    def post(self, data: dict[str, Any]) -> PlatformAccount:
        """Register a platform account (manager or higher); credentials are stored encrypted."""
        require_role(ACCOUNT_WRITER)
        unit = resolve_unit(data.get("org_unit") or current_user.org_unit.code, current_user)
        account = PlatformAccount(
            platform=Platform(data["platform"]),
            name=data["name"],
            org_unit=unit,
            external_id=data.get("page_id"),
            credentials=checked_credentials(data["platform"], data["credentials"]),
            health="ok",
            health_detail="",
            rate_limit_usage={},
            next_discovery_at=utcnow() if data.get("page_id") else None,
        )
        db.session.add(account)
        db.session.flush()
        audit.record(
            "account.create", current_user, "account", account.id, platform=data["platform"]
        )
        db.session.commit()
        return account


@blp.route("/accounts/<int:account_id>")
class AccountItem(MethodView):
    @blp.response(200, AccountOut)
    def get(self, account_id: int) -> PlatformAccount:
        return get_scoped(PlatformAccount, account_id, current_user)

    @blp.arguments(AccountPatch)
    @blp.response(200, AccountOut)
    def patch(self, data: dict[str, Any], account_id: int) -> PlatformAccount:
        """Replace credentials (re-authorisation): targets paused by an expired token resume."""
        account = get_scoped(PlatformAccount, account_id, current_user)
        require_role(ACCOUNT_WRITER)
        if "name" in data:
            account.name = data["name"]
        if "page_id" in data:
            account.external_id = data["page_id"]
        if "credentials" in data:
            account.credentials = checked_credentials(
                account.platform.value, data["credentials"], account.credentials
            )
            resume_account(account, utcnow())
            audit.record("account.reauthorise", current_user, "account", account.id)
        db.session.commit()
        return account


def checked_credentials(
    platform: str, credentials: dict[str, Any], previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Credentials whose server addresses may be called; a refused one is a 422 naming it."""
    try:
        return servers.check_credentials(
            platform,
            credentials,
            allow_private=current_app.config["ALLOW_PRIVATE_PLATFORM_URLS"],
            admin=current_user.has_role(Role.ADMIN),
            previous=previous,
        )
    except servers.UnsafeURL as exc:
        raise FieldError(f"credentials.{exc.key}", str(exc)) from exc


@blp.route("/events/<int:event_id>/targets")
class EventTargets(MethodView):
    @blp.response(200, TargetOut(many=True))
    def get(self, event_id: int) -> list[Target]:
        get_scoped(Event, event_id, current_user)
        return list(
            db.session.scalars(
                select(Target).where(Target.event_id == event_id).order_by(Target.id)
            )
        )

    @blp.arguments(TargetIn)
    @blp.response(201, TargetAdded)
    def post(self, data: dict[str, Any], event_id: int) -> Target:
        """Collect a platform object for this event (officer or higher): ``{"url"}`` — a link as
        copied, checked with the platform first — or ``{"platform", "external_id"}``; the
        ``account_id`` is needed unless the link's platform has only one account of the user's.
        ``warnings``: what to check, though it was tracked (a start far from the planned one)."""
        event = get_scoped(Event, event_id, current_user)
        require_role(TARGET_WRITER)
        if "url" in data:
            item = checked_link(event, data["url"], current_user, account_id=data.get("account_id"))
            target = add_checked_target(event, user=current_user, **item.confirmed())
            target.warnings = [item.warning] if item.warning else []  # for this answer only
        else:
            target = add_checked_target(
                event, data["platform"], data["external_id"], data["account_id"], current_user
            )
        db.session.commit()
        publish_soon(event.id, "targets")  # open live pages follow (a meeting's halls board)
        return target


@blp.route("/events/<int:event_id>/summary")
class EventSummaryView(MethodView):
    def get(self, event_id: int) -> dict[str, Any]:
        """Totals across the event's targets: views, viewers now and at peak, reactions…

        ``views`` is null until a read brings them (a Facebook live's, at its end), never 0;
        ``reach`` (a fanpage post's people reached, added up over its targets) likewise.
        """
        get_scoped(Event, event_id, current_user)
        return event_summary(event_id).as_dict()
