"""The home screen: a logged-in user's first page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from app.followup.my_calls import calls_due
from app.home import bp
from app.home.queries import home_for
from app.models import Role, utcnow
from app.status import words


@bp.route("/")
@login_required
def index() -> str:
    now = utcnow()
    # An officer's calls due by today (their own, across events): a line linking to them.
    due = calls_due(current_user, now) if current_user.has_role(Role.OFFICER) else 0
    return render_template("home/index.html", home=home_for(current_user, now), words=words,
                           calls_due=due)  # fmt: skip
