"""Paginators that know when to stop, and refuse to loop when an API repeats a page token.

Facebook pages by ``paging.cursors.after`` and stops only when ``paging.next`` is absent (a short or
even empty page does not mean the end); YouTube, Zoom and Meet hand back a next-page token; Graph
(Microsoft) a next URL. A cap on pages per run keeps one busy target from starving the others; the
cursor lets the next run continue.
"""

from __future__ import annotations

from collectors.errors import TransientError

DEFAULT_MAX_PAGES = 20


class PageLoop(TransientError):
    """The API handed back a token we already followed: stop rather than loop forever."""


class Paginator:
    """Tracks tokens (cursors, page tokens or next URLs) across the pages of one run."""

    def __init__(self, max_pages: int = DEFAULT_MAX_PAGES) -> None:
        self.max_pages = max_pages
        self.pages = 0
        self.seen: set[str] = set()
        self.token: str | None = None
        self.capped = False

    def advance(self, token: str | None) -> bool:
        """Record the token for the next page; True if there is one to fetch."""
        self.pages += 1
        if not token:
            self.token = None
            return False
        if token in self.seen:
            raise PageLoop(f"page token repeated after {self.pages} pages")
        self.seen.add(token)
        self.token = token
        if self.pages >= self.max_pages:
            self.capped = True
            return False
        return True
