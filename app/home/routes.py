"""The home screen: a logged-in user's first page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from app.home import bp
from app.home.queries import home_for
from app.models import utcnow
from app.status import words


@bp.route("/")
@login_required
def index() -> str:
    return render_template("home/index.html", home=home_for(current_user, utcnow()), words=words)
