"""An ended livestream says when its counters are read next and for how long, in Vietnamese,
never an endless "reading the final figures"; the page's script says the same words."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask_babel import force_locale

from app.live.words import script_words
from app.status.words import ended_state
from tests.app.test_labels import compiled_catalog  # noqa: F401  (the .po's words, compiled)

ENDED = datetime(2026, 12, 6, 22, 44, tzinfo=UTC)  # 05:44 on 07/12/2026 in Hà Nội


def test_the_next_reading_is_dated_in_vietnamese(app: Flask) -> None:
    now = datetime(2026, 12, 6, 23, 10, tzinfo=UTC)
    with app.test_request_context(), force_locale("vi"):
        assert ended_state(datetime(2026, 12, 6, 23, 45, tzinfo=UTC), now) == (
            "Đã kết thúc. Lần đọc tiếp theo: 07/12/2026 06:45; số liệu còn tăng trong 7 ngày"
        )
        # SQLite gives the time back without its zone: still UTC.
        assert "07/12/2026 06:45" in ended_state(datetime(2026, 12, 6, 23, 45), now)  # noqa: DTZ001
        # Overdue (the runner is on it): no time in the past.
        assert ended_state(ENDED, now) == "Đã kết thúc: đang đọc số liệu"
        assert ended_state(None, now) == "Đã kết thúc: đang đọc số liệu"


def test_the_script_fills_the_same_sentence(app: Flask) -> None:
    with app.test_request_context(), force_locale("vi"):
        words = script_words()
        assert words["ended"] == (
            "Đã kết thúc. Lần đọc tiếp theo: __T__; số liệu còn tăng trong 7 ngày"
        )
        assert words["ended_now"] == "Đã kết thúc: đang đọc số liệu"
        assert "cuối cùng" not in str(words)
