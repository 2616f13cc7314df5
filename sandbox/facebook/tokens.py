"""Token tools of the fake Graph API, as a Page is connected: exchange, accounts, debug_token.

``GET oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret&fb_exchange_token``
trades the sandbox user token for a long-lived one (``expires_in`` ≈ 60 days);
``GET me/accounts`` with a user token lists the Page with its Page token (which never expires);
``GET debug_token?input_token=`` describes a token (``is_valid``, ``expires_at`` — 0 for never,
or ``page_token_seconds`` after now for a Page token when set —,
``scopes``, ``type``, ``profile_id``); ``GET me`` with a Page token is the Page. A wrong app secret
is error 1 "Error validating client secret."; an unknown user token is 190.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.facebook.calls import Answer, Call
from sandbox.facebook.errors import GraphError
from sandbox.people import NOT_REAL

if TYPE_CHECKING:
    import threading

    from sandbox.facebook.settings import FacebookSettings
    from sandbox.scenario import Scenario

TOKEN_PATHS = ("oauth/access_token", "me/accounts", "debug_token", "me")
LONG_LIVED_SECONDS = 5_183_944  # what Meta answers for a long-lived user token (~60 days)


class TokensMixin:
    """Answers the calls a connection page makes; the Page token is ``self.token``."""

    settings: FacebookSettings
    scenario: Scenario
    token: str
    _lock: threading.Lock

    def _token_call(self, call: Call) -> Answer:
        try:
            return Answer(200, self._token_answer(call))
        except GraphError as error:
            return Answer.from_error(error)

    def _token_answer(self, call: Call) -> dict[str, Any]:
        s, p = self.settings, self.scenario.params
        now = int(self.scenario.datetime_at(call.t).timestamp())
        user_tokens = (s.user_token, s.long_user_token)
        if call.path == "oauth/access_token":
            if call.params.get("client_id") != s.app_id:
                raise GraphError(101, "Error validating application. Invalid application ID.")
            if call.params.get("client_secret") != s.app_secret:
                raise GraphError(1, "Error validating client secret.")
            if call.params.get("fb_exchange_token") not in user_tokens:
                raise GraphError(190, "Invalid OAuth access token.", subcode=467)
            return {
                "access_token": s.long_user_token,
                "token_type": "bearer",
                "expires_in": LONG_LIVED_SECONDS,
            }
        if call.path == "me/accounts":
            if call.token not in user_tokens:
                raise GraphError(190, "Invalid OAuth access token.", subcode=467)
            page = {"id": p.page_id, "name": p.page_name, "access_token": self.token}
            return {"data": [{**page, "tasks": ["ANALYZE", "MODERATE", "CREATE_CONTENT"]}]}
        if call.token in user_tokens:
            return self._describe(call, "USER", now + LONG_LIVED_SECONDS, s.user_scopes)
        self._authenticate(call.token)  # type: ignore[attr-defined]  # AuthMixin
        if call.path == "me":
            return {"id": p.page_id, "name": p.page_name}
        expires = now + s.page_token_seconds if s.page_token_seconds else 0
        return self._describe(call, "PAGE", expires, s.page_scopes)

    def _describe(
        self, call: Call, kind: str, expires_at: int, scopes: tuple[str, ...]
    ) -> dict[str, Any]:
        if call.path == "me":
            return {"id": "100000000000001", "name": f"Cán bộ truyền thông {NOT_REAL}"}
        if call.params.get("input_token") != call.token:
            raise GraphError(100, "(#100) The input token is not the token of this call")
        data = {
            "app_id": self.settings.app_id,
            "type": kind,
            "application": f"Lan Tỏa {NOT_REAL}",
            "expires_at": expires_at,
            "is_valid": True,
            "scopes": list(scopes),
        }
        if kind == "PAGE":
            data["profile_id"] = self.scenario.params.page_id
        return {"data": data}
