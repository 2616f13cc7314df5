"""The one Vietnamese-name generator: realistic frequencies, sex in the middle name, seeded."""

from __future__ import annotations

import random
from collections import Counter

from sandbox.people import GIVEN, MIDDLE, SURNAMES, Names, plain


def test_same_seed_same_people_other_seed_other_people() -> None:
    first = [Names(random.Random(7)).name() for _ in range(3)]
    again = [Names(random.Random(7)).name() for _ in range(3)]
    assert first == again
    a, b = Names(random.Random(1)), Names(random.Random(2))
    assert [a.name() for _ in range(20)] != [b.name() for _ in range(20)]


def test_surnames_follow_their_frequencies() -> None:
    names = Names(random.Random(3))
    counts = Counter(names.surname() for _ in range(20_000))
    total = sum(weight for _, weight in SURNAMES)
    for surname, weight in SURNAMES[:4]:  # Nguyễn, Trần, Lê, Phạm
        assert abs(counts[surname] / 20_000 - weight / total) < 0.015, surname
    assert set(counts) <= {surname for surname, _ in SURNAMES}


def test_middle_and_given_names_mark_sex() -> None:
    names = Names(random.Random(4))
    people = [names.name() for _ in range(4_000)]
    men = [p for p in people if p.sex == "M"]
    women = [p for p in people if p.sex == "F"]
    assert 0.45 < len(men) / len(people) < 0.55
    assert all(p.middle in dict(MIDDLE["M"]) and p.given in GIVEN["M"] for p in men)
    assert all(p.middle in dict(MIDDLE["F"]) and p.given in GIVEN["F"] for p in women)
    assert not any(p.middle.startswith("Thị") for p in men)
    assert sum(p.middle.startswith("Thị") for p in women) > 0.6 * len(women)
    assert sum(p.middle == "Văn" for p in men) > 0.4 * len(men)
    common, rare = GIVEN["F"][0], GIVEN["F"][-1]
    given = Counter(p.given for p in women)
    assert given[common] > 3 * given[rare]  # the common names come far more often


def test_a_name_can_be_asked_with_a_sex_or_a_surname() -> None:
    names = Names(random.Random(5))
    woman = names.name(sex="F", surname="Lê")
    assert (woman.sex, woman.surname) == ("F", "Lê")
    assert woman.full == f"Lê {woman.middle} {woman.given}"


def test_each_draw_is_one_weighted_choice() -> None:
    """The draws equal ``rng.choices`` on the same tables, so seeded data sets stay as they were."""
    surnames = [name for name, _ in SURNAMES]
    weights = [float(weight) for _, weight in SURNAMES]
    expected = random.Random(11).choices(surnames, weights, k=50)
    names = Names(random.Random(11))
    assert [names.surname() for _ in range(50)] == expected


def test_plain_is_how_names_are_typed_without_a_vietnamese_keyboard() -> None:
    assert plain("Đặng Thị Hòa") == "Dang Thi Hoa"
    assert plain("Nguyễn Văn Đức") == "Nguyen Van Duc"
