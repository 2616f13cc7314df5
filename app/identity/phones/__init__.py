"""Vietnamese phone numbers, as typed and as written in free text.

- ``plan``: one typed number → E.164 (``normalize_phone``), the 2018 11→10-digit table, the
  national form and the mask shown to roles that may not see the number.
- ``free_text``: the phones written in a comment (``find_phones``) and the comment with them
  hidden (``mask_phones``).
- ``quality``: a number with its quality flag for the linkage (``parse_phone``), and the fast
  path for plainly written mobiles; ``columns``: the same over an Arrow column (imported on its
  own: it loads pyarrow).
"""

from __future__ import annotations

from app.identity.phones.free_text import find_phones, mask_phones
from app.identity.phones.plan import (
    OLD_MOBILE_PREFIXES,
    grouping_rules,
    mask_phone,
    national,
    normalize_phone,
    shown_phone,
)
from app.identity.phones.quality import Phone, PhoneQuality, parse_phone

__all__ = [
    "OLD_MOBILE_PREFIXES",
    "Phone",
    "PhoneQuality",
    "find_phones",
    "grouping_rules",
    "mask_phone",
    "mask_phones",
    "national",
    "normalize_phone",
    "parse_phone",
    "shown_phone",
]
