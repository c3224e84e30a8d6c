"""Decoding text files that come from spreadsheets and other tools in the wild, saying how it was decided."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from incidents.domain.errors import FileFormatError
from incidents.domain.validation import Problem

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: A byte of 0x80 and above standing alone between ASCII letters ("Se\xf1ora"): a Latin accented letter.
_LONE_HIGH = re.compile(rb"(?<=[A-Za-z])[\x80-\xff](?=[A-Za-z])")
#: Runs of two or more bytes of 0x80 and above: Arabic words in Windows-1256 (Latin text rarely has them).
_HIGH_RUN = re.compile(rb"[\xc0-\xff]{2,}")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the encoding used and why it was chosen."""

    text: str
    encoding: str
    evidence: str


def decode_text(data: bytes, name: str = "file") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)`` (see :func:`decode_with_evidence`)."""
    decoded = decode_with_evidence(data, name)
    return decoded.text, decoded.encoding


def decode_with_evidence(data: bytes, name: str = "file") -> Decoded:
    """Decode ``data``, saying which encoding was used and on what evidence.

    Tries, in order: a byte-order mark (UTF-8, UTF-16 LE/BE); UTF-16 without BOM when many bytes are zero;
    UTF-8; then, for the 8-bit encodings, Windows-1256 (Arabic Windows, what Excel on an Arabic system saves
    as "CSV") when bytes above 0x7F come in runs (Arabic words), Windows-1252 (Latin-1) when they stand alone
    between Latin letters ("Señora").

    Raises
    ------
    FileFormatError
        The bytes are none of these encodings, or the text holds NUL characters.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_decode(data, encoding, name), encoding, f"byte-order mark for {encoding}", name)
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _checked(_decode(data, encoding, name), encoding,
                        "no byte-order mark, but every other byte is zero", name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        invalid = f"not UTF-8 (byte 0x{data[exc.start]:02X} at offset {exc.start})"
    else:
        return _checked(text, "utf-8", "valid UTF-8", name)
    lone, runs = len(_LONE_HIGH.findall(data)), len(_HIGH_RUN.findall(data))
    if lone > runs:
        evidence = (f"{invalid}; {lone} byte(s) above 0x7F stand alone between Latin letters and {runs} run(s) "
                    "of them look like Arabic words: read as Windows-1252 (Latin-1)")
        try:
            return _checked(data.decode("cp1252"), "windows-1252", evidence, name)
        except UnicodeDecodeError:  # bytes Windows-1252 leaves undefined: ISO 8859-1 defines them all
            return _checked(data.decode("latin-1"), "latin-1", evidence.replace("Windows-1252 (Latin-1)",
                                                                                 "Latin-1"), name)
    evidence = (f"{invalid}; {runs} run(s) of bytes above 0x7F look like Arabic words and {lone} stand alone "
                "between Latin letters: read as Windows-1256 (Arabic)")
    return _checked(_decode(data, "cp1256", name), "windows-1256", evidence, name)


def _checked(text: str, encoding: str, evidence: str, name: str) -> Decoded:
    position = text.find("\x00")
    if position >= 0:
        line = text.count("\n", 0, position) + 1
        raise FileFormatError.said("file_errors.nul_line", name=name, line=line)
    return Decoded(text, encoding, evidence)


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
        raise FileFormatError.said("file_errors.not_encoding", name=name, encoding=encoding,
                                   position=exc.start) from None


#: What no database can store: NUL (byte zero), and a lone UTF-16 surrogate (half of a pair, which a JSON escape
#: such as ``"\ud800"`` can make but no UTF-8 text holds).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_problem(field_name: str, value: object) -> Problem | None:
    """Return the problem of field ``field_name`` holding ``value`` no database can store (see
    :func:`unstorable_said`), or None."""
    found = unstorable_said(value)
    return None if found is None else Problem.said(field_name, found[0], **found[1])


def unstorable_said(value: object, where: str = "") -> tuple[str, dict[str, object]] | None:
    """Return the catalogue entry and values that say where and why ``value`` cannot be stored, or None."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found is None:
            return None
        at = f"{where}: " if where else ""
        if found.group() == "\x00":
            return "problems.nul", {"at": at, "position": found.start() + 1}
        return "problems.surrogate", {"at": at, "position": found.start() + 1, "code": f"\\u{ord(found.group()):04x}"}
    if isinstance(value, dict):
        for key, item in value.items():
            shown = _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(key))  # the message is stored text
            inner = f"{where}.{shown}" if where else shown
            problem = unstorable_said(str(key), f"{inner} (the key)") or unstorable_said(item, inner)
            if problem:
                return problem
    if isinstance(value, list):
        for index, item in enumerate(value):
            problem = unstorable_said(item, f"{where}[{index}]")
            if problem:
                return problem
    return None
