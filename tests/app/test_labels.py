"""Every code a user may see has Vietnamese words in ``app.labels``."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from app import labels
from app.attendance import lead_people, sheet
from app.attendance.leads import INTENT_KEYWORDS
from app.followup.attribution import MODELS
from app.followup.enrolment_cells import GENDERS
from app.halls.state import STATUSES
from app.linkage.engine import LinkMethod
from app.linkage.engine import LinkStatus as LinkageStatus
from app.models import enums
from app.models.offline import OFFLINE_REACH_KIND, OfflineKind
from app.reports.facts import REACH_KIND
from app.reports.livestream_compare import METRICS
from collectors import COLLECTORS
from collectors.base import REACTION_TYPES
from tests.conftest import HOME, Factory

# Every StrEnum of app.models.enums must have its table here: a new enum fails until labelled.
ENUM_TABLES: dict[type[enum.StrEnum], Mapping[str, Any]] = {
    enums.Channel: labels.CHANNEL,
    enums.EventStatus: labels.EVENT_STATUS,
    enums.Scheme: labels.SCHEME,
    enums.OrgKind: labels.ORG_KIND,
    enums.Role: labels.ROLE,
    enums.Platform: labels.PLATFORM,
    enums.LinkStatus: labels.LINK_STATUS,
}
# The other code sets shown to users, with the module that owns their values.
CODE_SETS: list[tuple[str, Iterable[str], Mapping[str, Any]]] = [
    ("OfflineKind", OfflineKind, labels.OFFLINE_KIND),
    ("LinkMethod", LinkMethod, labels.LINK_METHOD),
    ("linkage LinkStatus", LinkageStatus, labels.LINK_STATUS),
    ("attribution models", MODELS, labels.ATTRIBUTION_MODEL),
    ("lead intents", INTENT_KEYWORDS, labels.INTENT),
    ("target kinds", COLLECTORS, labels.TARGET_KIND),
    ("touch sources", (sheet.SOURCE, lead_people.SOURCE, "checkin"), labels.TOUCH_SOURCE),
    ("reach kinds", {*REACH_KIND.values(), *OFFLINE_REACH_KIND.values()}, labels.REACH_KIND),
    ("import kinds", ("enrolments", "attendees"), labels.IMPORT_KIND),
    ("reactions", REACTION_TYPES, labels.REACTION),
    ("livestream metrics", METRICS, labels.LIVESTREAM_METRIC),
    ("hall statuses", STATUSES, labels.HALL_STATUS),
    ("in-person hall statuses", STATUSES, labels.IN_PERSON_HALL_STATUS),
    ("genders", set(GENDERS.values()), labels.GENDER),
    ("account health", ("ok", "rate_limited", "auth_expired", "error"), labels.ACCOUNT_HEALTH),
]


def _all_sets() -> list[tuple[str, list[str], Mapping[str, Any]]]:
    found = [
        (cls.__name__, [m.value for m in cls], table)
        for cls in vars(enums).values()
        if inspect.isclass(cls) and issubclass(cls, enum.StrEnum) and cls is not enum.StrEnum
        for table in [ENUM_TABLES.get(cls, {})]
    ]
    return found + [(name, [str(c) for c in codes], table) for name, codes, table in CODE_SETS]


def test_every_enum_of_the_models_has_a_table() -> None:
    found = {
        cls
        for cls in vars(enums).values()
        if inspect.isclass(cls) and issubclass(cls, enum.StrEnum) and cls is not enum.StrEnum
    }
    assert found == set(ENUM_TABLES), "give the new enum a table in app.labels"


SAME_IN_BOTH = {"Livestream"}  # the word Vietnamese offices use
CATALOG = Path(__file__).resolve().parents[2] / "app/translations/vi/LC_MESSAGES/messages"


@pytest.fixture(scope="module", autouse=True)
def compiled_catalog() -> None:
    """Compile the vi catalog as ``make translations`` does, so the words checked are the .po's."""
    with open(CATALOG.with_suffix(".po"), "rb") as po:
        catalog = read_po(po, locale="vi")
    with open(CATALOG.with_suffix(".mo"), "wb") as mo:
        write_mo(mo, catalog)


@pytest.mark.parametrize(("name", "codes", "table"), _all_sets(), ids=[s[0] for s in _all_sets()])
def test_every_value_has_vietnamese_words(app: Flask, name: str, codes: list[str], table) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        for code in codes:
            assert code in table, f"{name}: {code!r} has no label in app.labels"
            with force_locale("vi"):
                words = str(table[code])
            with force_locale("en"):
                english = str(table[code])
            assert words, f"{name}: {code!r} has empty words"
            assert words != code, f"{name}: {code!r} is shown as its code"
            if not isinstance(table[code], str):  # a catalog message, not a brand name
                assert words != english or words in SAME_IN_BOTH, (
                    f"{name}: {code!r} has no Vietnamese translation ({english!r})"
                )


def test_files_get_vietnamese_whatever_the_page_language(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        assert labels.label(labels.ATTRIBUTION_MODEL, "last_touch") == "Last touch"
        assert labels.vi_label(labels.ATTRIBUTION_MODEL, "last_touch") == "Lần tiếp xúc cuối"
        assert labels.label(labels.ATTRIBUTION_MODEL, "last_touch") == "Last touch"  # restored
    assert labels.month_label("2026-11") == "11/2026"


def test_codes_no_table_knows_are_left_out_of_a_list_of_words(app: Flask) -> None:
    """A lead's intents stored by an earlier version ("consult", "enrol") have no words: an
    officer reads the ones that have, never a code."""
    with app.test_request_context(), force_locale("vi"):
        words = labels.labels(labels.INTENT, ["consult", "muc_dong", "enrol", "tu_van"])
        assert words == "hỏi mức đóng, cần tư vấn"
        assert labels.labels(labels.INTENT, ["consult"]) == ""
    with app.test_request_context(), force_locale("en"):
        assert labels.vi_labels(labels.INTENT, ["consult", "tu_van"]) == "cần tư vấn"


def test_the_two_imports_cannot_be_mixed_up_and_views_are_explained(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    event = make.event(HOME, title="Livestream tư vấn")
    make.target(event, make.account(HOME))
    logged_in("officer")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Nhập danh sách đăng ký BHXH/BHYT" in html  # the menu: enrolments
    assert "Nhập danh sách người dự" in html  # the event's button: attendees
    assert "danh sách tham gia" not in html.casefold()
    assert "“Đang xem” là số người đang xem ngay lúc này" in html
    assert 'title="Số lần video được mở, kể cả xem lại' in html
    enrolments = client.get("/follow-up/enrolments/import").get_data(as_text=True)
    assert "<h1>Nhập danh sách đăng ký BHXH/BHYT</h1>" in enrolments
