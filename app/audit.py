"""Writing the audit log: reads and exports of personal data, and changes to access."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from app.extensions import db
from app.models import AuditLog, User


def record(
    action: str,
    user: User | None,
    object_type: str = "",
    object_id: object = "",
    **detail: Any,
) -> AuditLog:
    """Add an audit row to the current session; it commits with the work it describes."""
    entry = AuditLog(
        action=action,
        user_id=user.id if user is not None else None,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
