"""Events, campaigns and org units in /api/v1/. Every read goes through app.scoping."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask import current_app
from flask.typing import ResponseReturnValue
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint, abort
from sqlalchemy import Select, func, select
from werkzeug.exceptions import UnprocessableEntity

from app.api import authenticate
from app.api.schemas import (
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    CampaignQuery,
    EventIn,
    EventOut,
    EventPatch,
    EventQuery,
    OrgUnitOut,
    OrgUnitQuery,
    page_schema,
)
from app.collation import sorted_vietnamese
from app.events.services import (
    CAMPAIGN_ABOVE,
    CAMPAIGN_WRITER,
    EVENT_WRITER,
    FieldError,
    apply_campaign,
    apply_event,
    create_campaign,
    create_event,
)
from app.extensions import db
from app.models import Campaign, Event, OrgUnit, Role
from app.post_reach import with_post_reach
from app.scoping import (
    campaigns_seen,
    get_campaign_to_change,
    get_campaign_view,
    get_scoped,
    scoped,
    subtree_ids,
    unit_in_scope,
)
from app.timeparse import as_utc

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Lan Tỏa API v1")
blp.before_request(authenticate)


@blp.errorhandler(FieldError)
def field_error(exc: FieldError) -> ResponseReturnValue:
    """A value a service refused: undo what the request changed, answer 422 naming the field."""
    db.session.rollback()
    error = UnprocessableEntity()
    error.data = {  # what flask-smorest's abort() attaches, for the JSON error handler
        "message": f"{exc.field}: {exc.message}",
        "errors": {"json": {exc.field: [exc.message]}},
    }
    return current_app.handle_http_exception(error)


def require_role(role: Role) -> None:
    if not current_user.has_role(role):
        abort(403, message=f"This needs the {role.value} role or higher.")


def _page(stmt: Select[Any], args: dict[str, Any]) -> dict[str, Any]:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page, per_page = args["page"], args["per_page"]
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def _unit_or_422(code: str, field: str) -> OrgUnit:
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None or not unit_in_scope(unit, current_user):
        abort(
            422, message=f"{field}: unknown org unit {code}", errors={"query": {field: ["unknown"]}}
        )
    return unit


@blp.route("/events")
class Events(MethodView):
    @blp.arguments(EventQuery, location="query")
    @blp.response(200, page_schema(EventOut))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List events the caller may see, newest planned first. A post carries its people
        reached (``post_reach``: each target's latest read, added up; null before any read and
        for other channels)."""
        stmt = scoped(select(Event), Event, current_user)
        if "channel" in args:
            stmt = stmt.where(Event.channel == args["channel"])
        if "status" in args:
            stmt = stmt.where(Event.status == args["status"])
        if "campaign_id" in args:
            stmt = stmt.where(Event.campaign_id == args["campaign_id"])
        if "org_unit" in args:
            unit = _unit_or_422(args["org_unit"], "org_unit")
            stmt = stmt.where(Event.org_unit_id.in_(subtree_ids(unit)))
        if "from_" in args:
            stmt = stmt.where(
                Event.planned_start >= as_utc(datetime.combine(args["from_"], time()))
            )
        if "to" in args:
            end = datetime.combine(args["to"] + timedelta(days=1), time())
            stmt = stmt.where(Event.planned_start < as_utc(end))
        stmt = stmt.order_by(Event.planned_start.desc().nulls_last(), Event.id.desc())
        page = _page(stmt, args)
        with_post_reach(page["items"])  # the posts' reach read for the page at once
        return page

    @blp.arguments(EventIn)
    @blp.response(201, EventOut)
    def post(self, data: dict[str, Any]) -> Event:
        """Create an event (officer or higher)."""
        require_role(EVENT_WRITER)
        event = create_event(data, current_user)
        db.session.commit()
        return event


@blp.route("/events/<int:event_id>")
class EventItem(MethodView):
    @blp.response(200, EventOut)
    def get(self, event_id: int) -> Event:
        return get_scoped(Event, event_id, current_user)

    @blp.arguments(EventPatch)
    @blp.response(200, EventOut)
    def patch(self, data: dict[str, Any], event_id: int) -> Event:
        """Change some fields of an event (officer or higher)."""
        event = get_scoped(Event, event_id, current_user)
        require_role(EVENT_WRITER)
        from app.realtime import publish_soon

        apply_event(event, data, current_user)
        db.session.commit()
        publish_soon(event.id, "status")  # open live pages follow, as after the edit page
        return event


@blp.route("/campaigns")
class Campaigns(MethodView):
    @blp.arguments(CampaignQuery, location="query")
    @blp.response(200, page_schema(CampaignOut))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        stmt = campaigns_seen(select(Campaign), current_user)
        if "scheme" in args:
            stmt = stmt.where(Campaign.scheme == args["scheme"])
        if "org_unit" in args:
            unit = _unit_or_422(args["org_unit"], "org_unit")
            stmt = stmt.where(Campaign.org_unit_id.in_(subtree_ids(unit)))
        return _page(stmt.order_by(Campaign.starts_on.desc(), Campaign.id.desc()), args)

    @blp.arguments(CampaignIn)
    @blp.response(201, CampaignOut)
    def post(self, data: dict[str, Any]) -> Campaign:
        """Create a campaign (manager or higher)."""
        require_role(CAMPAIGN_WRITER)
        campaign = create_campaign(data, current_user)
        db.session.commit()
        return campaign


@blp.route("/campaigns/<int:campaign_id>")
class CampaignItem(MethodView):
    @blp.response(200, CampaignOut)
    def get(self, campaign_id: int) -> Campaign:
        """A campaign of the caller's subtree, or of a unit above theirs (``runs_above``)."""
        return get_campaign_view(campaign_id, current_user).campaign

    @blp.arguments(CampaignPatch)
    @blp.response(200, CampaignOut)
    def patch(self, data: dict[str, Any], campaign_id: int) -> Campaign:
        """Change a campaign of the caller's subtree (manager or higher); one run by a unit
        above theirs is refused (403)."""
        campaign = get_campaign_to_change(campaign_id, current_user, str(CAMPAIGN_ABOVE))
        require_role(CAMPAIGN_WRITER)
        apply_campaign(campaign, data, current_user)
        db.session.commit()
        return campaign


@blp.route("/org-units")
class OrgUnits(MethodView):
    @blp.arguments(OrgUnitQuery, location="query")
    @blp.response(200, OrgUnitOut(many=True))
    def get(self, args: dict[str, Any]) -> list[OrgUnit]:
        """Children of ``parent`` (e.g. the communes of a province), the unit of ``code`` (with
        its parent: a form's picker opens on the province of the commune it holds), or the
        caller's top units."""
        if "code" in args:
            stmt = select(OrgUnit).where(OrgUnit.code == args["code"])
        elif "parent" in args:
            parent = db.session.scalar(select(OrgUnit).where(OrgUnit.code == args["parent"]))
            if parent is None:
                abort(404, message=f"parent: no org unit with code {args['parent']}")
            stmt = select(OrgUnit).where(OrgUnit.parent_id == parent.id)
        else:
            stmt = select(OrgUnit).where(OrgUnit.id == current_user.org_unit_id)
            if current_user.org_unit.parent_id is None:  # the country: list its provinces
                stmt = select(OrgUnit).where(OrgUnit.parent_id == current_user.org_unit_id)
        # In Vietnamese alphabetical order, as the other pickers show them (not by code).
        units = db.session.scalars(scoped(stmt, OrgUnit, current_user))
        return sorted_vietnamese(units, key=lambda u: u.name)
