"""The follow-up list page of an event and its Excel export (audited: it carries phones)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user, login_required

from app.audit import record
from app.auth.access import role_required
from app.consent import public_comment_basis
from app.extensions import db
from app.followup import bp
from app.followup.accounting import account
from app.followup.call_scope import (
    CallScope,
    call_scope,
    part_note,
    part_words,
    people_communes,
)
from app.followup.calls import (
    CallRow,
    basis_words,
    by_phone,
    call_list,
    closed_rows,
    reach_words,
    source_words,
)
from app.followup.enrolled_after import enrolled_after
from app.followup.enrolled_words import enrolled_note, enrolled_note_vi
from app.followup.lead_assign import (
    assignee_choices,
    assignee_names,
    commune_officers,
    organisers_label,
)
from app.followup.lead_rows import LeadFilter, parse_filter, with_work
from app.followup.lead_status import CLOSED, NEEDS_A_NUMBER, STATUS_LABELS
from app.followup.numbers_left import leads_without_a_number
from app.followup.workbook import call_list_workbook
from app.formatting import local
from app.models import Role
from app.reports.filenames import event_stem


def may_call() -> bool:
    """Officers and above call people; viewers see the list with phones masked."""
    return current_user.has_role(Role.OFFICER)


def worked_rows(
    scope: CallScope, phones: bool
) -> tuple[list[CallRow], list[CallRow], LeadFilter, list[str]]:
    """The list with each lead's work, whole and filtered as the URL query asks (page and
    export alike), of the whole event or of the user's commune alone (``call_scope``)."""
    wanted, problems = parse_filter(request.args)
    event = scope.event
    names = assignee_names(event, current_user)
    rows = call_list(event.id, phones=phones, only=scope.only)
    rows = with_work(event.id, rows, names, phones=phones)
    return rows, [r for r in rows if wanted.keeps(r)], wanted, problems


def part_detail(scope: CallScope) -> dict[str, str]:
    """The audit row's word on whose list was read: the commune's code when only theirs."""
    return {"part": scope.part.code} if scope.part is not None else {}


COMMENT = "comment"  # CallRow.source of a comment lead (app.labels.TOUCH_SOURCE)


@bp.route("/events/<int:event_id>/follow-up")
@login_required
def call_list_page(event_id: int) -> str:
    scope = call_scope(event_id, current_user)
    event = scope.event
    every, rows, wanted, problems = worked_rows(scope, may_call())
    after = enrolled_after(event, scope.only)
    accounted = account(event.id, by_phone(every), after.rows, scope.only, closed_rows(every))
    if may_call():
        record("followup.view", current_user, "event", event.id, rows=len(rows),
               enrolled=len(after.rows), **part_detail(scope))  # fmt: skip
        db.session.commit()
    to_call, no_phone = by_phone(rows)
    closed = closed_rows(rows)  # a final status: off both lists, shown apart to be undone
    communes = people_communes(event.id, [r.person_id for r in rows if r.person_id])
    # The editor offers no call's outcome to a lead who left no number (the server's rule).
    leads = [(r.person_id, r.comment_id) for r in rows] if may_call() else []
    no_number = leads_without_a_number(leads)
    # Only comment leads have a comment to answer, and only they are called without consent.
    return render_template("followup/list.html", event=event, rows=rows, to_call=to_call,
                           no_phone=no_phone, closed=closed, may_call=may_call(),
                           has_comment_leads=any(r.source == COMMENT for r in rows),
                           no_phone_commented=any(r.source == COMMENT for r in no_phone),
                           lead_basis=public_comment_basis(), wanted=wanted, problems=problems,
                           statuses=STATUS_LABELS, closed_statuses=CLOSED,
                           number_statuses=NEEDS_A_NUMBER, no_number=no_number,
                           source_words=source_words,
                           basis_words=basis_words, reach_words=reach_words,
                           assignees=assignee_names(event, current_user),
                           assignable=assignee_choices(event, current_user),
                           organisers=organisers_label(event), communes=communes,
                           commune_groups=commune_officers(
                               scope, current_user, {c for cs in communes.values() for c in cs}),
                           accounting=accounted.words(),
                           nobody=accounted.nobody(filtered=bool(wanted.query())),
                           after=after, after_note=enrolled_note(event, after),
                           part_note=part_note(scope.part) if scope.part else None)  # fmt: skip


@bp.route("/events/<int:event_id>/follow-up.xlsx")
@role_required(Role.OFFICER)
def call_list_export(event_id: int) -> Response:
    scope = call_scope(event_id, current_user)
    event = scope.event
    _every, rows, _wanted, problems = worked_rows(scope, True)
    if problems:
        return Response("\n".join(problems), status=422, mimetype="text/plain")
    after = enrolled_after(event, scope.only)
    title = event.title if scope.part is None else f"{event.title} — {part_words(scope.part)}"
    # The page's lines from the list to the reports' figure; none for a commune's part, whose
    # list counts its people alone and the reports the whole event (as the page). Imported here:
    # app.reports reads app.followup's attribution as it loads.
    from app.reports.reconcile_book import vietnamese_lines
    from app.reports.reconcile_words import event_reconcile_lines

    reconciled = [] if scope.part else vietnamese_lines(
        lambda: event_reconcile_lines(event, len(after.rows), after.window_days)
    )  # fmt: skip
    body = call_list_workbook(
        title, *by_phone(rows), enrolled=after.rows, enrolled_note=enrolled_note_vi(event, after),
        reconciled=reconciled,
    )  # fmt: skip
    start = event.start
    day = local(start).date() if start else None
    name = f"{event_stem('lien-he', event, day, part=scope.part)}.xlsx"
    record("followup.export", current_user, "event", event.id, rows=len(rows),
           enrolled=len(after.rows), **part_detail(scope))  # fmt: skip
    db.session.commit()
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
