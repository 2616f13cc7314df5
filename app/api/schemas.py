"""Marshmallow schemas of /api/v1/: what is accepted (``*In``) and what is returned (``*Out``)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from app.events.status import shown_status
from app.models import Channel, EventStatus, Scheme, utcnow
from app.post_reach import reach_of
from app.status.words import account_state, target_state
from app.timeparse import as_utc
from app.wholenumbers import MAX_GOAL, MAX_VND


class StrictSchema(Schema):
    class Meta:
        unknown = "raise"  # a misspelt field is an error, not silently ignored


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class EventQuery(PageArgs):
    channel = fields.String(validate=validate.OneOf([c.value for c in Channel]))
    status = fields.String(validate=validate.OneOf([s.value for s in EventStatus]))
    org_unit = fields.String(validate=validate.Length(min=2, max=16))
    campaign_id = fields.Integer()
    from_ = fields.Date(data_key="from")
    to = fields.Date()


class EventIn(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    channel = fields.String(required=True, validate=validate.OneOf([c.value for c in Channel]))
    org_unit = fields.String(required=True, validate=validate.Length(min=2, max=16))
    campaign_id = fields.Integer(allow_none=True)
    status = fields.String(validate=validate.OneOf([s.value for s in EventStatus]))
    planned_start = fields.DateTime(allow_none=True)
    planned_end = fields.DateTime(allow_none=True)
    actual_start = fields.DateTime(allow_none=True)
    actual_end = fields.DateTime(allow_none=True)
    cost_vnd = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=MAX_VND))
    description = fields.String(validate=validate.Length(max=5000))

    @post_load
    def _utc(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        for key in ("planned_start", "planned_end", "actual_start", "actual_end"):
            if key in data:
                data[key] = as_utc(data[key])
        return data

    @validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            s, e = data.get(start), data.get(end)
            if s and e and as_utc(e) < as_utc(s):
                raise ValidationError(f"{end} must not be before {start}", field_name=end)


class EventPatch(EventIn):
    title = fields.String(validate=validate.Length(min=1, max=300))
    channel = fields.String(validate=validate.OneOf([c.value for c in Channel]))
    org_unit = fields.String(validate=validate.Length(min=2, max=16))


class EventOut(Schema):
    id = fields.Integer()
    title = fields.String()
    channel = fields.String()
    status = fields.String()
    # What the pages show (app.events.status.shown_status): the status, or "under_way" /
    # "overdue" for a scheduled event inside or past its planned hours; and whether an officer
    # ended it, so that the collectors leave it ended.
    shown_status = fields.Function(lambda e: shown_status(e, utcnow()))
    ended_by_hand = fields.Function(lambda e: e.ended_by_id is not None)
    org_unit = fields.Function(lambda e: e.org_unit.code)
    org_unit_name = fields.Function(lambda e: e.org_unit.name)
    campaign_id = fields.Integer(allow_none=True)
    planned_start = fields.AwareDateTime(allow_none=True)
    planned_end = fields.AwareDateTime(allow_none=True)
    actual_start = fields.AwareDateTime(allow_none=True)
    actual_end = fields.AwareDateTime(allow_none=True)
    cost_vnd = fields.Integer(allow_none=True)  # null: not entered
    # A post's people reached (app.post_reach); null for other channels and before any read.
    post_reach = fields.Function(reach_of, allow_none=True)
    description = fields.String()
    origin = fields.String()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class CampaignQuery(PageArgs):
    org_unit = fields.String(validate=validate.Length(min=2, max=16))
    scheme = fields.String(validate=validate.OneOf([s.value for s in Scheme]))


class CampaignIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    org_unit = fields.String(required=True, validate=validate.Length(min=2, max=16))
    scheme = fields.String(required=True, validate=validate.OneOf([s.value for s in Scheme]))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    goal = fields.Integer(validate=validate.Range(min=0, max=MAX_GOAL))
    attribution_window_days = fields.Integer(validate=validate.OneOf([30, 60, 90]))
    retention_days = fields.Integer(allow_none=True, validate=validate.Range(min=1))
    description = fields.String(validate=validate.Length(max=5000))

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        s, e = data.get("starts_on"), data.get("ends_on")
        if s and e and e < s:
            raise ValidationError("ends_on must not be before starts_on", field_name="ends_on")


class CampaignPatch(CampaignIn):
    name = fields.String(validate=validate.Length(min=1, max=200))
    org_unit = fields.String(validate=validate.Length(min=2, max=16))
    scheme = fields.String(validate=validate.OneOf([s.value for s in Scheme]))
    starts_on = fields.Date()
    ends_on = fields.Date()


class CampaignOut(Schema):
    id = fields.Integer()
    name = fields.String()
    org_unit = fields.Function(lambda c: c.org_unit.code)
    scheme = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    goal = fields.Integer()
    attribution_window_days = fields.Integer()
    retention_days = fields.Integer(allow_none=True)
    description = fields.String()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class OrgUnitQuery(Schema):
    parent = fields.String(validate=validate.Length(min=2, max=16))
    code = fields.String(validate=validate.Length(min=2, max=16))


class OrgUnitOut(Schema):
    code = fields.String()
    name = fields.String()
    short_name = fields.String()
    kind = fields.String()
    division_type = fields.String()
    parent = fields.Function(lambda u: u.parent.code if u.parent else None)


def page_schema(item: type[Schema]) -> type[Schema]:
    """The paginated envelope returned by list endpoints."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total": fields.Integer(),
        },
        name=f"{item.__name__.removesuffix('Out')}Page",
    )


