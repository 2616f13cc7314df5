"""The attendee-sheet import: ``attendees`` (preview and commit), ``attended`` (visit dates), the
organiser's page (``routes``) and ``flask attendance import`` (``cli``). The generic spreadsheet
reader is ``app.sheets``.
"""

from flask import Blueprint

bp = Blueprint("imports", __name__)

from app.imports import routes  # noqa: E402,F401
