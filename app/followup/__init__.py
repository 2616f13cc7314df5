"""Follow-up: who came, who enrolled afterwards, and which events earned the credit."""

from flask import Blueprint

bp = Blueprint("followup", __name__)

from app.followup import enrolment_page, person_requests, review, routes  # noqa: E402,F401
