"""A new event with links typed on its form: all or nothing.

The links are checked with their platforms (``app.collection.links.check_links``) before the event
is written; one that cannot be tracked refuses the whole form, each wrong line named with its
number and why, so that an officer who fixes the link and submits again does not get a second
event. Links that can be tracked are confirmed on the next page with what their platforms said
then, not read a second time (``app.events.pending_links``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from flask_babel import lazy_gettext as _l

from app.events.services import FieldError, create_event
from app.models import Channel, Event, User

if TYPE_CHECKING:
    from app.collection.links import Checked

NOT_SAVED = _l(
    "The event is not saved yet: fix or remove the wrong links below, or leave this box empty and "
    "add the links later on the event page."
)
LINE_PROBLEM = _l("Line %(num)s (“%(line)s”): %(problem)s")
LINE_SHOWN = 60  # characters of a wrong line repeated in its message


class FormRefused(FieldError):
    """Several fields' errors at once: ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        field, messages = next(iter(errors.items()))
        super().__init__(field, messages[0])
        self.errors = errors


class Created(NamedTuple):
    """The new event, and what the platforms said of its links (kept for their confirmation, so
    that each is read once)."""

    event: Event
    checked: list[Checked]


def create_with_links(data: dict[str, Any], text: str, user: User) -> Created:
    """``create_event``, refused (``FormRefused``, writing nothing) when a typed link cannot be
    tracked; the other fields' errors come in the same refusal."""
    problems, checked = link_problems(Channel(data["channel"]), data["planned_start"], text, user)
    try:
        event = create_event(data, user)
    except FieldError as exc:
        if not problems:
            raise
        raise FormRefused({"links": problems, exc.field: [exc.message]}) from exc
    if problems:
        raise FormRefused({"links": problems})
    return Created(event, checked)


def link_problems(
    channel: Channel, planned_start: datetime | None, text: str, user: User
) -> tuple[list[str], list[Checked]]:
    """Why the links typed for a new event cannot be tracked, one sentence a wrong line (with
    a first one saying nothing was saved), [] when every line can be or none was typed; and
    each line as checked."""
    from app.collection.links import check_links  # it reads the events' services

    if not text.strip():
        return [], []
    # Not added to the session: only its channel and planned start matter to the check, and
    # it has no targets yet.
    draft = Event(channel=channel, planned_start=planned_start)
    try:
        checked = check_links(draft, text, user)
    except FieldError as exc:  # too many lines
        return [str(NOT_SAVED), exc.message], []
    numbers = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    wrong = [
        str(LINE_PROBLEM % {"num": n, "line": _shown(item.line), "problem": item.problem})
        for n, item in zip(numbers, checked, strict=True)
        if not item.ok
    ]
    return ([str(NOT_SAVED), *wrong] if wrong else []), checked


def _shown(line: str) -> str:
    return line if len(line) <= LINE_SHOWN else line[: LINE_SHOWN - 1] + "…"
