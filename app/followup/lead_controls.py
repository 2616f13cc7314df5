"""What the live page's lead controls need: may the user mark leads, the statuses, the users a
lead may go to (a lead held by someone else arrives with its holder's name)."""

from __future__ import annotations

from typing import Any

from app.followup.lead_assign import assignee_choices, may_work
from app.followup.lead_status import status_choices
from app.models import Event, User


def lead_controls(event: Event, user: User) -> dict[str, Any]:
    working = may_work(user)
    names = assignee_choices(event, user) if working else {}
    return {
        "may_work": working,
        "statuses": status_choices(),
        "assignees": [{"id": i, "name": n} for i, n in names.items()],
    }
