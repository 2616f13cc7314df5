"""Vietnamese names for the sandbox, the seeds, the benchmarks and the tests: one generator.

Surnames follow their published frequencies (Nguyễn ≈ 38 %, Trần 11 %, Lê 9.5 %…); the middle
name marks sex (Văn for half the men, Thị for most women); given names differ by sex, and the
common ones (earlier in their list) come far more often than the rare ones. Every draw comes from
the caller's seeded ``random.Random``, so one seed always gives the same people. The tables and
the way they are drawn stay fixed: the linkage benchmark's figures, and the model
``bench/train_linkage_model.py`` trains, were measured on exactly these draws (which is also why
Khoa and Loan stand twice in their lists).

``plain`` writes a name the way it is typed without a Vietnamese keyboard.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Sex = Literal["M", "F"]
SEX_WORDS: dict[Sex, str] = {"M": "Nam", "F": "Nữ"}  # how Vietnamese records write it
# Ends the names of the sandbox's own accounts and apps, in the interface's words for the sandbox
# ("môi trường chạy thử"), so a screen showing one says it is not real.
NOT_REAL = "(chạy thử)"

SURNAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 3.0), ("Huỳnh", 2.1),
    ("Phan", 4.5), ("Vũ", 2.2), ("Võ", 1.7), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.9), ("Đào", 0.8), ("Đoàn", 0.7),
    ("Lâm", 0.5), ("Trịnh", 0.6), ("Trương", 0.6), ("Lương", 0.5), ("Mai", 0.4), ("Cao", 0.4),
    ("Hà", 0.4), ("Tạ", 0.2), ("Lò", 0.1), ("Thạch", 0.1),
)  # fmt: skip
MIDDLE: dict[Sex, tuple[tuple[str, float], ...]] = {
    "M": (
        ("Văn", 50), ("Đức", 8), ("Minh", 8), ("Hữu", 6), ("Quang", 6), ("Công", 5), ("Thanh", 5),
        ("Xuân", 4), ("Đình", 4), ("Ngọc", 3), ("Văn Minh", 1),
    ),
    "F": (
        ("Thị", 62), ("Ngọc", 7), ("Thu", 6), ("Thanh", 5), ("Hồng", 5), ("Minh", 4), ("Kim", 4),
        ("Phương", 3), ("Thị Thu", 2), ("Mai", 2),
    ),
}  # fmt: skip
GIVEN: dict[Sex, tuple[str, ...]] = {  # by how common they are, the most common first
    "M": (
        "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Long", "Quang", "Sơn", "Thắng", "Cường",
        "Đức", "Hoàng", "Hiếu", "Trung", "Phong", "Thành", "Khoa", "Huy", "Bình", "Tâm", "Toàn",
        "Tùng", "Vinh", "Thịnh", "Lộc", "Phúc", "Quý", "Tài", "Hòa", "Khải", "Lực", "Nghĩa", "Hậu",
        "Chiến", "Tiến", "Kiên", "Duy", "Đạt", "Mạnh", "Việt", "Khánh", "Quân", "Hưng", "An",
        "Thuận", "Thủy", "Tú", "Sỹ", "Vũ", "Hiển", "Nhân", "Bảo", "Thái", "Lâm", "Định", "Hòe",
        "Khoa", "Thanh", "Tín",
    ),
    "F": (
        "Hoa", "Lan", "Hương", "Hằng", "Hà", "Linh", "Mai", "Ngọc", "Thảo", "Trang", "Nhung",
        "Hạnh", "Dung", "Loan", "Tuyết", "Yến", "Thủy", "Thúy", "Hòa", "Xoan", "Oanh", "Liên",
        "Phương", "Vân", "Nga", "Thu", "Huyền", "Quỳnh", "Anh", "Giang", "Khuê", "Nhàn", "Hiền",
        "Diệp", "Trâm", "Nhi", "Vy", "Duyên", "Hồng", "Lụa", "Tâm", "Thoa", "Hoài", "Xuân", "Bích",
        "Châu", "Ly", "Uyên", "My", "Loan", "Khỏe", "Thùy", "Lý",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Name:
    surname: str
    middle: str
    given: str
    sex: Sex

    @property
    def full(self) -> str:
        """Surname first, as Vietnamese names are written: "Nguyễn Thị Hoa"."""
        return f"{self.surname} {self.middle} {self.given}"


class Names:
    """Draws names from ``rng``: surnames by frequency, middle and given names by sex."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sex(self) -> Sex:
        return "M" if self.rng.random() < 0.5 else "F"

    def surname(self) -> str:
        return _SURNAMES.draw(self.rng)

    def middle(self, sex: Sex) -> str:
        return _MIDDLE[sex].draw(self.rng)

    def given(self, sex: Sex) -> str:
        return _GIVEN[sex].draw(self.rng)

    def name(self, sex: Sex | None = None, surname: str | None = None) -> Name:
        """A whole name; draws sex and surname unless given, then middle and given name."""
        sex = sex or self.sex()
        surname = surname or self.surname()
        return Name(surname, self.middle(sex), self.given(sex), sex)


def plain(text: str) -> str:
    """Vietnamese without diacritics, as typed on a phone without a Vietnamese keyboard."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class _Table:
    """Names with cumulative weights: one ``rng.random()`` per draw, as ``rng.choices`` does."""

    def __init__(self, names: Sequence[str], weights: Sequence[float]) -> None:
        self.names = tuple(names)
        self.cumulative = list(itertools.accumulate(float(w) for w in weights))

    def draw(self, rng: random.Random) -> str:
        total = self.cumulative[-1]
        return self.names[bisect(self.cumulative, rng.random() * total, 0, len(self.names) - 1)]

    @classmethod
    def weighted(cls, pairs: Sequence[tuple[str, float]]) -> _Table:
        return cls([n for n, _ in pairs], [w for _, w in pairs])

    @classmethod
    def by_rank(cls, names: Sequence[str]) -> _Table:
        """The n-th name (from 0) weighs 1 / (n + 3): a gentle Zipf curve."""
        return cls(names, [1.0 / (rank + 3) for rank in range(len(names))])


_SURNAMES = _Table.weighted(SURNAMES)
_MIDDLE = {sex: _Table.weighted(pairs) for sex, pairs in MIDDLE.items()}
_GIVEN = {sex: _Table.by_rank(names) for sex, names in GIVEN.items()}
