"""Managers' view: channels and campaigns side by side, exports and the monthly report."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from app.reports import after_livestream, month_section, pending_leads, routes  # noqa: E402,F401
