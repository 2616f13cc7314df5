"""Turning a CSV's bytes into text.

Vietnamese offices save CSV from Excel as UTF-8 (often with a BOM), "Unicode text" (UTF-16 with
a BOM) or the Windows code page 1258. CP1258 writes most tone marks as *combining* characters
after the letter, so decoded text is NFC-normalised to compare equal with typed Unicode.

Files from the TCVN3 (ABC, ".VnTime" fonts) and VNI eras decode without error in any 8-bit code
page but come out garbled; ``app.identity.encodings.looks_legacy`` catches them afterwards.
"""

from __future__ import annotations

import codecs
import unicodedata

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
