"""Role checks for views: viewer < officer < manager < admin."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from app.models import Role


def role_required(role: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Log-in required, then 403 unless the user's role ranks at least ``role``."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
