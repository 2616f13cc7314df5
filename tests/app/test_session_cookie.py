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


def test_a_request_without_the_cookie_gets_a_new_session_as_flasks_would(app: Flask) -> None:
    from flask.sessions import SecureCookieSessionInterface

    flasks = SecureCookieSessionInterface()
    ours = app.session_interface
    with app.test_request_context("/checkin/x", method="POST") as ctx:
        for interface in (ours, flasks):
            opened = interface.open_session(app, ctx.request)
            assert opened is not None
            assert (dict(opened), opened.new, opened.modified) == ({}, False, False)
    cookie = ours.get_signing_serializer(app).dumps({"lang": "en"})
    other = {"Cookie": f"not_the_session={cookie}"}
    with app.test_request_context("/", headers=other) as ctx:
        assert dict(ours.open_session(app, ctx.request)) == {}
    old_key = app.secret_key
    app.secret_key = None
    try:
        with app.test_request_context("/") as ctx:
            assert ours.open_session(app, ctx.request) is None  # no key: no session, as Flask's
            assert flasks.open_session(app, ctx.request) is None
    finally:
        app.secret_key = old_key
