"""Token endpoints of app-only credentials: a Microsoft Entra app and a Google service account.

==========================================================  =====================================
``POST /microsoft/{tenant}/oauth2/v2.0/token``              client-credentials grant (form
                                                            ``client_id``, ``client_secret``,
                                                            ``scope=https://graph.microsoft.com/
                                                            .default``) → a JWT whose ``roles``
                                                            claim lists the app's permissions
``POST /google/oauth2/token``                               JWT-bearer grant (``assertion``: RS256
                                                            signed by the service account's key)
                                                            → an access token; other grants go to
                                                            the ``fallback`` (YouTube's refresh)
==========================================================  =====================================

Refusals are the real ones' JSON: Entra's ``{"error", "error_description": "AADSTS…",
"error_codes", "timestamp", "trace_id", "correlation_id"}`` — 401 ``invalid_client`` for a wrong
secret, 400 ``invalid_request`` (unknown tenant), ``unauthorized_client`` (unknown app),
``invalid_scope``, ``unsupported_grant_type`` — and Google's ``{"error", "error_description"}`` —
400 ``invalid_grant`` for a bad signature, an unknown account, a wrong audience or a window over
an hour, 401 ``unauthorized_client`` for a scope the account is not granted.

The service account's key pair is generated here (once per process); its JSON key file is what
an officer pastes (``ServiceAccount.key_file``), and the signature is checked against its public
key. Issued tokens live ``TOKEN_TTL`` scenario seconds; the Teams and Meet fakes accept them
(``IssuedTokens``). Assertions' ``iat``/``exp`` are not compared with the clock, only the length
of their window: scenario time need not be the wall clock the signer used.
"""

from __future__ import annotations

import json
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Blueprint, Response, request

from sandbox.clock import Clock
from sandbox.conference import Conference
from sandbox.people import NOT_REAL

TOKEN_TTL = 3599  # seconds, as both platforms answer
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
MAX_ASSERTION_SECONDS = 3600


@dataclass
class EntraApp:
    """The app registration an administrator made in Entra, with its granted permissions."""

    tenant_id: str = "tenant-bhxh-na"  # the Teams fake's tenant
    client_id: str = "3f1c2d4e-0b6a-4c1e-9a7d-bhxhsandbox01"
    client_secret: str = "Q8~sandbox.entra-secret-bhxh-nghean"
    display_name: str = f"Lan Tỏa {NOT_REAL}"
    roles: tuple[str, ...] = (
        "OnlineMeetings.Read.All",
        "OnlineMeetingArtifact.Read.All",
        "CallRecords.Read.All",
    )


@dataclass
class ServiceAccount:
    """A Google Cloud service account and the scopes it may ask for."""

    client_email: str = "lan-toa@bhxh-sandbox.iam.gserviceaccount.com"
    client_id: str = "104200000000000000001"
    project_id: str = "bhxh-sandbox"
    private_key_id: str = "5a1d0c3b2e4f60718293a4b5c6d7e8f9a0b1c2d3"
    scopes: tuple[str, ...] = ("https://www.googleapis.com/auth/meetings.space.readonly",)

    def key_file(self, token_uri: str) -> str:
        """The JSON key Google Cloud lets one download, with this sandbox's private key."""
        key = {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": self.private_key_id,
            "private_key": private_key_pem(),
            "client_email": self.client_email,
            "client_id": self.client_id,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri,
            "universe_domain": "googleapis.com",
        }
        return json.dumps(key, indent=2)


