"""The channel owner's side of the fake: Google's token endpoint and ``channels.list mine``.

``POST /google/oauth2/token`` (mounted by ``sandbox.oauth_apps``; form
``grant_type=refresh_token``, ``client_id``, ``client_secret``, ``refresh_token``) answers
``{"access_token", "expires_in": 3599, "scope", "token_type"}`` with the token the Data API
accepts now; a wrong client is 401 ``invalid_client``, an unknown refresh token 400
``invalid_grant`` ("Token has been expired or revoked."), as Google answers.
``GET /youtube/v3/channels?part=snippet&mine=true`` (OAuth only) lists the channel.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from flask import Response, request

from sandbox.youtube.errors import GoogleError

if TYPE_CHECKING:
    from sandbox.faults import Fault
    from sandbox.truth import Served
    from sandbox.youtube.settings import YouTubeSettings

ACCESS_SECONDS = 3599


class ChannelsMixin:
    settings: YouTubeSettings
    oauth_token: str

    def _channels(
        self, params: dict[str, str], t: float, served: Served, fault: Fault | None
    ) -> dict[str, Any]:
        if params.get("mine") != "true" or "Authorization" not in request.headers:
            raise GoogleError(400, "missingRequiredParameter", "No filter selected.")
        s = self.settings
        item = {
            "kind": "youtube#channel",
            "id": s.channel_id,
            "snippet": {"title": s.channel_title, "customUrl": "@bhxhnghean"},
        }
        return {"kind": "youtube#channelListResponse", "items": [item]}

    def refresh_grant(self) -> Response:
        """Google's token endpoint for a refresh token (``sandbox.oauth_apps`` routes it here)."""
        form, s = request.form, self.settings
        if form.get("client_id") != s.client_id or form.get("client_secret") != s.client_secret:
            body: dict[str, Any] = {
                "error": "invalid_client",
                "error_description": "The OAuth client was not found.",
            }
            return Response(json.dumps(body), status=401, mimetype="application/json")
        if (
            form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") != s.refresh_token
        ):
            body = {
                "error": "invalid_grant",
                "error_description": "Token has been expired or revoked.",
            }
            return Response(json.dumps(body), status=400, mimetype="application/json")
        body = {
            "access_token": self.oauth_token,
            "expires_in": ACCESS_SECONDS,
            "scope": s.scope,
            "token_type": "Bearer",
        }
        return Response(json.dumps(body), mimetype="application/json")
