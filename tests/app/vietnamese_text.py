"""What a Vietnamese page must not show: English messages of the catalog, English validation text.

The catalog's msgids are English; a msgid whose Vietnamese translation differs ("Zoom" stays
"Zoom") and that turns up in the visible text of a page served in Vietnamese is a message that
skipped the catalog. Placeholders (``%(n)s``) match any short text.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# English a validator, a parser or a hand-written message says; none is a Vietnamese word.
ENGLISH_PHRASES = re.compile(
    r"\b(expected|must be|must not|got '|Invalid|invalid|required|Not a valid|Unknown field|"
    r"Missing data|may not be|should be|cannot be|is not|one of|at most|at least|"
    r"Field|Send a|Write the)\b"
)
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside script/style, and a few shown attributes.

    As in a browser, a closed ``<details>`` shows its ``<summary>`` only.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._details: list[bool] = []  # per open <details>: whether its body is shown
        self._in_summary = 0

    def _folded(self) -> bool:
        return any(not shown for shown in self._details) and not self._in_summary

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        elif tag == "details":
            self._details.append(any(name == "open" for name, _v in attrs))
        elif tag == "summary" and self._details:
            self._in_summary += 1
        if self._folded():
            return
        shown = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if shown.get(name):
                self.parts.append(str(shown[name]))
        if tag == "input" and shown.get("type") in ("submit", "button") and shown.get("value"):
            self.parts.append(str(shown["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1
        elif tag == "details" and self._details:
            self._details.pop()
        elif tag == "summary" and self._in_summary:
            self._in_summary -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._folded() and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def _pattern(text: str) -> re.Pattern[str]:
    pieces = [re.escape(p) for p in PLACEHOLDER.split(text)]
    return re.compile(r"(?<![\w])" + r".{0,80}?".join(pieces) + r"(?![\w])")


@functools.cache
def _catalog() -> list[tuple[str, str]]:
    with open(ROOT / "app/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="vi")
    pairs = []
    for message in catalog:
        msgid = message.id if isinstance(message.id, str) else (message.id or ("",))[0]
        string = message.string if isinstance(message.string, str) else message.string[0]
        if msgid and string:
            pairs.append((msgid, string))
    return pairs


@functools.cache
def english_messages() -> list[tuple[str, re.Pattern[str]]]:
    """Each msgid whose Vietnamese differs, as a pattern matching it inside a line of text."""
    found = []
    for msgid, string in _catalog():
        words = PLACEHOLDER.sub(" ", msgid)
        if string == msgid or not re.search(r"[A-Za-z]{2}", words):
            continue
        if len(re.findall(r"[A-Za-z]+", words)) < 2 and len(words.strip()) < 6:
            continue  # "OK", "No": too short to tell from a name or a code
        found.append((msgid, _pattern(msgid)))
    return found


@functools.cache
def _vietnamese_quoting_english() -> list[re.Pattern[str]]:
    """Translations that keep an English name inside ("ID ứng dụng (App ID)"): not findings."""
    english = english_messages()
    return [_pattern(string) for _msgid, string in _catalog()
            if any(pattern.search(string) for _m, pattern in english)]  # fmt: skip


def english_in(text: str) -> list[str]:
    """The catalog messages and English phrases found in ``text`` (empty: all Vietnamese)."""
    for pattern in _vietnamese_quoting_english():
        text = pattern.sub(" ", text)
    findings = [msgid for msgid, pattern in english_messages() if pattern.search(text)]
    findings += [f"phrase {m.group(0)!r} in {line!r}" for line in text.splitlines()
                 for m in [ENGLISH_PHRASES.search(line)] if m]  # fmt: skip
    return findings


class Forms(HTMLParser):
    """The POST forms of a page: action and fields (name, type, value, first option)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(),
                               "action": a.get("action", ""), "fields": []})  # fmt: skip
        elif self.forms and tag in ("input", "textarea") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else "textarea"
            self.forms[-1]["fields"].append({"name": a["name"], "type": kind,
                                             "value": a.get("value", "")})  # fmt: skip
        elif self.forms and tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "type": "select", "value": None}
            self.forms[-1]["fields"].append(self._select)
        elif tag == "option" and self._select is not None and self._select["value"] is None:
            self._select["value"] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def post_forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post"]
