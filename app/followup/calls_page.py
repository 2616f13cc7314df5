"""The officer's page of calls across events: "My calls" (``app.followup.my_calls``).

It carries names and phones of many events at once, so each opening is audited like the
follow-up list it gathers.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.audit import record
from app.auth.access import role_required
from app.extensions import db
from app.followup import bp
from app.followup.lead_status import CLOSED, NEEDS_A_NUMBER, STATUS_LABELS
from app.followup.my_calls import CAP, GROUPS, my_calls
from app.followup.numbers_left import leads_without_a_number
from app.models import Role, utcnow


@bp.route("/follow-up/calls")
@role_required(Role.OFFICER)
def my_calls_page() -> str:
    calls = my_calls(current_user, utcnow(), page=request.args.get("page", 1, type=int) or 1,
                     free_page=request.args.get("free_page", 1, type=int) or 1)  # fmt: skip
    record("followup.my_calls", current_user, "user", current_user.id,
           held=len(calls.held.rows), free=len(calls.free.rows))  # fmt: skip
    db.session.commit()
    # Officers record a call's outcome on the page itself (the follow-up list's editor, its
    # queue), which offers none needing a number to a lead who left none (the server's rule).
    shown = calls.held.rows + calls.free.rows
    no_number = leads_without_a_number((r.person_id, None) for r in shown)
    return render_template("followup/my_calls.html", calls=calls, groups=GROUPS,
                           statuses=STATUS_LABELS, closed_statuses=CLOSED, cap=CAP,
                           number_statuses=NEEDS_A_NUMBER, no_number=no_number,
                           may_call=True)  # fmt: skip
