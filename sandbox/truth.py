"""The ground truth the control surface serves: what the livestream fakes served, and the
conference's halls at one moment.

Collector, runner and acceptance tests compare what the app stored or shows with it;
``GET /_sandbox/truth`` serves every part by name (``facebook``, ``youtube``, ``conference``) and
``GET /_sandbox/conference/truth[?t=]`` the conference's.

- ``GroundTruth``: what the Facebook and YouTube fakes actually *served*, in the terms a collector
  would store it. An answer's notes (``Served``) are applied only once it went out intact, so a
  malformed body or an error never counts as seen.
- ``conference_truth``: what the app should show once it has collected every roster and every
  check-in up to ``t``: halls connected out of expected, people present (latest head counts) out
  of expected, and per hall its first join, last leave, whole minutes connected and drop-outs.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from sandbox.conference import Conference, Session


class Served:
    """What one answer showed, applied to the truth only once the answer goes out intact."""

    def __init__(self) -> None:
        self.notes: list[tuple[str, tuple[Any, ...]]] = []

    def note(self, what: str, *args: Any) -> None:
        self.notes.append((what, args))


class GroundTruth:
    """Everything the livestream fakes served, in the terms a collector would store it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._fb: dict[str, Any] = {
                "comments": {},
                "reactions": {},
                "reactions_total": None,
                "shares": None,
                "max_live_views": 0,
                "total_views": None,
                "insights": {},
            }
            self._yt: dict[str, Any] = {
                "max_concurrent_viewers": 0,
                "view_count": None,
                "like_count": None,
                "comment_count": None,
                "chat_messages": {},
                "chat_message_ids": [],
                "replay_comments": {},
            }

    def pending(self) -> Served:
        """A fresh record for one answer; ``commit`` it once the answer went out intact."""
        return Served()

    def commit(self, served: Served) -> None:
        with self._lock:
            for what, args in served.notes:
                getattr(self, f"_on_{what}")(*args)

    def facebook(self) -> dict[str, Any]:
        """What the Graph fake served, as a deep, plain copy: safe to keep while serving goes on."""
        with self._lock:
            fb = self._fb
            return {
                **fb,
                "comments": {k: dict(v) for k, v in fb["comments"].items()},
                "comment_ids": sorted(fb["comments"]),
                # The Page's own replies among them: the audience's comments are the others.
                "page_comment_ids": sorted(k for k, v in fb["comments"].items() if v["by_page"]),
                "reactions": dict(fb["reactions"]),
                "insights": {
                    k: dict(v) if isinstance(v, dict) else v for k, v in fb["insights"].items()
                },
            }

    def youtube(self) -> dict[str, Any]:
        """What the YouTube fake served, as a deep, plain copy."""
        with self._lock:
            yt = self._yt
            return {
                **yt,
                "chat_messages": dict(yt["chat_messages"]),
                "chat_message_ids": list(yt["chat_message_ids"]),
                "replay_comments": {k: dict(v) for k, v in yt["replay_comments"].items()},
                "replay_comment_ids": sorted(yt["replay_comments"]),
            }

    def _on_comment(
        self, comment_id: str, message: str, parent_id: str | None, created: str, by_page: bool
    ) -> None:
        self._fb["comments"][comment_id] = {
            "message": message,
            "parent_id": parent_id,
            "created_time": created,
            "by_page": by_page,
        }

    def _on_reactions(self, kind: str | None, count: int) -> None:
        if kind is None:
            self._fb["reactions_total"] = count
        else:
            self._fb["reactions"][kind] = count

    def _on_shares(self, count: int) -> None:
        self._fb["shares"] = count

    def _on_live_views(self, count: int) -> None:
        self._fb["max_live_views"] = max(self._fb["max_live_views"], count)

    def _on_total_views(self, count: int) -> None:
        self._fb["total_views"] = count

    def _on_insight(self, name: str, value: Any) -> None:
        self._fb["insights"][name] = value

    def _on_yt_viewers(self, count: int) -> None:
        self._yt["max_concurrent_viewers"] = max(self._yt["max_concurrent_viewers"], count)

    def _on_yt_statistics(self, stats: dict[str, int]) -> None:
        self._yt["view_count"] = stats["viewCount"]
        self._yt["like_count"] = stats["likeCount"]
        self._yt["comment_count"] = stats["commentCount"]

    def _on_chat(self, message_id: str, kind: str, text: str) -> None:
        if message_id not in self._yt["chat_messages"]:
            self._yt["chat_message_ids"].append(message_id)
        self._yt["chat_messages"][message_id] = {"type": kind, "text": text}

    def _on_yt_comment(
        self, comment_id: str, text: str, parent_id: str | None, published: str
    ) -> None:
        self._yt["replay_comments"][comment_id] = {
            "text": text,
            "parent_id": parent_id,
            "published_at": published,
        }


def conference_truth(conference: Conference, t: float) -> dict[str, Any]:
    """Sessions not yet ended count up to ``t``; a hall is connected once it joined (a head count
    alone does not connect it), reported once it sent a head count."""
    reported, expected = conference.reported(t), conference.expected()
    sessions: dict[str, list[Session]] = defaultdict(list)
    non_halls: set[str] = set()
    for s in conference.sessions_started(t):
        if s.attendee.commune is None:
            non_halls.add(s.name)
        else:
            sessions[s.attendee.commune].append(s)

    def iso(when: float | None) -> str | None:
        return None if when is None else conference.datetime_at(when).isoformat()

    halls = []
    for attendee in conference.halls():
        commune = str(attendee.commune)
        own = sessions.get(commune, [])
        spans = [(s.join, min(s.leave, t)) for s in own]
        halls.append(
            {
                "commune": commune,
                "names": sorted({s.name for s in own}),
                "expected": expected[commune],
                "head_count": reported.get(commune),
                "first_join": iso(min((a for a, _ in spans), default=None)),
                "last_leave": iso(max((b for _, b in spans), default=None)),
                "minutes_connected": sum(b - a for a, b in spans) // 60,
                "drop_outs": max(len(own) - 1, 0),
            }
        )
    connected = [h for h in halls if h["first_join"]]
    return {
        "t": t,
        "phase": conference.phase(t),
        "halls_expected": len(halls),
        "halls_connected": len(connected),
        "halls_reported": sum(1 for h in halls if h["head_count"] is not None),
        "people_expected": sum(expected.values()),
        "people_present": sum(reported.values()),
        "halls": halls,
        "non_halls": sorted(non_halls),
        "head_counts": [
            {"commune": r.commune, "t": r.t, "count": r.count, "key": r.key}
            for r in conference.head_counts(t)
        ],
    }
