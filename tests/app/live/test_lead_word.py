"""One word for a lead comment: the live page's badge on a comment card said "Khách hàng tiềm
năng" where its own checkbox and counter, and every other page, say "Bình luận quan tâm"."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from app.labels import LIVESTREAM_METRIC
from app.live.words import script_words


def test_the_comment_badge_says_what_the_counter_says(app: Flask) -> None:
    with app.test_request_context(), force_locale("vi"):
        assert script_words()["lead"] == str(LIVESTREAM_METRIC["leads"]) == "Bình luận quan tâm"
        assert "tiềm năng" not in " ".join(str(w) for w in script_words().values())
