"""Facebook fanpage livestreams and posts through the Graph API (graph.facebook.com)."""

from collectors.facebook.discovery import FacebookPageDiscovery, describe_live
from collectors.facebook.graph import (
    ERROR_TABLE,
    PLATFORM,
    make_client,
    usage_from_headers,
)
from collectors.facebook.live import FacebookLiveCollector
from collectors.facebook.post import FacebookPostCollector

__all__ = [
    "ERROR_TABLE",
    "PLATFORM",
    "FacebookLiveCollector",
    "FacebookPageDiscovery",
    "FacebookPostCollector",
    "describe_live",
    "make_client",
    "usage_from_headers",
]
