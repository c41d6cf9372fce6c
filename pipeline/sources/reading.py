"""Reading a file into text: the one place that knows about encodings and unreadable files."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..documents import Problem

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control characters no text file holds (tab, line feed, form feed and carriage return aside).
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13)) + b"\x7f"


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (as spreadsheets export "Unicode
    text"), else cp1252, the encodings French files come in.

    Raises UnicodeDecodeError when none fits (cp1252 leaves five bytes undefined).
    """
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8")
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def line_of(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset."""
    return data.count(b"\n", 0, offset) + 1


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is no text (an image named .md, an archive named .txt), or None."""
    if data.startswith(UTF16_BOMS):
        return None
    head = data[:8192]
    if b"\x00" in head:
        if _utf16_without_bom(head):
            return "UTF-16 text without a byte-order mark (save it as UTF-8)"
        return "binary content (NUL bytes), not a text file"
    controls = sum(head.count(c) for c in _CONTROL)
    if head and controls > len(head) // 100:
        return "binary content (control characters), not a text file"
    return None


def _utf16_without_bom(head: bytes) -> bool:
    """Text of Western scripts in UTF-16: one byte of every two is NUL, on the same side."""
    halves = (head[0::2], head[1::2])
    return len(head) >= 4 and any(half.count(0) >= 0.9 * len(half) for half in halves)


def read_text(path: Path) -> str | Problem:
    """The decoded content of ``path``, or the Problem that prevents reading it (a binary
    file, undecodable bytes, an unreadable file)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Problem(str(path), None, f"cannot read the file: {exc.strerror or exc}")
    reason = binary_reason(data)
    if reason:
        return Problem(str(path), None, f"{reason}: skipped")
    try:
        return decode(data)
    except UnicodeDecodeError as exc:
        # With a BOM the offsets count from after it.
        offset = exc.start + (len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0)
        bad = exc.object[exc.start : exc.end]
        reason = f"undecodable bytes {bad!r} (the file is neither UTF-8 nor cp1252)"
        return Problem(str(path), line_of(data, offset), reason)
