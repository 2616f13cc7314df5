"""Spreadsheet imports: a generic XLSX/CSV reader (``tabular``) and the attendee-sheet import.

The reader knows nothing of attendees: a column spec is passed in, so the follow-up module's
enrolment import reuses it with its own columns.
"""

from flask import Blueprint

bp = Blueprint("imports", __name__)

from app.imports import routes  # noqa: E402,F401
