"""What each kind of connection asks for: its platform, its fields, which are secret.

A field's ``key`` is the credentials key the collectors read. Secret fields are never shown back
(only their last four characters) and an empty secret on an edit keeps the stored one. Fields
naming a server (``servers.URL_KEYS``) are shown to administrators only.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Field:
    key: str
    label: LazyString
    secret: bool = False
    required: bool = True
    multiline: bool = False
    hint: LazyString | None = None


@dataclass(frozen=True)
class Kind:
    key: str
    platform: str
    label: LazyString
    fields: tuple[Field, ...]
    servers: tuple[str, ...] = ("base_url",)  # address fields an administrator may set


SERVER_LABELS = {
    "base_url": _l("Server address"),
    "token_url": _l("Token endpoint address"),
    "oauth_url": _l("OAuth server address"),
}

KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(
            "facebook",
            "facebook",
            _l("Facebook Page"),
            (
                Field("page_id", _l("Page ID")),
                Field(
                    "access_token",
                    _l("Page access token"),
                    secret=True,
                    required=False,
                    hint=_l("Or leave empty and fill the three fields below to get it."),
                ),
                Field("app_id", _l("App ID"), required=False),
                Field("app_secret", _l("App secret"), secret=True, required=False),
                Field(
                    "user_token",
                    _l("User access token (exchanged, not stored)"),
                    secret=True,
                    required=False,
                    hint=_l("Exchanged for the Page's long-lived token through the Graph API."),
                ),
            ),
        ),
        Kind(
            "youtube",
            "youtube",
            _l("YouTube channel"),
            (
                Field("client_id", _l("OAuth client ID")),
                Field("client_secret", _l("OAuth client secret"), secret=True),
                Field("refresh_token", _l("Refresh token"), secret=True),
            ),
            servers=("base_url", "token_url"),
        ),
        Kind(
            "zoom",
            "zoom",
            _l("Zoom Server-to-Server app"),
            (
                Field("account_id", _l("Account ID")),
                Field("client_id", _l("Client ID")),
                Field("client_secret", _l("Client secret"), secret=True),
            ),
            servers=("base_url", "token_url"),
        ),
        Kind(
            "teams",
            "teams",
            _l("Microsoft Graph app (Teams)"),
            (
                Field(
                    "tenant_id",
                    _l("Tenant ID"),
                    hint=_l("The directory (tenant) ID or domain of the Entra app's organisation."),
                ),
                Field("client_id", _l("Client ID")),
                Field(
                    "client_secret",
                    _l("Client secret"),
                    secret=True,
                    hint=_l(
                        "The secret's value (not its ID). The app needs the application "
                        "permissions OnlineMeetings.Read.All and OnlineMeetingArtifact.Read.All."
                    ),
                ),
                Field(
                    "organizer_id",
                    _l("Organizer user ID"),
                    hint=_l("The ID or e-mail of the user who organises the meetings to follow."),
                ),
            ),
            servers=("base_url", "token_url"),
        ),
        Kind(
            "meet",
            "meet",
            _l("Google service account (Meet)"),
            (
                Field(
                    "service_account_json",
                    _l("Service account JSON key"),
                    secret=True,
                    multiline=True,
                    hint=_l("Paste the whole key file downloaded from Google Cloud."),
                ),
                Field(
                    "delegated_user",
                    _l("Workspace user acted for"),
                    required=False,
                    hint=_l(
                        "With domain-wide delegation: the e-mail of the user whose meetings "
                        "are read."
                    ),
                ),
            ),
            servers=("base_url", "token_url"),
        ),
        Kind(
            "bbb",
            "bbb",
            _l("BigBlueButton server"),
            (Field("secret", _l("Shared secret"), secret=True),),
        ),
        Kind(
            "zalo",
            "zalo",
            _l("Zalo Official Account"),
            (
                Field("app_id", _l("App ID")),
                Field("secret_key", _l("App secret key"), secret=True),
                Field("refresh_token", _l("Refresh token"), secret=True),
            ),
            servers=("base_url", "oauth_url"),
        ),
    )
}
PLATFORM_KINDS = {kind.platform: kind for kind in KINDS.values()}
