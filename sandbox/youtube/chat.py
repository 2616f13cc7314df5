"""``liveChatMessages.list``: oldest → newest with ``nextPageToken`` and
``pollingIntervalMillis``, ``offlineAt`` after the end, then ``liveChatEnded``, and
``rateLimitExceeded`` when polled sooner than the interval."""

from __future__ import annotations

import base64
import threading
from typing import TYPE_CHECKING, Any

from sandbox.youtube.errors import (
    GoogleError,
    int_in_range,
    rate_limit_exceeded,
    requested_parts,
    required_param,
)
from sandbox.youtube.formats import etag, youtube_time

if TYPE_CHECKING:
    from sandbox.faults import Fault
    from sandbox.scenario import ChatMessage, Scenario
    from sandbox.truth import Served
    from sandbox.youtube.settings import YouTubeSettings

CHAT_PARTS = frozenset({"id", "snippet", "authorDetails"})


class ChatMixin:
    """The live chat of the scenario's video, paged by token and paced by the polling interval."""

    scenario: Scenario
    settings: YouTubeSettings
    _lock: threading.Lock
    _next_poll: dict[str, float]
    _serial: int

    def _chat(
        self, params: dict[str, str], t: float, served: Served, fault: Fault | None
    ) -> dict[str, Any]:
        s = self.scenario
        chat_id = required_param(params, "liveChatId")
        parts = requested_parts(params, CHAT_PARTS)
        if chat_id != s.params.live_chat_id:
            raise GoogleError(
                404,
                "liveChatNotFound",
                "The live chat that you are trying to retrieve cannot be found.",
                "youtube.liveChat",
            )
        max_results = self._max_results(params)
        end = s.end_time("youtube")
        if t >= end + self.settings.offline_grace_seconds:
            raise GoogleError(
                403, "liveChatEnded", "The live chat is no longer live.", "youtube.liveChat"
            )
        self._check_pacing(chat_id, t)
        items = s.visible_chat(t)
        token = params.get("pageToken")
        position = _decode_token(token) if token else None
        if position is None:  # the first call returns recent history
            start = max(0, len(items) - max_results)
        else:
            start = next((n for n, m in enumerate(items) if m.seq > position), len(items))
        chosen = items[start : start + max_results]
        origin = items[start - 1].seq if start > 0 else -1
        if fault is not None and fault.kind == "duplicate_page":
            next_token = token or self._encode_token(origin)
        elif fault is not None and fault.kind == "overlapping_page" and chosen:
            back = len(chosen) - 1 - int(fault.opt("overlap", 3))
            next_token = self._encode_token(chosen[back].seq if back >= 0 else origin)
        else:
            last = chosen[-1].seq if chosen else (position if position is not None else origin)
            next_token = self._encode_token(last)
        for message in chosen:
            served.note("chat", message.id, message.type, message.text)
        body: dict[str, Any] = {
            "kind": "youtube#liveChatMessageListResponse",
            "etag": etag(),
            "nextPageToken": next_token,
            "pollingIntervalMillis": self.settings.polling_interval_ms,
        }
        if t >= end:
            body["offlineAt"] = youtube_time(s.datetime_at(end))
        body["pageInfo"] = {"totalResults": len(chosen), "resultsPerPage": len(chosen)}
        body["items"] = [self._chat_item(m, chat_id, parts) for m in chosen]
        return body

    def _max_results(self, params: dict[str, str]) -> int:
        low, high = self.settings.max_results_range
        return int_in_range(params, "maxResults", self.settings.default_max_results, low, high)

    def _check_pacing(self, chat_id: str, t: float) -> None:
        """403 rateLimitExceeded when polled before the last ``pollingIntervalMillis`` ran out."""
        with self._lock:
            if self.settings.enforce_polling_interval and t < self._next_poll.get(chat_id, -1.0):
                raise rate_limit_exceeded()
            self._next_poll[chat_id] = t + self.settings.polling_interval_ms / 1000

    def _chat_item(self, message: ChatMessage, chat_id: str, parts: set[str]) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": "youtube#liveChatMessage",
            "etag": etag(),
            "id": message.id,
        }
        if "snippet" in parts:
            snippet: dict[str, Any] = {
                "type": message.type,
                "liveChatId": chat_id,
                "authorChannelId": message.author.id,
                "publishedAt": youtube_time(
                    self.scenario.datetime_at(message.published), millis=True
                ),
                "hasDisplayContent": message.type == "textMessageEvent",
            }
            if message.type == "textMessageEvent":
                snippet["displayMessage"] = message.text
                snippet["textMessageDetails"] = {"messageText": message.text}
            elif message.type == "messageDeletedEvent":
                snippet["messageDeletedDetails"] = {"deletedMessageId": message.deleted_id}
            item["snippet"] = snippet
        if "authorDetails" in parts:
            owner = message.author.id == self.scenario.params.youtube_channel_id
            item["authorDetails"] = {
                "channelId": message.author.id,
                "channelUrl": f"http://www.youtube.com/channel/{message.author.id}",
                "displayName": message.author.name,
                "profileImageUrl": f"https://yt3.ggpht.com/sandbox/{message.author.id}",
                "isVerified": False,
                "isChatOwner": owner,
                "isChatSponsor": False,
                "isChatModerator": owner,
            }
        return item

    def _encode_token(self, position: int) -> str:
        with self._lock:
            self._serial += 1
            serial = self._serial
        return base64.urlsafe_b64encode(f"GO{position}:{serial}".encode()).decode().rstrip("=")


def _decode_token(token: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if not raw.startswith("GO"):
            raise ValueError(token)
        return int(raw[2:].split(":")[0])
    except ValueError as exc:
        raise GoogleError(
            400,
            "pageTokenInvalid",
            "The page token is not valid.",
            "youtube.liveChat",
            location="pageToken",
            locationType="parameter",
        ) from exc
