"""Fixtures of the /api/v1/ tests."""

from __future__ import annotations

import pytest
from flask import Flask

from app.auth.tokens import issue_token
from app.extensions import db
from tests.conftest import HOME, Factory


@pytest.fixture
def auth(app: Flask, make: Factory) -> dict[str, str]:
    """The Authorization header of a manager of the home province."""
    user = make.user("manager", HOME)
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}
