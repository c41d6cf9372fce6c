"""Reading a file into text: the one place that knows about encodings and unreadable files."""

from __future__ import annotations

from pathlib import Path

from ..documents import Problem

UTF8_BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252, the two encodings French files come in.

    Raises UnicodeDecodeError when neither fits (cp1252 leaves five bytes undefined).
    """
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def line_of(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset."""
    return data.count(b"\n", 0, offset) + 1


def read_text(path: Path) -> str | Problem:
    """The decoded content of ``path``, or the Problem that prevents reading it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Problem(str(path), None, f"cannot read the file: {exc.strerror or exc}")
    try:
        return decode(data)
    except UnicodeDecodeError as exc:
        # With a BOM the offsets count from after it.
        offset = exc.start + (len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0)
        bad = exc.object[exc.start : exc.end]
        reason = f"undecodable bytes {bad!r} (the file is neither UTF-8 nor cp1252)"
        return Problem(str(path), line_of(data, offset), reason)
