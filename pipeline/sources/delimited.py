"""Delimited tables (CSV): separator sniffing and rows with their physical line numbers.

Shared by the generic CSV loader and the France PAT importer.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..documents import Problem
from .reading import read_text

SEPARATORS = (";", ",", "\t")

# Free-text cells in real exports (France PAT descriptions) can exceed the default 128 KiB.
csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))


@dataclass(frozen=True)
class Row:
    """One record: the physical line it starts on, and its cells keyed by column name."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class Table:
    """A decoded table, in file order. A malformed row is a Problem in its place; a parse
    error the reader cannot get past ends the table with a Problem."""

    header: tuple[str, ...]
    separator: str
    rows: tuple[Row | Problem, ...]


def sniff_separator(header_line: str) -> str:
    """The separator occurring most often outside quotes in the header (``;`` wins ties)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(SEPARATORS, key=lambda sep: counts[sep])


def physical_lines(text: str) -> Iterator[str]:
    """Lines split on ``\\n`` only, ends kept, so that csv's line count is an editor's one."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end == -1:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def read_table(path: Path) -> Table | Problem:
    """The table in ``path`` (encoding and separator detected), or why it cannot be read.

    A record the parser cannot close (a quote never closed, text after a closing quote) ends
    the table with a Problem naming the lines not read: the rows before it are kept, and what
    follows it is never silently merged into one cell.
    """
    text = read_text(path)
    if isinstance(text, Problem):
        return text
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        return Problem(str(path), 1, "no header line (the file is empty or starts blank)")
    separator = sniff_separator(first_line)
    # strict: a quote closed and followed by text is an error, not silently glued on.
    reader = csv.reader(physical_lines(text), delimiter=separator, strict=True)
    try:
        header = tuple(name.strip() for name in next(reader))
    except csv.Error as exc:
        return Problem(str(path), 1, f"unreadable header line ({exc})")
    return Table(header, separator, tuple(_rows(path, reader, header, text)))


def _rows(path: Path, reader, header: tuple[str, ...], text: str) -> Iterator[Row | Problem]:
    last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(str(path), line, _unparsed(exc, line, last_line))
            return
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            yield Problem(
                str(path), line, f"{len(cells)} fields where the header has {len(header)}"
            )
            continue
        if len(cells) < len(header) and reader.line_num == last_line and not text.endswith("\n"):
            reason = (
                f"the file ends inside this record ({len(cells)} of {len(header)} fields, "
                "no final line break): truncated? record skipped"
            )
            yield Problem(str(path), line, reason)
            return
        cells += [""] * (len(header) - len(cells))
        yield Row(line, dict(zip(header, cells, strict=True)))


def _unparsed(error: csv.Error, line: int, last_line: int) -> str:
    """Why the record starting on ``line`` cannot be read, and what is lost with it."""
    lost = f"line {line}" if line >= last_line else f"lines {line}-{last_line}"
    if "unexpected end of data" in str(error):
        return (
            f"unterminated quote: the field opened in this record runs to the end of the file; "
            f"{lost} not read"
        )
    if "expected after" in str(error):
        return (
            "text after the closing quote of a cell (a quote inside a quoted cell is written "
            f'""; was a quote left open above?); {lost} not read'
        )
    return f"malformed CSV record ({error}); {lost} not read"
