"""Linkage on hand-built records: exact keys, the Splink pass, thresholds, household rule."""

from __future__ import annotations

import pytest

from app.linkage import LinkMethod, LinkStatus, PersonRecord, link, normalize_records

R = PersonRecord


def _pairs(result, status=None) -> set[tuple[str, str, str]]:
    return {
        (lk.attendee_id, lk.enrolment_id, lk.method.value)
        for lk in result.links
        if status is None or lk.status == status
    }


def test_deterministic_tiers() -> None:
    attendees = [
        R("a1", "Nguyễn Văn An", id_number="040090123456"),
        R("a2", "Trần Thị Bình", insurance_id="1234567890"),
        R("a3", "Lê Thị Hoà", phone="0912.345.678"),
        R("a4", "Phạm Văn Cường", phone="0987654321"),  # phone only: a household's phone
    ]
    enrolments = [
        R("e1", "NGUYỄN VĂN AN", insurance_id="040090123456"),  # personal id in that column
        R("e2", "TRẦN THỊ BÌNH", insurance_id="1234567890"),
        R("e3", "LÊ THỊ HÒA", phone="+84912345678"),
        R("e4", "PHẠM THỊ DUNG", phone="0987654321"),
    ]
    result = link(attendees, enrolments, probabilistic=False)
    assert _pairs(result) == {
        ("a1", "e1", "cccd"),
        ("a2", "e2", "insurance_id"),
        ("a3", "e3", "phone_given"),
    }


def test_probabilistic_pass_links_spelling_variants() -> None:
    attendees = [
        R("a1", "Hoa Nguyen Thi", birth="1962", phone="01689123456", commune="17506"),
        R("a2", "Đỗ Minh Khôi", birth="03/04/1990", commune="17506"),
    ]
    enrolments = [
        R("e1", "NGUYỄN THỊ HÒA", birth="05/06/1962", phone="0389123456", commune="17506"),
        R("e2", "ĐỖ MINH KHÔI", birth="03/04/1990", commune="17506", sex="Nam"),
        R("e3", "NGUYỄN THỊ LAN", birth="05/06/1970", phone="0911111111", commune="17506"),
    ] + [R(f"x{i}", f"Trần Văn Tên{i}", birth=f"01/01/{1950 + i}") for i in range(30)]
    result = link(attendees, enrolments)
    linked = _pairs(result, LinkStatus.LINKED)
    assert ("a2", "e2", "probabilistic") in linked
    # a1: old phone and swapped, unaccented name; the phone + folded given name key catches it
    assert ("a1", "e1", "phone_given") in linked
    assert not any(e == "e3" for _, e, _ in _pairs(result))


def test_household_members_count_as_household_conversion() -> None:
    attendees = [R("a1", "Lê Văn Nam", phone="0912345678", birth="1980", commune="17506")]
    enrolments = [
        R("e1", "LÊ VĂN NAM", phone="0912345678", birth="02/02/1980", household_ref="H1"),
        R("e2", "LÊ THỊ MAI", phone="0912345678", birth="03/03/1982", household_ref="H1"),
        R("e3", "LÊ VĂN TÚ", phone="0912345678", birth="04/04/2005", household_ref="H1"),
        R("e4", "LÊ VĂN HẢI", phone="0912345678", birth="04/04/1975", household_ref="H2"),
    ]
    result = link(attendees, enrolments)
    assert _pairs(result, LinkStatus.LINKED) == {("a1", "e1", "phone_given")}
    assert _pairs(result, LinkStatus.HOUSEHOLD) == {
        ("a1", "e2", "household"),
        ("a1", "e3", "household"),
    }
    assert all(lk.enrolment_id != "e4" or lk.status == LinkStatus.REVIEW for lk in result.links)


def test_two_attendees_of_one_household_keep_their_own_links() -> None:
    attendees = [
        R("a1", "Lê Văn Nam", phone="0912345678"),
        R("a2", "Trần Thị Mai", phone="0912345678"),
    ]
    enrolments = [
        R("e1", "LÊ VĂN NAM", phone="0912345678", household_ref="H1"),
        R("e2", "TRẦN THỊ MAI", phone="0912345678", household_ref="H1"),
    ]
    result = link(attendees, enrolments, probabilistic=False)
    assert _pairs(result, LinkStatus.LINKED) == {
        ("a1", "e1", "phone_given"),
        ("a2", "e2", "phone_given"),
    }


