"""Follow-up: who came, who enrolled afterwards, and which events earned the credit."""

from flask import Blueprint

bp = Blueprint("followup", __name__)

from app.followup import (  # noqa: E402,F401
    calls_page,
    enrolment_page,
    enrolment_template,
    person_requests,
    review,
    routes,
)
