"""Turning a CSV's bytes into text, and noticing text typed in the old 8-bit Vietnamese fonts.

Vietnamese offices save CSV from Excel as UTF-8 (often with a BOM), "Unicode text" (UTF-16 with
a BOM) or the Windows code page 1258. CP1258 writes most tone marks as *combining* characters
after the letter, so decoded text is NFC-normalised to compare equal with typed Unicode.

Files from the TCVN3 (ABC, ".VnTime" fonts) and VNI eras decode without error in any 8-bit code
page but come out as mojibake ("NguyÔn V¨n", "Nguyeãn Vaên"): such text is reported, never
imported, because a person stored under a garbled name can never be matched again.
"""

from __future__ import annotations

import codecs
import unicodedata

# Characters that never occur in Vietnamese written in Unicode but fill TCVN3 and VNI text read
# as Windows code pages: Latin-1 symbols (TCVN3 puts ă â ê ô ơ ư đ and the tone-marked vowels
# at 0xA1–0xFE) and Latin-1 letters of other languages (VNI writes ư as "ö", đ as "ñ", the
# grave tone as "ø", the hook as "û", the dot below as "ï").
_LATIN1_VIETNAMESE = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
LEGACY_MARKERS = frozenset(
    ch for ch in map(chr, range(0xA1, 0x100)) if ch not in _LATIN1_VIETNAMESE and ch != "\u00d0"
) | frozenset("\u0152\u0153\u0160\u0161\u017d\u017e\u0178\u0192\u2018\u2019\u201c\u201d\u2022")
# Vowel pairs that VNI produces (a base vowel followed by its modifier byte) and Vietnamese never
# writes: "aâ", "eâ", "oâ" (VNI's circumflex), "aê" (VNI's breve).
_VNI_PAIRS = ("aâ", "eâ", "oâ", "aê", "AÂ", "EÂ", "OÂ", "AÊ")

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UndecodableText(ValueError):
    """The bytes are not text in any encoding we read."""


def decode_text(data: bytes) -> tuple[str, str]:
    """The text (NFC) and the encoding it was read with.

    Order: a byte-order mark decides; else strict UTF-8; else UTF-16 without a BOM when every
    other byte is NUL; else Windows-1258 (the last resort, which also decodes legacy-font files;
    ``looks_legacy`` catches those afterwards).
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decoded(data, encoding)
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4000]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return _decoded(data, "utf-16-le")
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return _decoded(data, "utf-16-be")
    return _decoded(data, "cp1258")


def _decoded(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableText(encoding) from exc
    return unicodedata.normalize("NFC", text), encoding


def looks_legacy(text: str) -> bool:
    """True when ``text`` carries the marks of TCVN3/VNI text shown in a Unicode font.

    Also true for a combining mark left over after NFC (CP1258 bytes of a TCVN3 file put tone
    marks on consonants), and for UTF-8 read twice ("Nguyá»…n"), which garbles the same way.
    """
    text = unicodedata.normalize("NFC", text)
    if any(ch in LEGACY_MARKERS for ch in text):
        return True
    if any(unicodedata.combining(ch) for ch in text):
        return True
    return any(pair in text for pair in _VNI_PAIRS)
