"""Graph field expansion syntax: what the sandbox parses."""

from __future__ import annotations

import pytest

from sandbox.facebook.fields import FieldSpec, FieldSyntaxError, format_fields, parse_fields


def test_flat_fields_keep_their_order() -> None:
    assert [s.name for s in parse_fields("id,status,live_views")] == ["id", "status", "live_views"]


def test_modifiers_alias_and_params() -> None:
    (spec,) = parse_fields("reactions.type(LOVE).limit(0).summary(total_count).as(love)")
    assert spec.name == "reactions"
    assert spec.key == "love"
    assert spec.params() == {"type": "LOVE", "limit": "0", "summary": "total_count"}
    assert spec.children is None


def test_nested_subfields_and_modifiers_on_either_side() -> None:
    specs = parse_fields(
        "live_videos.limit(5){id,comments.summary(true).limit(0),video{id}},from{name}.as(who)"
    )
    live, author = specs
    assert live.modifier("limit") == "5"
    assert [c.name for c in live.children or ()] == ["id", "comments", "video"]
    assert live.children[1].params() == {"summary": "true", "limit": "0"}  # type: ignore[index]
    assert live.children[2].children == (FieldSpec("id"),)  # type: ignore[index]
    assert author.key == "who"
    assert author.children == (FieldSpec("name"),)


def test_format_round_trips() -> None:
    text = "id,comments.limit(3).summary(true){id,message,from{id,name}},reactions.as(r)"
    assert format_fields(parse_fields(text)) == text


def test_spaces_after_commas_are_tolerated() -> None:
    assert [s.name for s in parse_fields("id, message ,created_time")] == [
        "id",
        "message",
        "created_time",
    ]


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("id,,message", 3),
        ("id,", 3),
        ("video{id", 8),
        ("video{id}}", 9),
        ("comments.limit(5", 16),
        ("comments.limit", 14),
        ("id;message", 2),
        ("", 0),
    ],
)
def test_syntax_errors_say_where(text: str, position: int) -> None:
    with pytest.raises(FieldSyntaxError) as info:
        parse_fields(text)
    assert info.value.position == position
    assert str(info.value).startswith("Syntax error")