PLATFORMS = ("facebook", "youtube", "zoom", "teams", "meet", "bbb", "zalo")


class AccountIn(StrictSchema):
    platform = fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    credentials = fields.Dict(required=True, keys=fields.String(), validate=validate.Length(min=1))
    page_id = fields.String(validate=validate.Length(min=1, max=200))
    org_unit = fields.String(validate=validate.Length(min=2, max=16))


class AccountPatch(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    credentials = fields.Dict(keys=fields.String(), validate=validate.Length(min=1))
    page_id = fields.String(allow_none=True, validate=validate.Length(min=1, max=200))


class AccountOut(Schema):
    """Credentials are never returned."""

    id = fields.Integer()
    state = fields.Function(lambda a: account_state(a))
    platform = fields.String()
    name = fields.String()
    page_id = fields.String(attribute="external_id", allow_none=True)
    org_unit = fields.Function(lambda a: a.org_unit.code)
    health = fields.String()
    health_detail = fields.String()
    rate_limit_usage = fields.Dict()
    created_at = fields.AwareDateTime()


class TargetIn(StrictSchema):
    """Either a link as copied (``url``, its account found when the platform has only one), or
    the object itself (``platform`` — the target kind —, ``external_id`` and ``account_id``)."""

    url = fields.String(validate=validate.Length(min=1, max=2000))
    platform = fields.String(validate=validate.Length(min=2, max=40))
    external_id = fields.String(validate=validate.Length(min=1, max=200))
    account_id = fields.Integer()

    @validates_schema
    def _one_form(self, data: dict[str, Any], **_: Any) -> None:
        if "url" in data:
            for name in ("platform", "external_id"):
                if name in data:
                    raise ValidationError("give either url or platform and external_id", name)
            return
        missing = [n for n in ("platform", "external_id", "account_id") if n not in data]
        if missing:
            raise ValidationError(
                {name: ["Missing data for required field (or give url)."] for name in missing}
            )


class TargetOut(Schema):
    id = fields.Integer()
    state = fields.Function(lambda t: target_state(t))  # the same plain words as /collection
    event_id = fields.Integer()
    platform = fields.String(attribute="kind")
    external_id = fields.String()
    # What the platform calls it, and where to open it (its own sites only); null when not known.
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    account_id = fields.Integer(allow_none=True)
    status = fields.String(allow_none=True)
    next_run_at = fields.AwareDateTime(allow_none=True)
    last_success_at = fields.AwareDateTime(allow_none=True)
    last_error = fields.String()
    failures = fields.Integer()
    paused_reason = fields.String(allow_none=True)
    finished_at = fields.AwareDateTime(allow_none=True)
    calls_used = fields.Integer()


class TargetAdded(TargetOut):
    """A target just added, with what to check about it though it was taken (a link whose object
    starts more than 3 hours from the event's planned start or on another day, as the links page
    warns); empty for an object added by its id, whose start is not read."""

    warnings = fields.List(fields.String(), dump_default=list)
