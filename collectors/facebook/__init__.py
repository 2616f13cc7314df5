"""Facebook fanpage livestreams through the Graph API (platform-apis.md §1)."""

from collectors.facebook.discovery import FacebookPageDiscovery
from collectors.facebook.graph import (
    PLATFORM,
    classify,
    graph_error,
    make_client,
    usage_from_headers,
)
from collectors.facebook.live import FacebookLiveCollector

__all__ = [
    "PLATFORM",
    "FacebookLiveCollector",
    "FacebookPageDiscovery",
    "classify",
    "graph_error",
    "make_client",
    "usage_from_headers",
]
