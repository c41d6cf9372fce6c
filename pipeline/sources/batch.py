"""Batch files of the ``query`` and ``tag`` commands: one query, or one file path, a line, or
JSON Lines objects with a ``text`` field. Every bad line is refused before any work is done,
with its file and line."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .reading import binary_reason, decode
from .records import decode_json


@dataclass(frozen=True)
class BatchItem:
    line: int
    text: str
    file: str | None = None  # the file the text was read from, when the line named one


def read_queries(path: Path) -> list[str]:
    """Queries of a batch file: one a line, or JSONL objects with a ``text`` field."""
    return [
        _json_text(path, number, line) if line.lstrip().startswith("{") else line
        for number, line in _lines(path)
    ]


def read_tag_batch(path: Path) -> Iterator[BatchItem]:
    """Texts of a batch file: JSONL objects with a ``text`` field, or one file path a line.
    The lines are all checked first; the files are read one by one."""
    items: list[tuple[int, str, bool]] = []
    for number, line in _lines(path):
        if line.lstrip().startswith("{"):
            items.append((number, _json_text(path, number, line), False))
        elif not Path(line).is_file():
            raise InputError(f"{path}:{number}: no such file {line!r}")
        else:
            items.append((number, line, True))
    for number, value, is_file in items:
        if is_file:
            yield BatchItem(number, read_text_file(value), value)
        else:
            yield BatchItem(number, value)


def read_text_file(path: str) -> str:
    """A whole text file (``-`` is standard input), UTF-8 or cp1252."""
    if path == "-":
        return sys.stdin.read()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe would be waited on forever
            raise InputError(f"{path}: not a regular file")
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if reason := binary_reason(data):
        raise InputError(f"{path}: {reason}")
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: neither UTF-8 nor cp1252 text ({exc.reason})") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as text files read in Python


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield number, line.strip()


def _json_text(path: Path, number: int, line: str) -> str:
    try:
        text = decode_json(line).get("text")
    except (ValueError, AttributeError) as exc:
        raise InputError(f"{path}:{number}: invalid JSON ({exc})") from exc
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{path}:{number}: no text field")
    return text
