"""Where a comment is on its platform, for an officer who wants to read it in place.

Facebook opens a comment by its Graph id (``https://www.facebook.com/<comment id>``, the
``{post}_{comment}`` form the Graph API returns); YouTube by the video and the comment
(``watch?v=<video>&lc=<comment id>``). Meetings' chats have no public address: no link.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode


def comment_url(target_kind: str, target_external_id: str, comment_external_id: str) -> str | None:
    if not comment_external_id:
        return None
    if target_kind.startswith("facebook"):
        return f"https://www.facebook.com/{quote(comment_external_id, safe='_')}"
    if target_kind.startswith("youtube"):
        query = urlencode({"v": target_external_id, "lc": comment_external_id})
        return f"https://www.youtube.com/watch?{query}"
    return None
