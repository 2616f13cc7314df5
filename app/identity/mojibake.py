"""Detecting legacy-encoded Vietnamese (TCVN3/ABC, VNI) read as if it were Unicode.

Old commune spreadsheets typed with .VnTime (TCVN3) or VNI fonts come out as "NguyÔn V¨n §øc" or
"Nguyeãn Vaên Ñöùc". Such a name must not be matched — it would agree with nothing, or with the
wrong person after folding — so it is reported for the officer to re-save the file in Unicode.
Detection only: no maintained converter exists (shared/research/linkage-vn-data.md §2.1).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Latin-1 / Windows-1252 characters that never occur in Vietnamese words but fill TCVN3 and VNI
# text: TCVN3 puts its accented letters on ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ and on the capital
# and small letters Vietnamese does not use; VNI writes tones as a second byte (ø ù û õ ï …).
_FOREIGN = frozenset(
    "¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþÿŒœŠšŽžŸƒˆ˜‚„…†‡‰‹›‘’“”•–—™"
)
# VNI: a vowel followed by a tone byte read as a Latin-1 letter ("aø", "eã", "oø", "uù").
_VNI_TONE = re.compile(r"[aeiouyâêôAEIOUY][øùûõïòóâêôØÙÛÕÏ]")
_VNI_ONLY = frozenset("øûïöñÑØÛÏÖ")


@dataclass(frozen=True)
class Mojibake:
    encoding: str  # "tcvn3" or "vni": the likely legacy encoding
    characters: str  # the giveaway characters found, for the report


def detect_mojibake(text: str | None) -> Mojibake | None:
    """The legacy encoding ``text`` seems to be in, or None when it reads as Unicode."""
    if not text:
        return None
    text = unicodedata.normalize("NFC", text)
    found = "".join(sorted({ch for ch in text if ch in _FOREIGN}))
    if not found:
        return None
    vni = _VNI_TONE.search(text) is not None and any(ch in _VNI_ONLY for ch in found)
    return Mojibake("vni" if vni else "tcvn3", found)
