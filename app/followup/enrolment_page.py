"""`/follow-up/enrolments/import`: upload an enrolment export, see the row-level report, confirm.

The same two steps as the attendee sheets (app.attendance.routes): the upload is kept encrypted
server-side under a random id, so the confirm step imports exactly the previewed file; then the
linkage runs in its own transaction, so a failed linkage never loses the import. Communes that
may be several (an old commune divided in 2025) are offered as choices on the preview; the
answers come back with the confirmation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.auth.access import role_required
from app.consent import CURRENT
from app.extensions import db
from app.followup import bp
from app.followup.enrolment_columns import ENROLMENT_COLUMNS
from app.followup.enrolments import MAX_BYTES, commit_enrolments, preview_enrolments
from app.followup.review import waiting_count
from app.identity.phones import mask_phone, shown_phone
from app.models import Enrolment, Link, LinkStatus, Role, utcnow
from app.sheets import stash
from app.sheets.births import year_only_message
from app.sheets.columns_read import columns_missing, columns_read
from app.sheets.communes import posted_choices
from app.sheets.issues import FileRejected, ImportIssue, row_label
from app.sheets.reader import mb

NO_EVENT = 0  # enrolment exports belong to no event: the stash is keyed by owner only
PREVIEW_ROWS = 200
# A district's export of thousands of rows may have thousands of problems (a column of dates
# typed another way): the page lists the first ones in full and counts them all by column, so it
# stays light and the manager sees what to correct across the file.
PROBLEMS_SHOWN = 200
# Rows kept with a warning (a birth giving only its year) likewise: a 20,000-row export whose
# every birth is "00/00/1975" lists the first ones and counts them all, not 20,000 lines.
WARNINGS_SHOWN = 200
ROWS_NAMED = 10  # rows named per column in the count; the rest are "…"
LABELS = {c.name: c.label for c in ENROLMENT_COLUMNS}
REQUIRED = [c.label for c in ENROLMENT_COLUMNS if c.required]
OPTIONAL = [c.label for c in ENROLMENT_COLUMNS if not c.required]


@bp.route("/follow-up/enrolments/import", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def enrolment_import() -> Response | str | tuple[str, int]:
    if request.method == "GET":  # ``imported``: the answer to an import that added rows
        return _page(imported=request.args.get("imported") == "1")
    if request.form.get("stash"):
        return _confirm()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(error=_("Choose a file to upload.")), 422
    data = upload.read()
    try:
        preview = preview_enrolments(data, upload.filename, unit=current_user.org_unit)
    except FileRejected as exc:
        return _page(rejected=exc.issues, filename=upload.filename), 422
    stash_id = stash.put(data, upload.filename, preview.table.sha256, _owner(), NO_EVENT)
    return _page(preview=preview, stash_id=stash_id)


def _confirm() -> Response | str | tuple[str, int]:
    from app.followup.linking import refresh_follow_up

    stash_id = request.form["stash"]
    stored = stash.get(stash_id, _owner(), NO_EVENT)
    if stored is None:
        return _page(error=_("The preview has expired; upload the file again.")), 410
    unit = current_user.org_unit
    try:
        preview = preview_enrolments(stored.data, stored.filename, unit=unit,
                                     choices=posted_choices(request.form))  # fmt: skip
        result = commit_enrolments(preview, user=current_user, unit=unit, now=utcnow())
    except FileRejected as exc:
        db.session.rollback()
        return _page(rejected=exc.issues, filename=stored.filename), 422
    db.session.commit()
    stash.drop(stash_id)
    if not result.created:
        flash(_("This file was imported before; nothing was added."), "info")
        return redirect(url_for("followup.enrolment_import"))
    flash(_("Imported %(n)s enrolments from %(file)s.", n=result.inserted, file=stored.filename),
          "success")  # fmt: skip
    if result.year_only:
        flash(year_only_message(result.year_only), "info")
    if result.inserted:
        refresh_follow_up(utcnow())
        db.session.commit()
        links, review = links_of_batch(result.batch.id)
        flash(_("Matching of this file: %(links)s new links, %(review)s new pairs to review.",
                links=links, review=review), "info")  # fmt: skip
        return redirect(url_for("followup.enrolment_import", imported=1))
    return redirect(url_for("followup.enrolment_import"))


def links_of_batch(batch_id: int) -> tuple[int, int]:
    """What the linkage made of one file's enrolments: (links that count, pairs sent to review).

    Read from the links themselves, not the run's counters: the run also compares people who
    arrived since the last run with older enrolments, and its queue figure is the whole queue
    (pairs that were waiting before this file came in).
    """
    counts = dict(
        db.session.execute(
            select(Link.status, func.count(Link.id))
            .join(Enrolment, Enrolment.id == Link.enrolment_id)
            .where(Enrolment.import_batch_id == batch_id)
            .group_by(Link.status)
        ).all()
    )
    linked = counts.get(LinkStatus.LINKED, 0) + counts.get(LinkStatus.CONFIRMED, 0)
    return linked, counts.get(LinkStatus.REVIEW, 0)


def _owner() -> str:
    return f"user:{current_user.id}"


def phone_shown(phone: str | None, clear: bool) -> str:
    """A row's phone as the call list shows it: in clear to officers and above, else masked."""
    if not phone:
        return ""
    return shown_phone(phone) if clear else mask_phone(phone)


