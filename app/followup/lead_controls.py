"""What the live page's lead controls need: may the user mark leads, the statuses, the users a
lead may go to (a lead held by someone else arrives with its holder's name).

Who may hold a lead is ``app.followup.lead_assign``'s one rule, as on the follow-up list: the
page lists the users any lead may go to (``assignees``); a lead whose person is a commune's also
offers that commune's officers, which the leads API names with each lead's communes
(``lead_communes``, ``commune_assignees``), under ``organisers`` for the first group.
"""

from __future__ import annotations

from typing import Any

from app.followup.lead_assign import assignee_choices, may_work, organisers_label
from app.followup.lead_status import status_choices
from app.models import Event, User


def lead_controls(event: Event, user: User) -> dict[str, Any]:
    working = may_work(user)
    names = assignee_choices(event, user) if working else {}
    return {
        "may_work": working,
        "statuses": status_choices(),
        "assignees": [{"id": i, "name": n} for i, n in names.items()],
        "organisers": organisers_label(event),
    }
