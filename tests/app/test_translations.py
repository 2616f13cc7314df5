"""Every string of the interface has a Vietnamese translation (Vietnamese is the default)."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from openpyxl import load_workbook

from app.attendance.blank_sheet import attendee_import_template, attendee_template
from app.followup.enrolment_template import enrolment_template

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}  # fmt: skip
METHODS = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]


def extracted() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_vietnamese_translation() -> None:
    with open(ROOT / "app/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="vi")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (m.string if isinstance(m.string, str) else any(m.string)) and not m.fuzzy
    }
    missing = sorted(extracted() - translated)
    assert not missing, f"run `make messages` and translate: {missing}"


def test_plural_entries_are_filled_with_the_placeholders_of_their_msgid() -> None:
    """Vietnamese has one form ("1 lần tham gia", "2 lần tham gia"): each plural entry fills it,
    naming only placeholders its English forms name (a "%(num)s" where the msgid says "%(n)s"
    would fail when shown). English reads "1 attendance", "2 attendances" from the msgids."""
    with open(ROOT / "app/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="vi")
    assert catalog.num_plurals == 1
    placeholder = re.compile(r"%\((\w+)\)s")
    plural = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert len(plural) > 20
    wrong = []
    for m in plural:
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        named = set(placeholder.findall(m.id[0])) | set(placeholder.findall(m.id[1])) | {"num"}
        if m.fuzzy or len(forms) != 1 or not forms[0]:
            wrong.append(f"{m.id[0]!r}: not filled")
        elif not set(placeholder.findall(forms[0])) <= named:
            wrong.append(f"{m.id[0]!r}: {forms[0]!r}")
    assert not wrong, wrong


# A tone on an open "oa/oe/uy" syllable sits on its first vowel in the catalogue, as on every
# screen: "xóa", "khóa", "hủy" ("xoá" showed beside "Xóa" on the same forms). "Quý" is not one:
# the "u" belongs to "qu".
OLD_TONE = re.compile(r"(?<![qQ])(?:o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?!\w)", re.IGNORECASE)


def test_one_tone_placement_in_the_vietnamese_words() -> None:
    with open(ROOT / "app/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="vi")
    found = sorted(
        {
            match.group(0)
            for m in catalog
            if m.id
            for text in ([m.string] if isinstance(m.string, str) else m.string)
            for match in re.finditer(r"\w*" + OLD_TONE.pattern, text or "", re.IGNORECASE)
        }
    )
    assert not found, found


def test_one_tone_placement_in_the_blank_workbooks() -> None:
    """The Excel templates are Vietnamese whatever the interface language (they are printed and
    typed into): their titles, notes, headers and examples place the tone as the catalogue does."""
    books = {
        "attendee_template": attendee_template("Hội nghị xã Hưng Lộc"),
        "attendee_import_template": attendee_import_template("Xã Hưng Lộc"),
        "enrolment_template": enrolment_template("Xã Hưng Lộc", date(2026, 11, 20)),
    }
    found = sorted(
        f"{name}!{cell.coordinate}: {match.group(0)}"
        for name, data in books.items()
        for sheet in load_workbook(BytesIO(data)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
        for match in re.finditer(r"\w*" + OLD_TONE.pattern, cell.value, re.IGNORECASE)
    )
    assert not found, found
