"""The halls form of the bridge-points page, read from plain form fields (it works without JS).

One row per commune of the event's province: a tick, the expected attendance, the hall's contact
person and phone. Everything is checked before anything is written, and each error names the
commune and the field, so an organiser with 130 rows finds the one to fix. Nothing typed is
dropped: a row with something typed but no tick is refused, naming the commune.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.formatting import fmt_number
from app.halls.checkin_form import read_count
from app.halls.services import MAX_HEAD_COUNT, HallError
from app.identity.phones import national, normalize_phone
from app.models import BridgePoint, OrgUnit
from app.wholenumbers import write_whole

MAX_NAME = 200


@dataclass
class HallRow:
    """One commune's row as typed (strings), to show again when the form is refused."""

    ticked: bool = False
    existing: bool = False
    expected: str = ""
    contact_name: str = ""
    contact_phone: str = ""


@dataclass
class HallsInput:
    rows: dict[str, HallRow]  # commune code → row, in the page's order
    all_communes: bool = False
    errors: list[str] = field(default_factory=list)
    expected: dict[str, int] = field(default_factory=dict)
    contacts: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name, E.164

    @property
    def wanted(self) -> list[str]:
        return [code for code, row in self.rows.items() if row.ticked or row.existing]


def rows_from_points(communes: list[OrgUnit], points: list[BridgePoint]) -> dict[str, HallRow]:
    """The form as the stored halls fill it in."""
    by_unit = {p.org_unit_id: p for p in points}
    rows = {}
    for unit in communes:
        point = by_unit.get(unit.id)
        rows[unit.code] = (
            HallRow()
            if point is None
            else HallRow(
                ticked=True,
                existing=True,
                expected=write_whole(point.expected_attendance or 0),
                contact_name=point.contact_name or "",
                contact_phone=national(point.contact_phone or ""),
            )
        )
    return rows


def read_halls_form(
    form: MultiDict[str, str], communes: list[OrgUnit], existing_codes: set[str]
) -> HallsInput:
    """Parse and check the halls form; ``errors`` is empty when it can be written as it is."""
    ticked = set(form.getlist("commune"))
    all_communes = form.get("all") == "1"
    names = {unit.code: unit.name for unit in communes}
    data = HallsInput(rows={}, all_communes=all_communes)
    unknown = sorted(ticked - set(names))
    if unknown:
        data.errors.append(_("Not a commune of this event: %(codes)s", codes=", ".join(unknown)))
    for code, name in names.items():
        row = HallRow(
            ticked=all_communes or code in ticked,
            existing=code in existing_codes,
            expected=form.get(f"expected-{code}", "").strip(),
            contact_name=" ".join(form.get(f"contact_name-{code}", "").split()),
            contact_phone=form.get(f"contact_phone-{code}", "").strip(),
        )
        data.rows[code] = row
        if row.ticked or row.existing:
            _check_row(data, code, name, row)
        elif row.expected or row.contact_name or row.contact_phone:
            data.errors.append(_not_ticked(name, row))
    if not data.wanted and not data.errors:
        data.errors.append(_("Tick at least one commune, or all."))
    return data


def _not_ticked(name: str, row: HallRow) -> str:
    """Something typed on a commune left unticked: refused, never dropped nor guessed.

    Saving it as a hall could be as wrong as dropping it (a number typed one row off), and the
    page keeps everything typed: ticking the box or clearing the row is one click.
    """
    if row.expected:
        return _(
            "%(hall)s has %(n)s expected but is not ticked: tick it to add this hall, or clear "
            "the number.",
            hall=name,
            n=row.expected,
        )
    return _(
        "%(hall)s has a contact typed but is not ticked: tick it to add this hall, or clear "
        "the contact.",
        hall=name,
    )


def _check_row(data: HallsInput, code: str, name: str, row: HallRow) -> None:
    where = name
    if row.expected:
        expected = _whole_or_none(row.expected)
        if expected is None or not 0 <= expected <= MAX_HEAD_COUNT:
            data.errors.append(
                _(
                    "%(hall)s: expected attendance must be a whole number from 0 to %(max)s.",
                    hall=where,
                    max=fmt_number(MAX_HEAD_COUNT),
                )
            )
        else:
            data.expected[code] = expected
    if len(row.contact_name) > MAX_NAME:
        data.errors.append(
            _("%(hall)s: the contact name is longer than %(n)s characters.", hall=where, n=MAX_NAME)
        )
    phone = normalize_phone(row.contact_phone) if row.contact_phone else None
    if row.contact_phone and phone is None:
        data.errors.append(
            _(
                "%(hall)s: not a Vietnamese phone number: %(phone)s",
                hall=where,
                phone=row.contact_phone,
            )  # fmt: skip
        )
    data.contacts[code] = (row.contact_name, phone)


def _whole_or_none(text: str) -> int | None:
    """The number of people as the hall's officer writes it (40, 1.200, "75 người"), or None."""
    try:
        return read_count(text)
    except HallError:
        return None
