"""Managers' view: channels and campaigns side by side, exports and the monthly report."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from app.reports import routes  # noqa: E402,F401
from app.reports.rollups.build import install as _install_rollups  # noqa: E402

_install_rollups()
