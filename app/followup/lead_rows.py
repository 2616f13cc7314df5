"""The follow-up list with each lead's work on it, and the filters by status and assignee.

The filters come from the URL query (so a filtered list can be bookmarked or sent), the same for
the page and its Excel export: ``status`` names a status by code or Vietnamese label (``called``,
``đã gọi``), ``assignee`` a user id, or ``none`` for leads nobody took.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from flask_babel import gettext as _

from app.followup.calls import CallRow
from app.followup.lead_status import parse_status
from app.followup.lead_work import work_of_event
from app.identity.phones import mask_phones
from app.models import LeadStatus

UNASSIGNED = "none"


@dataclass(frozen=True)
class LeadFilter:
    status: LeadStatus | None = None
    assignee: int | str | None = None  # a user id, UNASSIGNED, or None for anyone

    def keeps(self, row: CallRow) -> bool:
        if self.status is not None and row.status != self.status.value:
            return False
        if self.assignee == UNASSIGNED:
            return row.assignee_id is None
        return self.assignee is None or row.assignee_id == self.assignee

    def query(self) -> dict[str, str]:
        """The filter as URL query arguments (for the export link of a filtered page)."""
        out = {}
        if self.status is not None:
            out["status"] = self.status.value
        if self.assignee is not None:
            out["assignee"] = str(self.assignee)
        return out


def parse_filter(args: Mapping[str, str]) -> tuple[LeadFilter, list[str]]:
    """The filter the query asks for, and what of it could not be read (in the page's words)."""
    problems = []
    status = None
    raw_status = (args.get("status") or "").strip()
    if raw_status:
        status = parse_status(raw_status)
        if status is None:
            problems.append(_("Unknown status in the filter: %(value)s", value=raw_status))
    assignee: int | str | None = None
    raw_assignee = (args.get("assignee") or "").strip()
    if raw_assignee == UNASSIGNED:
        assignee = UNASSIGNED
    elif raw_assignee.isdigit():
        assignee = int(raw_assignee)
    elif raw_assignee:
        problems.append(_("Unknown assignee in the filter: %(value)s", value=raw_assignee))
    return LeadFilter(status, assignee), problems


def with_work(
    event_id: int, rows: Sequence[CallRow], names: Mapping[int, str], *, phones: bool
) -> list[CallRow]:
    """Each row with its person's lead work (a row nobody worked is new and unassigned); the
    notes masked like the rest of the list when phones are not shown."""
    work = work_of_event(event_id)
    out = []
    for row in rows:
        w = work.get(row.person_id) if row.person_id is not None else None
        if w is None:
            out.append(row)
            continue
        notes = w.notes if phones else mask_phones(w.notes or "")
        out.append(replace(row, status=w.status.value, assignee_id=w.assignee_id,
                           assignee=names.get(w.assignee_id, "") if w.assignee_id else "",
                           next_call_on=w.next_call_on, work_notes=notes))  # fmt: skip
    return out