@cache
def _key_pair() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_key_pem() -> str:
    return (
        _key_pair()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


class IssuedTokens:
    """Access tokens handed out, with their claims and end (scenario seconds); revocable."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._tokens: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def add(self, token: str, claims: dict[str, Any]) -> None:
        with self._lock:
            self._tokens[token] = (self.clock.now() + TOKEN_TTL, claims)

    def claims(self, token: str) -> dict[str, Any] | None:
        """The token's claims while it is valid; None for an unknown or expired one."""
        with self._lock:
            found = self._tokens.get(token)
        if found is None or self.clock.now() >= found[0]:
            return None
        return found[1]

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()

    def __len__(self) -> int:
        return len(self._tokens)


def _json(status: int, body: dict[str, Any]) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


class AppTokenEndpoints:
    """Entra's and Google's token endpoints for the conference fakes' app-only accounts."""

    def __init__(
        self,
        conference: Conference,
        clock: Clock,
        graph_tokens: IssuedTokens,
        google_tokens: IssuedTokens,
    ) -> None:
        self.conference = conference
        self.clock = clock
        self.entra = EntraApp()
        self.service_account = ServiceAccount()
        self.graph_tokens = graph_tokens  # the Teams fake accepts these
        self.google_tokens = google_tokens  # the Meet fake accepts these
        self._secret = secrets.token_bytes(32)  # signs the Graph tokens (only ever read)

    def blueprint(
        self, fallback: Callable[[], Response] | None = None, name: str = "sandbox_app_tokens"
    ) -> Blueprint:
        """Both endpoints; ``fallback`` answers the Google endpoint's other grants."""
        bp = Blueprint(name, __name__)
        bp.add_url_rule(
            "/microsoft/<tenant>/oauth2/v2.0/token", "entra", self._entra, methods=["POST"]
        )
        bp.add_url_rule(
            "/google/oauth2/token",
            "google",
            lambda: self._google(fallback),
            methods=["POST"],
        )
        return bp

    # --- Microsoft Entra ---------------------------------------------------------------------

    def _entra_error(self, status: int, error: str, code: int, text: str) -> Response:
        now = self.conference.datetime_at(self.clock.now())
        return _json(
            status,
            {
                "error": error,
                "error_description": f"AADSTS{code}: {text}\r\nTrace ID: {uuid.uuid4()}",
                "error_codes": [code],
                "timestamp": now.strftime("%Y-%m-%d %H:%M:%SZ"),
                "trace_id": str(uuid.uuid4()),
                "correlation_id": str(uuid.uuid4()),
            },
        )

    def _entra(self, tenant: str) -> Response:
        app, form = self.entra, request.form
        if tenant != app.tenant_id:
            return self._entra_error(
                400,
                "invalid_request",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID.",
            )
        if form.get("grant_type") != "client_credentials":
            return self._entra_error(
                400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
            )
        if form.get("client_id") != app.client_id:
            return self._entra_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{form.get('client_id')}' was not found in the "
                f"directory '{tenant}'.",
            )
        if form.get("client_secret") != app.client_secret:
            return self._entra_error(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is "
                f"the client secret value, not the client secret ID, for a secret added to app "
                f"'{app.client_id}'.",
            )
        if form.get("scope") != GRAPH_SCOPE:
            return self._entra_error(
                400,
                "invalid_scope",
                1002012,
                "The provided value for scope is not valid. Client credential flows must have a "
                "scope value with /.default suffixed to the resource identifier.",
            )
        issued = int(self.conference.datetime_at(self.clock.now()).timestamp())
        claims = {
            "aud": "https://graph.microsoft.com",
            "iss": f"https://sts.windows.net/{app.tenant_id}/",
            "iat": issued,
            "nbf": issued,
            "exp": issued + TOKEN_TTL,
            "app_displayname": app.display_name,
            "appid": app.client_id,
            "idtyp": "app",
            "roles": list(app.roles),
            "tid": app.tenant_id,
            "uti": secrets.token_urlsafe(16),
        }
        token = jwt.encode(claims, self._secret, algorithm="HS256")
        self.graph_tokens.add(token, claims)
        body = {"token_type": "Bearer", "expires_in": TOKEN_TTL, "ext_expires_in": TOKEN_TTL}
        return _json(200, {**body, "access_token": token})

    # --- Google ------------------------------------------------------------------------------

    def _google(self, fallback: Callable[[], Response] | None) -> Response:
        if request.form.get("grant_type") != JWT_BEARER:
            if fallback is not None:
                return fallback()
            return self._google_error(400, "unsupported_grant_type", "Invalid grant_type: ")
        account = self.service_account
        assertion = request.form.get("assertion", "")
        try:
            unverified = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.PyJWTError:
            return self._google_error(400, "invalid_grant", "Invalid JWT: malformed assertion.")
        if unverified.get("iss") != account.client_email:
            return self._google_error(400, "invalid_grant", "Invalid grant: account not found")
        try:
            claims = jwt.decode(
                assertion,
                _key_pair().public_key(),
                algorithms=["RS256"],
                audience=request.base_url,
                options={"verify_exp": False, "verify_iat": False, "require": ["exp", "iat"]},
            )
        except jwt.InvalidAudienceError:
            return self._google_error(
                400,
                "invalid_grant",
                f"Invalid JWT: Failed audience check. The right audience is {request.base_url}",
            )
        except jwt.PyJWTError:
            return self._google_error(400, "invalid_grant", "Invalid JWT Signature.")
        window = int(claims["exp"]) - int(claims["iat"])
        if not 0 < window <= MAX_ASSERTION_SECONDS:
            return self._google_error(
                400,
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
                "timeframe. Check your iat and exp values in the JWT claim.",
            )
        wanted = str(claims.get("scope") or "").split()
        if not wanted or any(scope not in account.scopes for scope in wanted):
            return self._google_error(
                401,
                "unauthorized_client",
                "Client is unauthorized to retrieve access tokens using this method, or client "
                "not authorized for any of the scopes requested.",
            )
        token = f"ya29.c.{secrets.token_urlsafe(24)}"
        self.google_tokens.add(token, {"scope": " ".join(wanted), "sub": claims.get("sub")})
        return _json(200, {"access_token": token, "expires_in": TOKEN_TTL, "token_type": "Bearer"})

    @staticmethod
    def _google_error(status: int, error: str, text: str) -> Response:
        return _json(status, {"error": error, "error_description": text})
