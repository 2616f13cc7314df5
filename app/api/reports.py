"""The managers' channel comparison and offline channel entries in /api/v1/."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from app.api.routes import blp, require_role
from app.extensions import db
from app.models import OfflineActivity, OfflineKind
from app.reports.offline import OFFLINE_WRITER, create_offline, offline_dict
from app.reports.params import ParamError, parse_filter
from app.reports.parent_part import HallPart, parent_halls
from app.reports.report import build_report
from app.scoping import scoped


class OfflineIn(Schema):
    class Meta:
        unknown = "raise"

    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in OfflineKind]))
    org_unit = fields.String(required=True, validate=validate.Length(min=2, max=16))
    campaign_id = fields.Integer(allow_none=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(allow_none=True)
    quantity = fields.Integer(required=True, strict=True)
    cost_vnd = fields.Integer(load_default=None, allow_none=True, strict=True)  # null: unknown
    note = fields.String(load_default="", validate=validate.Length(max=2000))


def _bad_param(exc: ParamError) -> None:
    abort(422, message=str(exc), errors={"query": {exc.param: [exc.message]}})


@blp.route("/reports/channels")
class ChannelsReport(MethodView):
    def get(self) -> list[dict[str, Any]]:
        """Per channel for a period, campaign and org unit: events, reach (labelled by
        ``reach_kind``: views, people, copies or broadcasts), interactions, people identified,
        enrolments attributed (``model``, default last touch), conversion with its 95 % Wilson
        interval, cost and cost per enrolment (null without enrolments). A cost nobody entered
        is unknown, not 0: ``cost_vnd`` adds the costs entered (null when none of the channel's
        activities has one), ``events_with_cost`` and ``events_without_cost`` say how many have
        one, and ``cost_per_enrolment`` divides the costs entered by the enrolments of those same
        activities (null when they earned none). Events whose start is
        still ahead when the report is read count in neither ``events`` nor ``cost_vnd``: they
        are ``planned_events``, with their ``planned_cost_vnd``. ``post_reach`` (posts only, null
        for other channels and before any read) is the posts' people reached added up: not
        people reached (one person shown two posts counts twice), beside the posts' views,
        never added to another channel."""
        try:
            report = build_report(parse_filter(request.args, current_user), per_event=False)
        except ParamError as exc:
            _bad_param(exc)
        return [figures.as_dict() for figures in report.by_channel()]


def _hall_dict(hall: HallPart) -> dict[str, Any]:
    return {
        "event_id": hall.event_id,
        "title": hall.title,
        "day": hall.day.isoformat() if hall.day else None,
        "channel": hall.channel,
        "organiser": hall.organiser,
        "head_count": hall.head_count,
        "expected": hall.expected,
        "identified": hall.identified,
        "enrolled": hall.enrolled,
        "can_open": hall.can_open,
        "held": hall.held,
    }


@blp.route("/reports/channels/parent-halls")
class ParentHallsReport(MethodView):
    def get(self) -> list[dict[str, Any]]:
        """A commune's halls at events of the units above it, in the channels report's period
        (same query as ``/reports/channels``): the hall's latest head count, the expected
        attendance, the people identified there (``identified``) and those of them who enrolled
        afterwards within the event campaign's window (``enrolled``). These events count under
        their organiser: these figures are never in ``/reports/channels`` of the commune nor
        added to any total. Empty for a unit that is not a commune. A hall at an event whose
        start is still ahead when the report is read (the reports' rule) has ``held`` false and
        no figures: ``head_count``, ``expected``, ``identified`` and ``enrolled`` are null."""
        try:
            f = parse_filter(request.args, current_user)
        except ParamError as exc:
            _bad_param(exc)
        return [_hall_dict(h) for h in parent_halls(f, current_user)]


@blp.route("/offline-activities")
class OfflineActivities(MethodView):
    def get(self) -> list[dict[str, Any]]:
        """Offline quantities entered for the caller's units, newest period first."""
        stmt = scoped(select(OfflineActivity), OfflineActivity, current_user)
        stmt = stmt.order_by(OfflineActivity.period_start.desc(), OfflineActivity.id.desc())
        return [offline_dict(e) for e in db.session.scalars(stmt.limit(500))]

    @blp.arguments(OfflineIn)
    @blp.response(201)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Record leaflets, loudspeaker broadcasts or posters for a commune (officer+)."""
        require_role(OFFLINE_WRITER)
        entry = create_offline(data, current_user)
        db.session.commit()
        return offline_dict(entry)
