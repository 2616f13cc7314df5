"""The words officers type around a commune's name in a display name, as folded tokens.

"Điểm cầu UBND xã Tăng Thành - huyện Yên Thành - 45 người 2": the org prefixes, the unit word,
the higher unit, the head count and the device number are all read from these tables by
``app.halls.names.parsing``. Folded means lower case without diacritics ("đ" is "d").
"""

from __future__ import annotations

# Words in front of a commune name that say "the hall of": stripped from the start, any number,
# any order ("Điểm cầu UBND xã …", "Hội trường UBND …"). Longest first.
ORG_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("uy", "ban", "nhan", "dan"),
    ("diem", "cau", "tai"),
    ("diem", "cau"),
    ("hoi", "truong"),
    ("phong", "hop"),
    ("uy", "ban"),
    ("dang", "uy"),
    ("ubnd",),
    ("hdnd",),
    ("dc",),
    ("ub",),
)
# "BHXH xã Tăng Thành" is a commune's own collection point; "BHXH" alone (the province or a
# district office, e.g. "BHXH tỉnh Nghệ An", "BHXH huyện Yên Thành") is not a hall, so it is
# stripped only when a commune-level unit word follows.
UNIT_QUALIFIED_PREFIXES: tuple[tuple[str, ...], ...] = (("bhxh",),)

# Commune-level unit words → the canonical folded unit. At most one is stripped (a commune may be
# named "Xá Lượng", so "xa xa luong" keeps the second "xa").
UNIT_WORDS: dict[tuple[str, ...], str] = {
    ("thi", "tran"): "thi tran",
    ("dac", "khu"): "dac khu",
    ("phuong",): "phuong",
    ("xa",): "xa",
    ("tt",): "thi tran",
    ("dk",): "dac khu",
    ("p",): "phuong",
    ("x",): "xa",
}
# The unit words as officially written; an accented token that is neither this nor plain is a
# name syllable ("Phương Liệt" is not "Phường Liệt").
UNIT_ACCENTED: dict[str, str] = {
    "xa": "xã",
    "phuong": "phường",
    "thi tran": "thị trấn",
    "dac khu": "đặc khu",
}

# A segment starting with these names a district or province ("- huyện Yên Thành"): not a hall.
HIGHER_UNITS: tuple[tuple[str, ...], ...] = (
    ("thanh", "pho"),
    ("thi", "xa"),
    ("huyen",),
    ("quan",),
    ("tinh",),
    ("tp",),
    ("tx",),
    ("h",),
    ("q",),
)

# Head counts officers write into the name: "- 45 người", "(30ng)", "sl 45", "số lượng: 45".
HEAD_COUNT_UNITS = ("nguoi tham du", "nguoi", "ngui", "ng", "dai bieu", "db")
HEAD_COUNT_LABELS = ("so luong", "so nguoi", "sl")
# A rejoin from another device: "xã Tăng Thành 2", "(2)", "- máy 2".
DEVICE_WORDS = ("thiet bi", "may so", "may", "tb", "device", "dt")

SEPARATORS = frozenset("-\u2013\u2014|,/()[];+")  # with the en and em dashes
