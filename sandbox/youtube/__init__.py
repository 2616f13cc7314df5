"""A fake YouTube Data API v3 for the scenario's live video, under ``/youtube/v3/``.

Implements ``videos.list`` with snippet, statistics (counts as strings) and
liveStreamingDetails (``concurrentViewers`` and ``activeLiveChatId`` only while live,
``actualEndTime`` after); ``liveChatMessages.list`` oldest → newest with
``nextPageToken``, ``pollingIntervalMillis``, ``offlineAt`` after the end and then 403
``liveChatEnded``, and 403 ``rateLimitExceeded`` when polled sooner than the interval;
``commentThreads.list``, the comments under the replay (newest first, replies included, 404
``videoNotFound``, 403 ``commentsDisabled``); ``comments.list``, a thread's replies by
``parentId`` (oldest first, 404 ``commentNotFound``) or comments by ``id``; a daily quota per
project with 403 ``quotaExceeded``; ``key=`` or Bearer auth and the Google error envelope.

Choices Google's documentation leaves open: ``liveChatMessages.list`` costs 5 units by default
(``commentThreads.list`` and ``comments.list`` 1, as the reference says; all configurable);
``liveChatEnded`` is 403; after the end the chat answers with ``offlineAt`` for
``offline_grace_seconds`` and then ``liveChatEnded``; a request that would pass the quota is
refused rather than allowed to overdraw; ``token_expired`` disables both the OAuth token (401)
and the API key (400 ``keyInvalid``) until renewed; a comment thread carries at most five
replies.

``YouTubeFake`` (``fake``: state, blueprint, auth, quota, faults) is built from the ``videos``,
``chat``, ``comments`` and ``channels`` mixins; ``errors`` holds the ``GoogleError`` envelope and
parameter checks, ``formats`` the time and etag writers, ``settings`` the knobs.
"""

from sandbox.youtube.errors import GoogleError, quota_exceeded, rate_limit_exceeded
from sandbox.youtube.fake import YouTubeFake
from sandbox.youtube.settings import YouTubeSettings

__all__ = [
    "GoogleError",
    "YouTubeFake",
    "YouTubeSettings",
    "quota_exceeded",
    "rate_limit_exceeded",
]
