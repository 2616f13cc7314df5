"""What the script is made of: authors, Facebook comments, YouTube chat items, past lives."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Author:
    id: str
    name: str


@dataclass(frozen=True)
class ScriptedComment:
    """One Facebook comment: when it appears, what it says over time, when it disappears."""

    seq: int  # chronological rank; also the key behind paging cursors
    id: str
    created: int
    author: Author
    message: str
    parent_id: str | None = None
    edits: tuple[tuple[int, str], ...] = ()
    deleted_at: int | None = None
    # When the page's moderators hid it: Graph still lists it to the page, with is_hidden true.
    hidden_at: int | None = None
    like_count: int = 0

    def message_at(self, t: float) -> str:
        message = self.message
        for at, text in self.edits:
            if at <= t:
                message = text
        return message

    def exists_at(self, t: float) -> bool:
        return self.created <= t and (self.deleted_at is None or t < self.deleted_at)

    def hidden(self, t: float) -> bool:
        return self.hidden_at is not None and self.hidden_at <= t


@dataclass(frozen=True)
class ChatMessage:
    """One YouTube live chat item; deletions are items of their own."""

    seq: int
    id: str
    published: float
    author: Author  # id is the channel id
    text: str
    type: str = "textMessageEvent"
    deleted_id: str | None = None


@dataclass(frozen=True)
class PastLive:
    """An earlier broadcast of the same Page, long since VOD, so listing and filters matter."""

    live_video_id: str
    video_id: str
    title: str
    start: float  # scenario seconds (negative: days ago)
    duration: float
    views: int
    reactions: dict[str, int] = field(default_factory=dict)
    shares: int = 0
