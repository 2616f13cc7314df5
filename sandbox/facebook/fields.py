"""Graph API field expansion: parse and print ``fields=`` values.

Implements Graph's nested-field syntax and its ``.as(alias)`` pattern::

    id,status,live_views,video{id},comments.limit(0).summary(true),
    reactions.type(LOVE).limit(0).summary(total_count).as(love),
    live_videos.limit(5){id,status,comments.summary(true).limit(0)}

A field is a name, then any number of ``.modifier(value)`` and at most one ``{subfields}`` block,
in any order. The sandbox answers malformed input with Graph's error 100 "Syntax error", so the
parser reports the character where it gave up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"[A-Za-z0-9_]+")


class FieldSyntaxError(ValueError):
    """A ``fields`` value Graph would refuse; ``position`` is 0-based."""

    def __init__(self, expected: str, text: str, position: int) -> None:
        found = text[position] if position < len(text) else "end of string"
        super().__init__(
            f'Syntax error "Expected {expected} instead of "{found}"." '
            f"at character {position}: {text}"
        )
        self.position = position


@dataclass(frozen=True)
class FieldSpec:
    """One requested field: ``name``, its modifiers in order, and its subfields if any."""

    name: str
    modifiers: tuple[tuple[str, str], ...] = ()
    children: tuple[FieldSpec, ...] | None = None

    @property
    def key(self) -> str:
        """The key the answer uses: the ``.as(alias)`` if given, else the name."""
        return self.modifier("as") or self.name

    def modifier(self, name: str) -> str | None:
        for key, value in self.modifiers:
            if key == name:
                return value
        return None

    def params(self) -> dict[str, str]:
        """Modifiers as edge parameters (``limit``, ``summary``, ``type``…), without ``as``."""
        return {key: value for key, value in self.modifiers if key != "as"}


def parse_fields(text: str) -> tuple[FieldSpec, ...]:
    """Parse a ``fields`` value.

    Raises:
        FieldSyntaxError: on empty names, unbalanced braces or parentheses, stray characters.
    """
    parser = _Parser(text)
    specs = parser.fields(closing=None)
    return tuple(specs)


def format_fields(specs: tuple[FieldSpec, ...] | list[FieldSpec]) -> str:
    """The inverse of :func:`parse_fields`, used to build ``paging.next`` URLs of nested edges."""
    return ",".join(_format(spec) for spec in specs)


def _format(spec: FieldSpec) -> str:
    text = spec.name + "".join(f".{key}({value})" for key, value in spec.modifiers)
    if spec.children is not None:
        text += "{" + format_fields(spec.children) + "}"
    return text


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fields(self, closing: str | None) -> list[FieldSpec]:
        specs = [self.field()]
        while True:
            self.skip_space()
            char = self.peek()
            if char == ",":
                self.pos += 1
                specs.append(self.field())
            elif char == closing:
                return specs
            else:
                raise FieldSyntaxError("end of string" if closing is None else "}", *self.where())

    def field(self) -> FieldSpec:
        self.skip_space()
        name = self.name()
        modifiers: list[tuple[str, str]] = []
        children: tuple[FieldSpec, ...] | None = None
        while True:
            char = self.peek()
            if char == ".":
                self.pos += 1
                modifier = self.name()
                self.expect("(")
                end = self.text.find(")", self.pos)
                if end < 0 or "(" in self.text[self.pos : end]:
                    raise FieldSyntaxError(")", self.text, len(self.text) if end < 0 else end)
                modifiers.append((modifier, self.text[self.pos : end].strip()))
                self.pos = end + 1
            elif char == "{" and children is None:
                self.pos += 1
                children = tuple(self.fields(closing="}"))
                self.expect("}")
            else:
                return FieldSpec(name, tuple(modifiers), children)

    def name(self) -> str:
        match = _NAME.match(self.text, self.pos)
        if match is None:
            raise FieldSyntaxError("field name", *self.where())
        self.pos = match.end()
        return match.group(0)

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise FieldSyntaxError(f'"{char}"', *self.where())
        self.pos += 1

    def peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def where(self) -> tuple[str, int]:
        return self.text, self.pos
