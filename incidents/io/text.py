"""Decoding text files that come from spreadsheets and other tools in the wild."""

from __future__ import annotations

import codecs

from incidents.errors import FileFormatError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, name: str = "file") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Tries, in order: a byte-order mark (UTF-8, UTF-16 LE/BE); UTF-16 without BOM when every other byte is
    zero; UTF-8; Windows-1256 (Arabic Windows, what Excel on an Arabic system saves as "CSV").

    Raises
    ------
    FileFormatError
        The bytes are none of these encodings.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, name), encoding
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _decode(data, encoding, name), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode(data, "cp1256", name), "windows-1256"


def _looks_utf16(data: bytes) -> bool:
    sample = data[:400]
    if len(sample) < 4:
        return False
    zeros_odd = sample[1::2].count(0)
    zeros_even = sample[0::2].count(0)
    half = len(sample) // 2
    return max(zeros_odd, zeros_even) > half * 0.3


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            f"{name}: cannot read the text as {encoding} (byte {exc.start}); save it as UTF-8 and try again"
        ) from None
