"""The report's URL parameters, read the same way by the API, the page, the exports and the CLI.

A bad parameter raises ``ParamError`` naming it; the API and the CLI say it in English
(``message``), the pages through the catalog with the parameter's label (``localized()``). An org
unit or campaign outside the user's scope is "unknown", like a missing one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.extensions import db
from app.followup.attribution import DEFAULT_MODEL, MODELS, WINDOWS
from app.models import Campaign, OrgUnit, User
from app.reports.facts import ReportFilter, month_bounds
from app.scoping import ancestor_ids, campaigns_seen, subtree_ids, unit_in_scope
from app.timeparse import parse_day

# Each parameter by the label of its field on the report's filter form.
PARAM_LABELS = {"from": _l("From"), "to": _l("To"), "org_unit": _l("Org unit"),
                "campaign_id": _l("Campaign"), "model": _l("Attribution"),
                "window": _l("Attribution window"), "period": _l("Month"),
                "view": _l("Table")}  # fmt: skip
# The value as typed between “…” (the app's quotation marks), never Python's repr ('…').
BAD_DATE = _l("expected a date DD/MM/YYYY, got “%(value)s”")
BAD_MONTH = _l("expected a month YYYY-MM, got “%(value)s”")
UNKNOWN_UNIT = _l("unknown org unit “%(value)s”")
BAD_CAMPAIGN = _l("expected a campaign id, got “%(value)s”")
UNKNOWN_CAMPAIGN = _l("unknown campaign “%(value)s”")
END_BEFORE_START = _l("the end of the period is before its start")
REQUIRED = _l("required")
ONE_OF = _l("must be one of %(choices)s")
ONE_OF_DAYS = _l("must be one of %(choices)s days")


@dataclass
class ParamError(ValueError):
    """A parameter the report cannot use: ``msgid`` is English, filled with ``params``."""

    param: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """In English, for the API and the CLI."""
        return self.msgid % self.params if self.params else self.msgid

    def __str__(self) -> str:
        return f"{self.param}: {self.message}"

    def localized(self) -> str:
        """In the request's language, the parameter named by its label on the page."""
        from flask_babel import gettext

        label = PARAM_LABELS.get(self.param)
        return f"{gettext(label) if label else self.param}: {gettext(self.msgid, **self.params)}"


def _date(args: Mapping[str, str], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_day(raw)  # dd/mm/yyyy as the page's fields are typed, or YYYY-MM-DD
    except ValueError:
        raise ParamError(name, BAD_DATE, {"value": raw}) from None


def month_for(period: str) -> tuple[date, date]:
    """The first and last day of a YYYY-MM month, or ``ParamError`` naming ``period``."""
    try:
        return month_bounds(period)
    except ValueError:
        raise ParamError("period", BAD_MONTH, {"value": period}) from None


def unit_for(code: str, user: User | None, param: str = "org_unit") -> OrgUnit:
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None or (user is not None and not unit_in_scope(unit, user)):
        raise ParamError(param, UNKNOWN_UNIT, {"value": code})
    return unit


def campaign_for(raw: str, user: User | None) -> Campaign:
    if not raw.isdigit():
        raise ParamError("campaign_id", BAD_CAMPAIGN, {"value": raw})
    if user is None:
        campaign = db.session.get(Campaign, int(raw))
    else:
        stmt = campaigns_seen(select(Campaign).where(Campaign.id == int(raw)), user)
        campaign = db.session.scalar(stmt)
    if campaign is None:
        raise ParamError("campaign_id", UNKNOWN_CAMPAIGN, {"value": raw})
    return campaign


def parse_filter(args: Mapping[str, str], user: User | None) -> ReportFilter:
    """The filter the arguments describe, for ``user`` (None: the CLI, which sees everything)."""
    start, end = _date(args, "from"), _date(args, "to")
    if start and end and end < start:
        raise ParamError("to", END_BEFORE_START)
    code = (args.get("org_unit") or "").strip()
    if code:
        unit = unit_for(code, user)
    elif user is not None:
        unit = user.org_unit
    else:
        raise ParamError("org_unit", REQUIRED)
    raw_campaign = (args.get("campaign_id") or "").strip()
    campaign = campaign_for(raw_campaign, user) if raw_campaign else None
    model = (args.get("model") or DEFAULT_MODEL).strip()
    if model not in MODELS:
        raise ParamError("model", ONE_OF, {"choices": ", ".join(MODELS)})
    raw_window = (args.get("window") or "").strip()
    if raw_window:
        if not raw_window.isdigit() or int(raw_window) not in WINDOWS:
            choices = ", ".join(map(str, WINDOWS))
            raise ParamError("window", ONE_OF_DAYS, {"choices": choices})
        window = int(raw_window)
    else:
        window = campaign.attribution_window_days if campaign else WINDOWS[-1]
    return ReportFilter(
        unit=unit, start=start, end=end, campaign=campaign, model=model, window_days=window
    )


def campaigns_in_scope(unit: OrgUnit) -> Sequence[Campaign]:
    """The campaigns the report's campaign picker offers: those of the unit's subtree, and those
    run by the units above it (a commune reports on its own events of the province's campaign)."""
    area = or_(
        Campaign.org_unit_id.in_(subtree_ids(unit)), Campaign.org_unit_id.in_(ancestor_ids(unit))
    )
    return db.session.scalars(
        select(Campaign).where(area).order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    ).all()
