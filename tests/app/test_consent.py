"""Consent is an answer someone gave, to a purpose text we can show again; ``may_process`` is the
one rule of who may be linked and called."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from app.consent import (
    CURRENT,
    PUBLIC_COMMENT,
    PURPOSES,
    may_process,
    person_may_be_processed,
    public_comment_basis,
    read_answer,
)
from app.extensions import db
from app.models import Person

SEEN = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "answer"),
    [("Có", True), ("co", True), ("x", True), ("✓", True), ("Đồng ý", True), (1, True),
     (True, True), ("Không", False), ("KHÔNG", False), ("ko", False), (0.0, False),
     (False, False), ("", None), ("  ", None), (None, None)],
)  # fmt: skip
def test_answers_as_offices_write_them(written: object, answer: bool | None) -> None:
    assert read_answer(written) is answer


@pytest.mark.parametrize("written", ["có lẽ", "?", "2", "chưa hỏi"])
def test_an_unclear_answer_is_refused_never_guessed(written: object) -> None:
    with pytest.raises(ValueError, match="Có"):
        read_answer(written)


def test_the_current_purpose_text_is_vietnamese_and_says_what_for() -> None:
    text = PURPOSES[CURRENT].text
    for words in ("đồng ý", "số điện thoại", "rút lại"):
        assert words in text


def test_the_comment_basis_states_its_retention_limit(app: Flask) -> None:
    app.config["LEAD_RETENTION_DAYS"] = 90
    assert "90 ngày" in public_comment_basis()
    assert "91/2025/QH15" in public_comment_basis()


def test_who_may_be_processed(app: Flask) -> None:
    people = {
        "agreed": Person(consent_agreed=True, consent_at=SEEN, consent_version=CURRENT),
        "refused": Person(consent_agreed=False, consent_at=SEEN, consent_version=CURRENT),
        "never asked": Person(),
        "comment lead": Person(legal_basis=PUBLIC_COMMENT),
        "lead who said no": Person(legal_basis=PUBLIC_COMMENT, consent_agreed=False),
        "withdrew": Person(consent_agreed=True, consent_withdrawn_at=SEEN),
        "erased": Person(legal_basis=PUBLIC_COMMENT, erased_at=SEEN),
    }
    for name, person in people.items():
        person.full_name = name
    db.session.add_all(people.values())
    db.session.flush()
    chosen = set(db.session.scalars(select(Person.full_name).where(may_process())))
    assert chosen == {"agreed", "comment lead"}
    assert {n for n, p in people.items() if person_may_be_processed(p)} == chosen
