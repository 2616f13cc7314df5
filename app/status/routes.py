from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from app.status import bp, queries, words


@bp.route("/collection")
@login_required
def overview() -> str:
    return render_template(
        "status/overview.html",
        accounts=queries.accounts_for(current_user),
        targets=queries.targets_for(current_user),
        words=words,
    )
