"""Recording offline channel quantities (leaflets, loudspeaker broadcasts, posters).

One function for the form and the API, so both refuse the same things with the same field names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from app.events.services import FieldError, resolve_campaign, resolve_unit
from app.extensions import db
from app.models import OfflineActivity, OfflineKind, OrgKind, Role, User
from app.wholenumbers import MAX_VND, write_whole

OFFLINE_WRITER = Role.OFFICER
MAX_QUANTITY = 10_000_000


def create_offline(data: dict[str, Any], user: User) -> OfflineActivity:
    """Validate and add one entry (not committed). Raises FieldError naming the field."""
    try:
        kind = OfflineKind(data.get("kind"))
    except ValueError:
        raise FieldError("kind", str(_l("Choose leaflets, loudspeaker or posters."))) from None
    unit = resolve_unit(str(data.get("org_unit") or ""), user)
    if unit.kind != OrgKind.COMMUNE:
        raise FieldError("org_unit", str(_l("Offline quantities are entered per commune.")))
    campaign = resolve_campaign(data.get("campaign_id"), user)
    start, end = data.get("period_start"), data.get("period_end")
    if not isinstance(start, date):
        raise FieldError("period_start", str(_l("A date is required.")))
    if not isinstance(end, date):
        end = start
    if end < start:
        raise FieldError("period_end", str(_l("The period ends before it starts.")))
    quantity = data.get("quantity")
    if not isinstance(quantity, int) or not 0 < quantity <= MAX_QUANTITY:
        raise FieldError("quantity", str(_l("A whole number greater than zero.")))
    cost = data.get("cost_vnd")  # None: not entered, which no report reads as free
    if cost is not None and (not isinstance(cost, int) or not 0 <= cost <= MAX_VND):
        highest = write_whole(MAX_VND)
        raise FieldError(
            "cost_vnd", str(_l("A whole number of VND from 0 to %(max)s.", max=highest))
        )
    entry = OfflineActivity(
        kind=kind,
        org_unit=unit,
        campaign=campaign,
        period_start=start,
        period_end=end,
        quantity=quantity,
        cost_vnd=cost,
        note=str(data.get("note") or "")[:2000],
        created_by_id=user.id,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def offline_dict(entry: OfflineActivity) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "org_unit": entry.org_unit.code,
        "campaign_id": entry.campaign_id,
        "period_start": entry.period_start.isoformat(),
        "period_end": entry.period_end.isoformat(),
        "quantity": entry.quantity,
        "cost_vnd": entry.cost_vnd,
        "note": entry.note,
    }
