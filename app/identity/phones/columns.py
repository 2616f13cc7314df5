"""``parse_phone`` over a whole column, vectorised with Arrow: linkage normalises a million rows.

Nearly every row holds a plainly written current mobile; ``plain_mobiles`` answers those in one
pass of Arrow compute functions with the very rule of the scalar ``plain_mobile`` (the same
PLAIN_PHONE and MOBILE_PATTERN), and ``parse_phone`` decides every other distinct value once. A
test holds the column and the scalar answers equal on a broad sample of inputs.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from app.identity.phones.quality import (
    MOBILE_PATTERN,
    NINE_DIGITS,
    PLAIN_PHONE,
    PhoneQuality,
    parse_phone,
)

_MOBILE = "^(?:" + MOBILE_PATTERN + ")$"
_NULL = pa.scalar(None, pa.string())


def plain_mobiles(raw: pa.Array) -> pa.Array:
    """National 10-digit form of plainly written current mobiles, null elsewhere."""
    text = pc.utf8_trim_whitespace(raw)
    digits = pc.replace_substring_regex(text, r"[^0-9]", "")
    nsn = pc.if_else(
        pc.starts_with(text, "+84"),
        pc.utf8_slice_codeunits(digits, 2),
        pc.if_else(
            pc.starts_with(text, "0"),
            pc.utf8_slice_codeunits(digits, 1),
            pc.if_else(pc.match_substring_regex(text, NINE_DIGITS), digits, _NULL),
        ),
    )
    ok = pc.and_(
        pc.match_substring_regex(text, PLAIN_PHONE),
        pc.and_(pc.equal(pc.utf8_length(nsn), 9), pc.match_substring_regex(nsn, _MOBILE)),
    )
    return pc.if_else(ok, pc.binary_join_element_wise("0", nsn, ""), _NULL)


def parse_phone_column(values: Sequence[object]) -> tuple[list[str | None], list[str]]:
    """(national form, quality value) of each typed phone, as ``parse_phone`` would say."""
    strings = [v if v is None or isinstance(v, str) else str(v) for v in values]
    fast = plain_mobiles(pa.array(strings, pa.string())).to_pylist()
    slow = {
        value: parse_phone(value)
        for value, answered in zip(strings, fast, strict=True)
        if answered is None and value is not None
    }
    national: list[str | None] = []
    quality: list[str] = []
    for value, answered in zip(strings, fast, strict=True):
        if answered is not None:
            national.append(answered)
            quality.append(PhoneQuality.OK.value)
        elif value is None:
            national.append(None)
            quality.append(PhoneQuality.MISSING.value)
        else:
            phone = slow[value]
            national.append(phone.national)
            quality.append(phone.quality.value)
    return national, quality
