"""Every day field on every page is the same dd/mm/yyyy text box, read the same way.

A browser's own date input shows mm/dd/yyyy in an English browser and yyyy-mm-dd in the URL; the
pages use a text box with a "dd/mm/yyyy" placeholder instead, and the server reads what is typed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from app.forms import DAY_INPUT, VNDateField
from app.reports.params import ParamError, parse_filter
from app.timeparse import parse_day
from tests.conftest import HOME, login

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
NATIVE = re.compile(r'type="(date|month|datetime-local|week)"')


def test_no_page_uses_the_browsers_date_picker() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {m.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for m in NATIVE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


@pytest.mark.parametrize(
    ("typed", "day"),
    [("03/12/2026", date(2026, 12, 3)), ("3/12/2026", date(2026, 12, 3)),
     (" 31/01/2027 ", date(2027, 1, 31)), ("2026-12-03", date(2026, 12, 3))],
)  # fmt: skip
def test_parse_day_reads_vietnamese_days_and_iso(typed: str, day: date) -> None:
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed", ["12/31/2026", "31/02/2026", "2026/12/03", "3.12.2026", ""])
def test_parse_day_refuses_what_is_no_day(typed: str) -> None:
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_day(typed)


def test_the_report_filter_reads_days_as_typed(app, make) -> None:
    user = make.user("viewer", HOME)
    typed = parse_filter({"from": "01/10/2026", "to": "31/10/2026"}, user)
    linked = parse_filter({"from": "2026-10-01", "to": "2026-10-31"}, user)
    october = (date(2026, 10, 1), date(2026, 10, 31))
    assert (typed.start, typed.end) == (linked.start, linked.end) == october
    with pytest.raises(ParamError) as bad:
        parse_filter({"from": "10/31/2026"}, user)
    assert bad.value.param == "from"


def test_the_channels_page_shows_its_days_dd_mm_yyyy(client, make) -> None:
    login(client, make.user("viewer", HOME).email)
    html = client.get("/reports/channels?from=2026-10-01&to=31/10/2026").get_data(as_text=True)
    for name, shown in (("from", "01/10/2026"), ("to", "31/10/2026")):
        field = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
        assert field, name
        assert 'type="text"' in field.group(0)
        assert f'value="{shown}"' in field.group(0)
        assert 'placeholder="dd/mm/yyyy"' in field.group(0)


def test_every_day_field_of_a_form_has_the_same_box(app) -> None:
    from app.events.forms import CampaignForm, EventFilterForm
    from app.reports.forms import OfflineForm

    with app.test_request_context():
        forms = (
            CampaignForm(meta={"csrf": False}),
            EventFilterForm(),
            OfflineForm(meta={"csrf": False}),
        )
        fields = [f for form in forms for f in form if isinstance(f, VNDateField)]
        assert len(fields) == 6
        for field in fields:
            html = field()
            assert 'type="text"' in html
            for key, value in DAY_INPUT.items():
                assert f'{key}="{value}"' in html, (field.name, key)
