"""The report's URL parameters, read the same way by the API, the page, the exports and the CLI.

A bad parameter raises ``ParamError`` naming it; the API answers 422 with that name, the page
shows it. An org unit or campaign outside the user's scope is "unknown", like a missing one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.followup.attribution import DEFAULT_MODEL, MODELS, WINDOWS
from app.models import Campaign, OrgUnit, User
from app.reports.facts import ReportFilter
from app.scoping import scoped, subtree_ids, unit_in_scope
from app.timeparse import parse_day


@dataclass
class ParamError(ValueError):
    param: str
    message: str

    def __str__(self) -> str:
        return f"{self.param}: {self.message}"


def _date(args: Mapping[str, str], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_day(raw)  # dd/mm/yyyy as the page's fields are typed, or YYYY-MM-DD
    except ValueError:
        raise ParamError(name, f"expected a date DD/MM/YYYY, got {raw!r}") from None


def unit_for(code: str, user: User | None, param: str = "org_unit") -> OrgUnit:
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None or (user is not None and not unit_in_scope(unit, user)):
        raise ParamError(param, f"unknown org unit {code!r}")
    return unit


def campaign_for(raw: str, user: User | None) -> Campaign:
    if not raw.isdigit():
        raise ParamError("campaign_id", f"expected a campaign id, got {raw!r}")
    if user is None:
        campaign = db.session.get(Campaign, int(raw))
    else:
        stmt = scoped(select(Campaign).where(Campaign.id == int(raw)), Campaign, user)
        campaign = db.session.scalar(stmt)
    if campaign is None:
        raise ParamError("campaign_id", f"unknown campaign {raw}")
    return campaign


def parse_filter(args: Mapping[str, str], user: User | None) -> ReportFilter:
    """The filter the arguments describe, for ``user`` (None: the CLI, which sees everything)."""
    start, end = _date(args, "from"), _date(args, "to")
    if start and end and end < start:
        raise ParamError("to", "the end of the period is before its start")
    code = (args.get("org_unit") or "").strip()
    if code:
        unit = unit_for(code, user)
    elif user is not None:
        unit = user.org_unit
    else:
        raise ParamError("org_unit", "required")
    raw_campaign = (args.get("campaign_id") or "").strip()
    campaign = campaign_for(raw_campaign, user) if raw_campaign else None
    model = (args.get("model") or DEFAULT_MODEL).strip()
    if model not in MODELS:
        raise ParamError("model", f"must be one of {', '.join(MODELS)}")
    raw_window = (args.get("window") or "").strip()
    if raw_window:
        if not raw_window.isdigit() or int(raw_window) not in WINDOWS:
            raise ParamError("window", f"must be one of {', '.join(map(str, WINDOWS))} days")
        window = int(raw_window)
    else:
        window = campaign.attribution_window_days if campaign else WINDOWS[-1]
    return ReportFilter(
        unit=unit, start=start, end=end, campaign=campaign, model=model, window_days=window
    )


def campaigns_in_scope(unit: OrgUnit) -> Sequence[Campaign]:
    """The campaigns the report's campaign picker offers: those of the unit's subtree."""
    return db.session.scalars(
        select(Campaign)
        .where(Campaign.org_unit_id.in_(subtree_ids(unit)))
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    ).all()
