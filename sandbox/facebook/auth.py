"""Token auth for the fake Graph API: the one valid Page token, expiry and renewal."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from sandbox.facebook.errors import GraphError

if TYPE_CHECKING:
    from sandbox.facebook.settings import FacebookSettings


class AuthMixin:
    """The Page token ``FacebookFake`` accepts, and what it answers for any other."""

    settings: FacebookSettings
    token: str
    _lock: threading.Lock
    _retired: set[str]
    _expired: bool
    _renewals: int

    def expire_token(self) -> None:
        with self._lock:
            self._expired = True

    def renew_token(self, token: str | None = None) -> str:
        with self._lock:
            self._renewals += 1
            new = token or f"{self.settings.page_token}R{self._renewals}"
            if new != self.token:
                self._retired.add(self.token)
            self.token, self._expired = new, False
            return new

    def _authenticate(self, token: str | None) -> None:
        with self._lock:
            if not token:
                raise GraphError(104, "An access token is required to request this resource.")
            if token == self.token and not self._expired:
                return
            if token == self.token or token in self._retired:
                raise GraphError(
                    190,
                    "Error validating access token: Session has expired.",
                    subcode=463,
                )
        raise GraphError(190, "Invalid OAuth access token.", subcode=467)


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, or None."""
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None
