"""Comment-lead detection: which livestream comments an officer should follow up.

A comment is a lead when it carries a phone number or asks for something (advice, registration,
the contribution level, a call back…). Intents are stable labels, safe to store and to count.
The page's (or channel's) own comments and replies are never leads, however they read: the office
asking for a number, promising a call back or giving its own hotline is nobody to call.

Matching is diacritic-insensitive, like matching on ``fold``-ed text, so "dang ky" and "đăng ký"
both count, but a tone the commenter *did* type must agree with the keyword: "cho hội nghị" (for
the conference) is not "cho hỏi" (may I ask). Words must stand alone ("ib" is not in "tribute",
"dk" is not in "dkm"); digits may touch them ("dk0912…").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.identity.phones import find_phones
from app.identity.text import clean_text, fold, strip_tones

# --------------------------------------------------------------------------------------------
# Keyword tables (data). Write keywords with their diacritics: each letter also matches its
# toneless and its bare form, so the unaccented ways people type are covered automatically.
# Sources: the intents and phrases in the lead-detection brief, widened with the usual
# Facebook teen-code abbreviations ("đk", "ib", "tv", "bn", "mk", "lh"). Not yet tuned on a
# corpus of real comments: add phrases here (with a test) as officers report misses.
# --------------------------------------------------------------------------------------------


def _wants(verbs: Iterable[str], objects: Iterable[str]) -> tuple[str, ...]:
    """Every "verb object" phrase, e.g. "mua bhyt", for the scheme-interest intents."""
    return tuple(f"{verb} {obj}" for verb, obj in itertools.product(verbs, objects))


_JOIN = ("mua", "tham gia", "đóng", "đăng ký", "đăng kí", "đk", "gia hạn", "làm")

INTENT_KEYWORDS: dict[str, tuple[str, ...]] = {
    # Asking for advice. "tv" alone is also "television", so only with a request around it.
    "tu_van": (
        "tư vấn",
        "tv giúp",
        "tv giùm",
        "tv với",
        "tv cho em",
        "tv cho e",
        "tv cho mình",
        "tv cho mk",
        "tv cho tôi",
        "nhờ tv",
        "cần tv",
        "xin tv",
    ),
    # Wanting to register; "đk", "đky", "đki" are the usual abbreviations.
    "dang_ky": ("đăng ký", "đăng kí", "đk", "đky", "đki"),
    # The contribution level: the most frequent question about BHXH tự nguyện.
    "muc_dong": (
        "mức đóng",
        "đóng bao nhiêu",
        "đóng bn",
        "phí bao nhiêu",
        "phí bn",
        "mức phí",
        "bao nhiêu tiền",
        "đóng mỗi tháng",
        "mỗi tháng đóng",
        # How to pay: at once for years, online, or on one's own after leaving a job.
        "đóng một lần",
        "đóng 1 lần",
        "đóng online",
        "đóng qua mạng",
        "chuyển sang đóng",
        "đóng như thế nào",
        "đóng thế nào",
        "cách đóng",
    ),
    # What the State pays towards it (poor and near-poor households): asked in every live.
    "ho_tro": (
        "hỗ trợ bao nhiêu",
        "mức hỗ trợ",
        "được hỗ trợ",
        "nhà nước hỗ trợ",
        "hỗ trợ của nhà nước",
        "ngân sách hỗ trợ",
    ),
    # "Message me privately": commenters keep phone numbers out of the public thread.
    "inbox": ("inbox", "ib", "inb", "ibx", "check ib", "nhắn tin", "nhắn riêng"),
    # Asking a question; "cho X hỏi" with the usual pronouns.
    "hoi": (
        "cho hỏi",
        "cho em hỏi",
        "cho e hỏi",
        "cho mình hỏi",
        "cho mk hỏi",
        "cho tôi hỏi",
        "cho chị hỏi",
        "cho anh hỏi",
        "cho cháu hỏi",
        "cho con hỏi",
        "xin hỏi",
        "hỏi chút",
        "hỏi xíu",
        "muốn hỏi",
    ),
    # Asking to be contacted; "lh" is the usual abbreviation of "liên hệ".
    "lien_he": ("liên hệ", "lh", "gọi lại", "gọi cho", "gọi giúp", "gọi điện", "call"),
    # Benefits: what a participant gets, above all the pension.
    "quyen_loi": (
        "quyền lợi",
        "lương hưu",
        "hưởng lương hưu",
        "nghỉ hưu",
        "về hưu",
        "được hưởng",
        "hưởng chế độ",
        "trợ cấp",
        "tử tuất",
    ),
    # Whether someone (often a parent past 55) can still join: "tham gia được không", "dc ko".
    "dieu_kien": (
        *(
            f"tham gia {can} {no}"
            for can, no in itertools.product(("được", "đc"), ("không", "k", "ko", "hông"))
        ),
        "có được tham gia",
        "điều kiện tham gia",
    ),
    # Interest in a scheme: a verb of joining next to the scheme's name.
    "bhyt": (
        *_wants(_JOIN, ("bhyt", "bảo hiểm y tế", "thẻ bhyt")),
        "bhyt hộ gia đình",
        "bhyt hgđ",
    ),
    "bhxh": _wants(_JOIN, ("bhxh", "bảo hiểm xã hội", "bhxh tự nguyện", "bhxhtn")),
}

# Phrases blanked out before matching, because they contain a keyword but mean something else.
# Tones rule most of them out already; these matter for comments typed without diacritics.
NOT_INTENT: tuple[str, ...] = (
    "hội nghị",  # "cảm ơn BTC cho hoi nghi" (conference) vs "cho hỏi"
    "hội viên",
    "hội phụ nữ",
    "hội nông dân",
    "hội cựu chiến binh",
    "hội người cao tuổi",
    "kêu gọi",  # "kêu gọi cho mọi người" (appeal), not "gọi cho em"
    "không đk",  # teen code "đk" is also "được": "ko dk" = "cannot"
    "ko đk",
    "k đk",
    "kh đk",
    "đủ đk",  # "đủ điều kiện" (eligible)
    "hưởng ứng",  # "rat vui duoc huong ung" (to answer a call), not "được hưởng" (to receive)
)

# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------

_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"


def _letter(ch: str) -> str:
    """A pattern for one keyword letter: itself, without its tone, or bare ("ấ" → [ấâa])."""
    variants = sorted({ch, strip_tones(ch), fold(ch)})
    if len(variants) == 1:
        return re.escape(ch)
    return "[" + "".join(re.escape(v) for v in variants) + "]"


def _phrase(keyword: str) -> str:
    """A pattern for a keyword; words may also be written together ("dangky", "tuvan")."""
    words = clean_text(keyword).split(" ")
    return r"\s*".join("".join(_letter(ch) for ch in word) for word in words)


def _compile(keywords: Iterable[str]) -> re.Pattern[str]:
    # Longest first, so "check ib" is not cut short by "ib" (both mean the same, but spans matter
    # for NOT_INTENT).
    phrases = sorted({_phrase(k) for k in keywords}, key=len, reverse=True)
    return re.compile(_NOT_LETTER_BEFORE + "(?:" + "|".join(phrases) + ")" + _NOT_LETTER_AFTER)


_INTENT_PATTERNS: dict[str, re.Pattern[str]] = {
    label: _compile(keywords) for label, keywords in INTENT_KEYWORDS.items()
}
_NOT_INTENT_PATTERN = _compile(NOT_INTENT)


@dataclass(frozen=True)
class LeadScan:
    """What one comment offers for follow-up: E.164 phones and intent labels (table order)."""

    phones: tuple[str, ...]
    intents: tuple[str, ...]

    @property
    def is_lead(self) -> bool:
        """Worth an officer's call: a phone number, or at least one intent."""
        return bool(self.phones or self.intents)


def find_intents(text: str) -> tuple[str, ...]:
    """Intent labels present in a comment, in INTENT_KEYWORDS order, each once."""
    text = _NOT_INTENT_PATTERN.sub(" | ", clean_text(text))
    return tuple(label for label, pattern in _INTENT_PATTERNS.items() if pattern.search(text))


def scan_comment(text: str, *, by_owner: bool = False) -> LeadScan:
    """Phones and intents of one livestream comment; greetings and emoji give an empty scan.

    ``by_owner``: the page or channel wrote it (collectors tell, ``CommentRecord.by_owner``);
    its scan is empty, so its phone is not kept either.
    """
    if by_owner:
        return LeadScan(phones=(), intents=())
    return LeadScan(phones=find_phones(text), intents=find_intents(text))
