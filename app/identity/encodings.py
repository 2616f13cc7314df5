"""Vietnamese typed in a legacy 8-bit encoding (TCVN3/ABC, VNI) and read as if it were Unicode.

Old commune spreadsheets typed with .VnTime (TCVN3) or VNI fonts come out as "NguyÔn V¨n §øc" or
"Nguyeãn Vaên Ñöùc". Such text must never be stored or matched — a person under a garbled name
agrees with nobody, or with the wrong person after folding — so it is reported for the officer
to convert the file to Unicode. Detection only: no maintained converter exists. One detector
serves the sheet reader (a garbled cell) and the linkage (a garbled name).

Giveaways, any one of which is enough:
- a Latin-1 symbol or a letter of another language (TCVN3 puts ă â ê ô ơ ư đ and the tone-marked
  vowels on 0xA1–0xFE; VNI writes ư as "ö", đ as "ñ", the grave tone as "ø", the hook as "û",
  the dot below as "ï"). The Latin-1 letters Vietnamese shares (à á â ã è é ê …) are not
  giveaways, nor is the Icelandic Ð, which offices type for Đ (``app.identity.text`` maps it);
- a combining mark left over after NFC (the Windows-1258 bytes of a TCVN3 file put tone marks on
  consonants); UTF-8 read twice ("Nguyá»…n") garbles the same way;
- a vowel pair Vietnamese never writes but VNI produces ("aâ", "eâ", "oâ", "aê").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_LATIN1_VIETNAMESE = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
LEGACY_MARKERS = frozenset(
    ch for ch in map(chr, range(0xA1, 0x100)) if ch not in _LATIN1_VIETNAMESE and ch != "\u00d0"
) | frozenset("\u0152\u0153\u0160\u0161\u017d\u017e\u0178\u0192\u2018\u2019\u201c\u201d\u2022")
_VNI_PAIRS = re.compile("aâ|eâ|oâ|aê|AÂ|EÂ|OÂ|AÊ")
# VNI: a vowel followed by a tone byte read as a Latin-1 letter ("aø", "eã", "oø", "uù").
_VNI_TONE = re.compile(r"[aeiouyâêôAEIOUY][øùûõïòóâêôØÙÛÕÏ]")
_VNI_ONLY = frozenset("øûïöñÑØÛÏÖ")


@dataclass(frozen=True)
class LegacyText:
    encoding: str  # "tcvn3" or "vni": the likely legacy encoding
    characters: str  # the giveaways found, for the report


def detect_legacy(text: str | None) -> LegacyText | None:
    """The legacy encoding ``text`` seems to be in, or None when it reads as Unicode."""
    if not text:
        return None
    text = unicodedata.normalize("NFC", text)
    found = "".join(sorted({ch for ch in text if ch in LEGACY_MARKERS}))
    pair = _VNI_PAIRS.search(text)
    if not found:
        if pair is not None:
            return LegacyText("vni", pair[0])
        leftover = "".join(sorted({ch for ch in text if unicodedata.combining(ch)}))
        return LegacyText("tcvn3", leftover) if leftover else None
    vni = _VNI_TONE.search(text) is not None and any(ch in _VNI_ONLY for ch in found)
    return LegacyText("vni" if vni else "tcvn3", found)


def looks_legacy(text: str) -> bool:
    """True when ``text`` carries the marks of TCVN3/VNI text shown in a Unicode font."""
    return detect_legacy(text) is not None
