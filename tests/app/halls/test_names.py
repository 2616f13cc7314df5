"""Participant display name → commune hall (app/halls/names/); no database needed.

Pinned behaviour:
- parse_display_name: prefixes (xã, UBND, Điểm cầu, Đc, P., TT…), head counts ("- 45 người",
  "(30ng)", "sl 45") and rejoin suffixes ("2", "(2)", "- máy 2") come off; "Phường 2" keeps 2.
- match_participant: diacritics, NFD, case and spacing do not matter; accents, when typed, tell
  "Hoà Thành" from "Hoa Thành"; a tie or a name not close enough is never guessed.
- The seeded conference (sandbox/conference.py): every hall participant matched to its own
  code except the two whose unaccented names fit two halls (ambiguous), every other participant
  unmatched, zero wrong matches.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from app.halls.names import Hall, Match, match_participant, match_roster, parse_display_name
from app.identity.text import clean_text, fold
from sandbox.conference import COMMUNES, NON_HALLS, Conference

# Yên Thành district (Nghệ An) before 2025; codes are made up for the test, names are real.
CODES = {commune: f"{17400 + i}" for i, commune in enumerate(COMMUNES)}
YEN_THANH = tuple(Hall(code, f"Xã {commune}") for commune, code in CODES.items())
TANG, TAN, HOA, HOA_GRAVE = (
    CODES[c] for c in ("Tăng Thành", "Tân Thành", "Hoa Thành", "Hoà Thành")
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- parse_display_name -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "core", "head_count", "device"),
    [
        ("Xã Tăng Thành", "tang thanh", None, None),
        ("UBND xa Tang Thanh", "tang thanh", None, None),
        ("Điểm cầu xã Tăng Thành - 45 người", "tang thanh", 45, None),
        ("TANG THANH", "tang thanh", None, None),
        ("xã Tăng thành 2", "tang thanh", None, 2),
        ("Xã Tăng Thành (2)", "tang thanh", None, 2),
        ("Xã Tăng Thành - máy 2", "tang thanh", None, 2),
        ("Điểm cầu xã Minh Thành - 43 người 2", "minh thanh", 43, 2),
        ("UBND P. Vinh Phú", "vinh phu", None, None),
        ("P.Vinh Phú", "vinh phu", None, None),
        ("Đc Hợp Minh (30ng)", "hop minh", 30, None),
        ("Hợp Minh 45 ng", "hop minh", 45, None),
        ("Hợp Minh sl 45", "hop minh", 45, None),
        ("SL: 45 - xã Hợp Minh", "hop minh", 45, None),
        ("Hợp Minh - số lượng 45", "hop minh", 45, None),
        ("xa Hop Minh 45 nguoi", "hop minh", 45, None),
        ("Ủy ban nhân dân xã Hợp Minh", "hop minh", None, None),
        ("Hội trường UBND thị trấn Yên Thành", "yen thanh", None, None),
        ("TT Yên Thành", "yen thanh", None, None),
        ("Đặc khu Côn Đảo", "con dao", None, None),
        ("BHXH xã Tăng Thành", "tang thanh", None, None),
        ("Điểm cầu: Xã Tăng Thành", "tang thanh", None, None),
        (nfd("ĐIỂM CẦU XÃ TĂNG THÀNH – 45 NGƯỜI"), "tang thanh", 45, None),
        ("Phường 2", "2", None, None),  # the number is the name, not a rejoin
        ("UBND phường 2", "2", None, None),
        ("BHXH tỉnh Nghệ An", "bhxh tinh nghe an", None, None),
        ("Zoom user 3", "zoom user", None, 3),
        ("", "", None, None),
    ],
)
def test_parse_display_name(
    raw: str, core: str, head_count: int | None, device: int | None
) -> None:
    parsed = parse_display_name(raw)
    assert (parsed.core, parsed.head_count, parsed.device) == (core, head_count, device)


def test_parse_keeps_other_segments_as_qualifiers() -> None:
    parsed = parse_display_name("Hau Thanh - Yen Thanh")
    assert (parsed.core, parsed.qualifiers) == ("hau thanh", ("yen thanh",))


@pytest.mark.parametrize(("raw", "unit"), [("P. Vinh Phú", "phuong"), ("x Tăng Thành", "xa")])
def test_parse_reports_the_unit_typed(raw: str, unit: str) -> None:
    assert parse_display_name(raw).unit == unit


# --- exact matches ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Xã Tăng Thành",
        "UBND xa Tang Thanh",
        "Điểm cầu xã Tăng Thành - 45 người",
        "TANG THANH",
        "tang  thanh",
        "TangThanh",  # spaces do not matter
        "xã Tăng thành 2",
        "X. Tăng Thành (2)",
        nfd("Xã Tăng Thành"),
        nfd("UBND XÃ TĂNG THÀNH"),
        "\u00d0iểm cầu Tăng Thành",  # Icelandic Ð look-alike in "Điểm"
        "Điểm cầu xã Tăng Thành - Yên Thành",  # the district as a qualifier
        "Huyện Yên Thành - xã Tăng Thành",
        "Tăng Thành, H. Yên Thành",
    ],
)
def test_exact_match_in_every_spelling(raw: str) -> None:
    match = match_participant(raw, YEN_THANH)
    assert match == Match(TANG, 1.0, "exact", match.head_count)


def test_exact_match_carries_the_head_count() -> None:
    match = match_participant("Điểm cầu xã Tân Thành - 45 người", YEN_THANH)
    assert (match.hall_code, match.reason, match.head_count) == (TAN, "exact", 45)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Xã Hoà Thành", HOA_GRAVE),
        ("Xã Hòa Thành", HOA_GRAVE),  # new-style tone placement
        (nfd("HOÀ THÀNH"), HOA_GRAVE),
        ("Xã Hoa Thành", HOA),
        ("UBND xã Hoa Thành - 30 người", HOA),
    ],
)
def test_typed_accents_tell_apart_names_that_fold_alike(raw: str, code: str) -> None:
    assert match_participant(raw, YEN_THANH).hall_code == code


@pytest.mark.parametrize("raw", ["HOA THANH", "UBND xa Hoa Thanh", "Hoa Thanh - Yen Thanh"])
def test_unaccented_name_of_two_halls_is_ambiguous(raw: str) -> None:
    match = match_participant(raw, YEN_THANH)
    assert (match.hall_code, match.reason) == (None, "ambiguous")
    assert set(match.candidates) == {HOA, HOA_GRAVE}


# --- ambiguity ------------------------------------------------------------------------------------

HOP_THANH_TWICE = (
    Hall("17491", "Xã Hợp Thành"),  # Yên Thành district
    Hall("17655", "Xã Hợp Thành"),  # another district, same name
    Hall("17506", "Xã Yên Thành"),
)
VINH_PHU = (Hall("26001", "Phường Vinh Phú"), Hall("26002", "Xã Vinh Phú Đông"))
SAME_CORE = (Hall("26001", "Phường Vinh Phú"), Hall("26003", "Xã Vinh Phú"))


@pytest.mark.parametrize(
    ("raw", "halls", "candidates"),
    [
        ("Xã Hợp Thành", HOP_THANH_TWICE, ("17491", "17655")),
        ("UBND xa Hop Thanh 2", HOP_THANH_TWICE, ("17491", "17655")),
        # two segments naming two different halls
        ("Xã Hợp Thành - Yên Thành", HOP_THANH_TWICE, ("17491", "17506", "17655")),
        ("Vinh Phú Đ", VINH_PHU, ("26001", "26002")),  # cut short: could be either
        ("Vinh Phu D", VINH_PHU, ("26001", "26002")),
        ("Vinh Phú", SAME_CORE, ("26001", "26003")),
        ("UBND P. Vinh Phú", SAME_CORE, ("26001", "26003")),  # the unit word does not decide
        ("Tang Thnah", (Hall("1", "Xã Tăng Thành"), Hall("2", "Xã Tân Thành")), ("1", "2")),
    ],
)
def test_ties_are_ambiguous(raw: str, halls: tuple[Hall, ...], candidates: tuple[str, ...]) -> None:
    match = match_participant(raw, halls)
    assert (match.hall_code, match.reason, match.candidates) == (None, "ambiguous", candidates)


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Vinh Phú", "26001"), ("Vinh Phú Đông", "26002"), ("xa Vinh Phu Dong 2", "26002")],
)
def test_a_name_that_begins_another_still_matches_itself(raw: str, code: str) -> None:
    match = match_participant(raw, VINH_PHU)
    assert (match.hall_code, match.reason) == (code, "exact")


@pytest.mark.parametrize(
    ("raw", "halls", "code"),
    [
        # "Phương" is a name syllable, not the unit "Phường"
        ("Phương Liệt", (Hall("1", "Phường Phương Liệt"), Hall("2", "Phường Liệt")), "1"),
        ("Phường Liệt", (Hall("1", "Phường Phương Liệt"), Hall("2", "Phường Liệt")), "2"),
        ("Xá Lượng", (Hall("1", "Xã Xá Lượng"), Hall("2", "Xã Lượng")), "1"),
        ("Xã Xá Lượng", (Hall("1", "Xã Xá Lượng"), Hall("2", "Xã Lượng")), "1"),
        ("Xã Lượng", (Hall("1", "Xã Xá Lượng"), Hall("2", "Xã Lượng")), "2"),
    ],
)
def test_unit_words_inside_names(raw: str, halls: tuple[Hall, ...], code: str) -> None:
    assert match_participant(raw, halls).hall_code == code


@pytest.mark.parametrize("raw", ["Xa Luong", "XA XA LUONG"])
def test_unaccented_unit_word_or_name_syllable_is_ambiguous(raw: str) -> None:
    halls = (Hall("1", "Xã Xá Lượng"), Hall("2", "Xã Lượng"))
    assert match_participant(raw, halls).reason == "ambiguous"


def test_numbered_wards_never_match_each_other() -> None:
    halls = (Hall("1", "Phường 1"), Hall("7", "Phường 7"), Hall("12", "Phường 12"))
    assert match_participant("UBND Phường 7", halls).hall_code == "7"
    assert match_participant("P12", halls).hall_code == "12"
    assert match_participant("Phường 3", halls).hall_code is None


def test_same_code_listed_twice_is_not_a_tie() -> None:
    halls = (Hall("17400", "Xã Tăng Thành"), Hall("17400", "Xã Tăng Thành"))
    assert match_participant("TANG THANH", halls).reason == "exact"


# --- fuzzy ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Xã Tăng Thàng", "1"),  # one typo
        ("UBND xa Tang Thnah - 40 nguoi", "1"),  # a swap
        ("Điểm cầu Tăng Thàn", "1"),
        ("Xã Vinh Phú Đôg", "2"),
    ],
)
def test_a_typo_of_one_hall_matches_it(raw: str, code: str) -> None:
    halls = (Hall("1", "Xã Tăng Thành"), Hall("2", "Xã Vinh Phú Đông"), Hall("3", "Xã Hợp Minh"))
    match = match_participant(raw, halls)
    assert (match.hall_code, match.reason) == (code, "fuzzy")
    assert 0.8 < match.score < 1.0


def _typos(word: str, rng: random.Random) -> set[str]:
    """A sample of one-letter substitutions, deletions and swaps of ``word``, and of two."""
    once = {word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in TYPO_LETTERS}
    once |= {word[:i] + word[i + 1 :] for i in range(len(word))}
    once |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    once = set(rng.sample(sorted(once), 50))
    twice = set()
    for typo in rng.sample(sorted(once), 40):
        i = rng.randrange(len(typo))
        twice.add(typo[:i] + rng.choice(TYPO_LETTERS) + typo[i + 1 :])
    return (once | twice) - {word}


TYPO_LETTERS = "abcdghiklmnoptuy"


def test_one_or_two_typos_never_go_to_a_wrong_hall() -> None:
    """Typos of every Yên Thành commune: the right hall, a tie or nothing, never another hall.

    Typos that happen to spell another commune exactly ("Tân" for "Tăng") cannot be caught.
    """
    rng = random.Random(2026)
    typos: dict[str, set[str]] = {}  # a typo of two communes may go to either
    for commune, code in CODES.items():
        for typo in _typos(fold(commune).replace(" ", ""), rng):
            typos.setdefault(typo, set()).add(code)
    roster = match_roster(typos, YEN_THANH)
    wrong = {
        typo: match
        for typo, match in roster.items()
        if match.hall_code not in {None, *typos[typo]} and match.reason != "exact"
    }
    assert wrong == {}
    fuzzy = [m for m in roster.values() if m.reason == "fuzzy"]
    assert len(fuzzy) > 300  # the rule does match typos, it is not just refusing


@pytest.mark.parametrize(
    "raw",
    [
        "BHXH tỉnh Nghệ An",
        "BHXH huyện Yên Thành",  # a district office, not a commune hall
        "Phòng TT BHXH Yên Thành",
        "iPhone của Lan",
        "Zoom user",
        "Zoom user 2",
        "Nguyễn Văn Nam",
        "Galaxy A52",
        "Xã",
        "UBND",
        "2",
        "",
        "   ",
        "Tân",  # too short to guess
    ],
)
def test_non_halls_are_unmatched(raw: str) -> None:
    halls = (*YEN_THANH, Hall("17506", "Xã Yên Thành"))
    match = match_participant(raw, halls)
    assert match.hall_code is None
    assert match.reason == "no_match"


# --- aliases --------------------------------------------------------------------------------------


def test_alias_matches_a_name_the_organiser_assigned_before() -> None:
    halls = (Hall("1", "Xã Tăng Thành", aliases=("iPad Hội trường 2",)), Hall("2", "Xã Tân Thành"))
    match = match_participant("IPAD HOI TRUONG 2 (2)", halls)
    assert (match.hall_code, match.reason) == ("1", "alias")
    assert match_participant("iPad hội trường 2 - 30 người", halls).hall_code == "1"


def test_alias_settles_a_tie_only_among_the_tied_halls() -> None:
    halls = (
        Hall("17491", "Xã Hợp Thành", aliases=("UBND xa Hop Thanh",)),
        Hall("17655", "Xã Hợp Thành"),
        Hall("17506", "Xã Yên Thành", aliases=("Xã Hợp Thành",)),
    )
    settled = match_participant("UBND xa Hop Thanh 2", halls)
    assert (settled.hall_code, settled.reason) == ("17491", "alias")
    # the alias points outside the tie: still a tie
    assert match_participant("Xã Hợp Thành", halls).reason == "ambiguous"


def test_exact_name_beats_an_alias() -> None:
    halls = (Hall("1", "Xã Tăng Thành"), Hall("2", "Xã Tân Thành", aliases=("Xã Tăng Thành",)))
    match = match_participant("Xã Tăng Thành", halls)
    assert (match.hall_code, match.reason) == ("1", "exact")


def test_alias_shared_by_two_halls_is_ambiguous() -> None:
    halls = (
        Hall("1", "Xã Tăng Thành", aliases=("May chu",)),
        Hall("2", "Xã Tân Thành", ("May chu",)),
    )
    match = match_participant("May chu", halls)
    assert (match.reason, match.candidates) == ("ambiguous", ("1", "2"))


# --- the scripted conference ------------------------------------------------------------------


def _expected(name: str, commune: str | None) -> tuple[str | None, str]:
    """Its own hall, except an unaccented name that folds like two communes: ambiguous."""
    if commune is None:
        return None, "no_match"
    twins = [c for c in COMMUNES if fold(c) == fold(commune)]
    if len(twins) > 1 and fold(name) == clean_text(name):
        return None, "ambiguous"
    return CODES[commune], "exact"


@pytest.mark.parametrize("seed", [7, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12])
def test_conference_roster_against_truth(seed: int) -> None:
    conference = Conference(seed=seed)
    sessions = conference.sessions()
    roster = match_roster([s.name for s in sessions], YEN_THANH)

    truth = {s.key: CODES[commune] for commune, ss in conference.truth().items() for s in ss}
    hall_sessions = [s for s in sessions if s.key in truth]
    assert len({s.attendee.commune for s in hall_sessions}) == 39
    assert len(sessions) > len(hall_sessions)  # there are non-hall participants too
    for s in sessions:
        match = roster[s.name]
        assert (match.hall_code, match.reason) == _expected(s.name, s.attendee.commune), s.name
        if match.hall_code is not None:
            assert match.hall_code == truth[s.key], s.name  # zero wrong matches
        if match.reason == "ambiguous":
            assert truth[s.key] in match.candidates


def test_conference_default_seed_has_exactly_the_hoa_twins_ambiguous() -> None:
    sessions = Conference().sessions()
    roster = match_roster([s.name for s in sessions], YEN_THANH)
    ambiguous = {name for name, match in roster.items() if match.reason == "ambiguous"}
    assert ambiguous == {"HOA THANH", "Hoa Thanh - Yen Thanh"}
    unmatched = {name for name, match in roster.items() if match.reason == "no_match"}
    assert unmatched == {"BHXH tỉnh Nghệ An", *NON_HALLS}
    counts = {roster[s.name].head_count for s in sessions if "người" in s.name}
    assert counts
    assert None not in counts


def test_match_roster_keys_each_distinct_name_once() -> None:
    roster = match_roster(["TANG THANH", "Zoom user", "TANG THANH"], YEN_THANH)
    assert list(roster) == ["TANG THANH", "Zoom user"]
    assert roster["TANG THANH"].hall_code == TANG


# --- halls named as their commune was before the 2025 reform ----------------------------------

# Four of today's communes of Nghệ An (real 2025 codes): the old communes they were made of still
# name the halls' Zoom devices.
TODAY = (Hall("17506", "Xã Yên Thành"), Hall("17605", "Xã Hợp Minh"),
         Hall("16792", "Xã Châu Tiến"), Hall("16804", "Xã Châu Bình"))  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("UBND xã Sơn Thành - 30 người", "17605"),  # old Sơn Thành is part of Hợp Minh
        ("Điểm cầu xã Hợp Thành (Yên Thành)", "17506"),
        ("xa hop thanh - huyen yen thanh 2", "17506"),
        ("Xã Châu Bính - Quỳ Châu", "16792"),  # accents tell it from Châu Bình
        ("Đc Châu Thuận", "16792"),
        ("Xã Châu Bình", "16804"),  # today's name
    ],
)
def test_a_hall_named_as_its_old_commune(raw: str, code: str) -> None:
    match = match_participant(raw, TODAY)
    assert match.hall_code == code
    assert match.reason in {"legacy", "exact"}


def test_an_old_commune_divided_between_halls_is_not_guessed() -> None:
    halls = (Hall("18073", "Phường Thành Sen"), Hall("18652", "Phường Hà Huy Tập"))
    match = match_participant("UBND phường Đại Nài - 40 người", halls)
    assert (match.hall_code, match.reason) == (None, "ambiguous")
    assert match.candidates == ("18073", "18652")
    assert match.head_count == 40