def test_mojibake_is_reported_not_matched() -> None:
    attendees = [R("a1", "NguyÔn V¨n §øc", phone="0912345678")]
    enrolments = [R("e1", "NGUYỄN VĂN ĐỨC", phone="0912345678")]
    result = link(attendees, enrolments, probabilistic=False)
    assert result.links == []
    assert [(i.record_id, i.field) for i in result.attendee_issues] == [("a1", "full_name")]
    assert "tcvn3" in result.attendee_issues[0].problem


def test_record_issues_name_the_field() -> None:
    _, issues = normalize_records(
        [
            R("a1", "An", birth="31/02/1990"),
            R("a2", "Bình", id_number="123456789"),
            R("a3", "Chi", id_number="040190123456", birth="1985"),
            R("a4", "Dung", phone="12"),
        ]
    )
    fields = {(i.record_id, i.field) for i in issues}
    assert fields == {("a1", "birth"), ("a2", "id_number"), ("a3", "id_number"), ("a4", "phone")}


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="duplicate record_id"):
        normalize_records([R("a1", "An"), R("a1", "Bình")])
    with pytest.raises(ValueError, match="thresholds"):
        link([], [], link_threshold=0.4, review_threshold=0.6)


def test_empty_sides() -> None:
    assert link([], [R("e1", "An")]).links == []
    assert LinkMethod.HOUSEHOLD.value == "household"


def test_fast_paths_agree_with_the_parsers() -> None:
    from app.identity.ids import parse_insurance_id
    from app.identity.phones import parse_phone

    phones = [
        *("0912 345 678", "+84 912 345 678", "912345678", "0912.345.678", "01689123456"),
        *("+84-912-345-678", "0243 823 4567", "12", "0912345678 ", "84912345678", None),
    ]
    insurance = ["0123456789", "GD4401234567890", "123456789", "040190123456", "12", None]
    records = [
        R(f"r{i}", "An", phone=phones[i % len(phones)], insurance_id=insurance[i % len(insurance)])
        for i in range(len(phones) * len(insurance))
    ]
    table, _ = normalize_records(records)
    assert table["phone"].to_pylist() == [parse_phone(r.phone).national for r in records]
    assert table["phone_quality"].to_pylist() == [parse_phone(r.phone).quality for r in records]
    assert table["insurance_id"].to_pylist() == [
        parse_insurance_id(r.insurance_id) for r in records
    ]


def test_phone_and_given_name_with_contradicting_birth_is_not_an_exact_link() -> None:
    # Mother and daughter: one phone, one given name, thirty years apart.
    attendees = [R("a1", "Nguyễn Thị Hạnh", phone="0909761215", birth="16/12/1984")]
    enrolments = [R("e1", "NGUYỄN THU HẠNH", phone="0909761215", birth="16/09/1962")]
    assert link(attendees, enrolments, probabilistic=False).links == []


def _background(n: int = 60) -> list[PersonRecord]:
    given = ["Lan", "Hùng", "Mai", "Sơn", "Hoa", "Tuấn"]
    return [
        R(
            f"x{i}",
            f"Trần Văn {given[i % 6]}",
            birth=f"01/01/{1950 + i % 50}",
            commune="00004",
            phone=f"09{i:08d}",
        )  # fmt: skip
        for i in range(n)
    ]


def test_household_member_with_the_phone_does_not_replace_the_attendee() -> None:
    # The attendee's own row left the phone out; the purchase's phone is on a member's row.
    attendees = [R("a1", "Vũ Thị Linh", phone="0392335830", birth="1983", commune="02152")]
    enrolments = [
        R(
            "e1",
            "VŨ THỊ LỤA",
            phone="0392335830",
            birth="22/01/1967",
            commune="02152",
            sex="Nữ",
            household_ref="H1",
        ),  # fmt: skip
        R("e2", "VŨ THỊ LINH", birth="09/07/1983", commune="02152", sex="Nữ", household_ref="H1"),
        *_background(),
    ]
    result = link(attendees, enrolments)
    assert _pairs(result, LinkStatus.LINKED) == {("a1", "e2", "probabilistic")}
    assert _pairs(result, LinkStatus.HOUSEHOLD) == {("a1", "e1", "household")}


def test_second_candidate_outside_the_household_goes_to_review() -> None:
    attendees = [R("a1", "Đỗ Minh Khôi", birth="03/04/1990", commune="17506", sex="Nam")]
    enrolments = [
        R("e1", "ĐỖ MINH KHÔI", birth="03/04/1990", commune="17506", sex="Nam"),
        R("e2", "ĐỖ MINH KHÔI", birth="03/04/1990", commune="17506", sex="Nam"),
        *_background(),
    ]
    result = link(attendees, enrolments)
    statuses = sorted(lk.status.value for lk in result.links if lk.attendee_id == "a1")
    assert statuses == ["linked", "review"]
