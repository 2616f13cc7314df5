"""The words officers type around a commune's name in a display name, as folded tokens.

"Điểm cầu UBND xã Tăng Thành - huyện Yên Thành - 45 người 2": the org prefixes, the unit word,
the higher unit, the head count and the device number are all read from these tables by
``app.halls.names.parsing``. Folded means lower case without diacritics ("đ" is "d").
"""

from __future__ import annotations

from app.identity import addresses

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

# Commune-level unit words, their official spellings and the district/province words: the
# vocabulary of written addresses, one home for both.
UNIT_WORDS = addresses.UNIT_WORDS
UNIT_ACCENTED = addresses.UNIT_ACCENTED
# A segment starting with these names a district or province ("- huyện Yên Thành"): not a hall.
HIGHER_UNITS = addresses.HIGHER_UNITS

# Head counts officers write into the name: "- 45 người", "(30ng)", "sl 45", "số lượng: 45".
HEAD_COUNT_UNITS = ("nguoi tham du", "nguoi", "ngui", "ng", "dai bieu", "db")
HEAD_COUNT_LABELS = ("so luong", "so nguoi", "sl")
# A rejoin from another device: "xã Tăng Thành 2", "(2)", "- máy 2".
DEVICE_WORDS = ("thiet bi", "may so", "may", "tb", "device", "dt")

SEPARATORS = frozenset("-\u2013\u2014|,/()[];+")  # with the en and em dashes
