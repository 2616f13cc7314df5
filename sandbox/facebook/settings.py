"""``FacebookSettings``: the fake Graph API's budgets and paging knobs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FacebookSettings:
    """Budgets and paging behaviour; the defaults suit the demo, tests shrink them."""

    api_version: str = "v25.0"
    app_calls_per_hour: int = 6000  # X-App-Usage budget (200 × daily active users)
    page_calls_per_hour: int = 4800  # BUC budget for the Page (4800 × engaged users)
    default_limit: int = 25
    max_limit: int = 100
    empty_page_every: int = 10  # every Nth continued comments page is empty but has next; 0 = off
    max_batch: int = 50
    page_token: str = "EAAGsandboxPageToken0BHXHNgheAn"
    # The app and user of the connection flow (sandbox.facebook.tokens).
    app_id: str = "1047000000000001"
    app_secret: str = "sandbox-app-secret-bhxh"
    user_token: str = "EAAGsandboxUserTokenShortLived"
    long_user_token: str = "EAAGsandboxUserTokenLongLived60d"
    # How long the Page token lives, as ``debug_token`` reports it: 0 never expires (one got
    # through a long-lived user token); a Page token from a short-lived user token runs out.
    page_token_seconds: int = 0
    page_scopes: tuple[str, ...] = (
        "pages_show_list",
        "pages_read_engagement",
        "pages_read_user_content",
        "read_insights",
    )
    user_scopes: tuple[str, ...] = ("pages_show_list", "pages_read_engagement")
