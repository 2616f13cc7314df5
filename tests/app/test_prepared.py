"""app.prepared: a statement is compiled once per key, however many threads ask for it at once.

A check-in burst starts with every worker thread asking for the same statements together; each
compiling its own copy only made them all wait longer for the GIL. The session here is on the
engine (``committing``), as when served, so the statements take the compiled path.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Select, literal, select

from app import prepared

pytestmark = [pytest.mark.postgres, pytest.mark.committing]
THREADS = 8


def test_threads_asking_at_once_compile_a_statement_once(app: Flask, backend: str) -> None:
    built: list[int] = []
    asked = threading.Semaphore(0)

    def build() -> Select[Any]:
        built.append(1)
        if len(built) == 1:  # the first compile waits until every other thread has asked too
            for _ in range(THREADS):  # its own thread included
                assert asked.acquire(timeout=10)
        return select(literal(41).label("answer") + 1)

    def ask(_n: int) -> tuple[Any, ...] | None:
        with app.app_context():
            asked.release()
            return prepared.first("tests.answer", build)

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(ask, range(THREADS)))
    assert answers == [(42,)] * THREADS
    assert len(built) == 1
    assert ((backend, "tests.answer") in app.extensions["lantoa_prepared"]) is True
