"""Session cookies: the signing serializer is built once per key and follows a key change."""

from __future__ import annotations

from flask import Flask


def test_the_serializer_is_kept_until_the_key_changes(app: Flask) -> None:
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert first is not None
    assert interface.get_signing_serializer(app) is first
    cookie = first.dumps({"lang": "vi"})
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}) as ctx:
        assert dict(interface.open_session(app, ctx.request)) == {"lang": "vi"}

    old_key = app.secret_key
    app.secret_key = "another secret key"
    try:
        rekeyed = interface.get_signing_serializer(app)
        assert rekeyed is not first
        with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}) as ctx:
            assert dict(interface.open_session(app, ctx.request)) == {}  # the old signature fails
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]
        with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}) as ctx:
            assert dict(interface.open_session(app, ctx.request)) == {"lang": "vi"}
    finally:
        app.secret_key = old_key
        app.config["SECRET_KEY_FALLBACKS"] = []
