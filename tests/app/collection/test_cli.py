"""`flask collect once --event ID`: one round, exit 0 only when every target succeeded."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import Comment, Target
from sandbox import Sandbox


def invoke(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_collect_once(app: Flask, fb_target: Target, sandbox: Sandbox) -> None:
    sandbox.advance(300)
    result = invoke(app, "collect", "once", "--event", str(fb_target.event_id))
    assert result.exit_code == 0, result.output
    assert f"target {fb_target.id}: ok" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) > 0


def test_collect_once_fails_with_the_reason(
    app: Flask, fb_target: Target, sandbox: Sandbox
) -> None:
    sandbox.fail_next("facebook", "token_expired")
    result = invoke(app, "collect", "once", "--event", str(fb_target.event_id))
    assert result.exit_code == 1
    assert "auth_expired" in result.output


def test_collect_once_refuses_bad_events(app: Flask, make) -> None:
    assert invoke(app, "collect", "once", "--event", "424242").exit_code != 0
    empty = make.event()
    assert invoke(app, "collect", "once", "--event", str(empty.id)).exit_code == 2