@dataclass
class ColumnProblems:
    """The rows with a problem in one column (``field`` "": the whole row, a duplicate)."""

    field: str
    rows: int = 0
    named: list[int | str] = field(default_factory=list)  # the first ROWS_NAMED, in file order


def problems_by_column(issues: Sequence[ImportIssue]) -> list[ColumnProblems]:
    """Each column's rows with a problem, in the file's column order (issues come sorted)."""
    by_field: dict[str, ColumnProblems] = {}
    seen: set[tuple[str, tuple[str, int]]] = set()
    for issue in issues:
        if issue.at is None or (issue.field, issue.at) in seen:
            continue
        seen.add((issue.field, issue.at))
        column = by_field.setdefault(issue.field, ColumnProblems(issue.field))
        column.rows += 1
        if len(column.named) < ROWS_NAMED:
            column.named.append(row_label(issue.sheet, issue.at[1]))
    order = {name: i for i, name in enumerate(LABELS)}
    return sorted(by_field.values(), key=lambda c: order.get(c.field, len(order)))


def _page(**extra: Any) -> str:
    if (preview := extra.get("preview")) is not None:  # the file's own headers, field by field
        if len(preview.issues) > PROBLEMS_SHOWN:
            extra["problem_columns"] = problems_by_column(preview.issues)
        if len(preview.warnings) > WARNINGS_SHOWN:  # each names its row (app.sheets.births)
            extra["warning_columns"] = problems_by_column(preview.warnings)
        extra["columns_read"] = columns_read(preview.table, ENROLMENT_COLUMNS)
        # Only optional columns can be missing here: a file without a required one is refused.
        missing = columns_missing(preview.table, ENROLMENT_COLUMNS)
        extra["columns_missing"] = [_(c.label) for c in missing]
        clear = current_user.has_role(Role.OFFICER)  # the call list's rule (followup.routes)
        extra["phone_of"] = lambda row: phone_shown(row.phone, clear)
    # The help lists the spec's columns, so it names every column the preview may call missing.
    help_columns = {"required": ", ".join(_(label) for label in REQUIRED),
                    "optional": ", ".join(_(label) for label in OPTIONAL)}  # fmt: skip
    return render_template("followup/enrolments.html", column_labels=LABELS, max_mb=mb(MAX_BYTES),
                           preview_rows=PREVIEW_ROWS, problems_shown=PROBLEMS_SHOWN,
                           warnings_shown=WARNINGS_SHOWN,
                           consent_version=CURRENT,
                           help_columns=help_columns,
                           review_waiting=waiting_count(current_user), **extra)  # fmt: skip
