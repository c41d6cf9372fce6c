"""CSV files: one Document per row, columns found by name or given by the caller."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..documents import Document, Problem
from ..errors import InputError
from .delimited import Row, read_table
from .options import DEFAULT_OPTIONS, SourceOptions
from .records import (
    ID_NAMES,
    TEXT_NAMES,
    TITLE_NAMES,
    build_meta,
    find_field,
    fold_name,
    record_id,
    title_from_text,
)


@dataclass(frozen=True)
class Columns:
    """Which column holds the id, the title and the text (None: the table has none)."""

    id: str | None
    title: str | None
    text: str | None


def map_columns(path: Path, header: tuple[str, ...], options: SourceOptions) -> Columns:
    """Columns named by the caller (they must exist), else found by their usual names."""
    chosen = {}
    for role, given, aliases in (
        ("id", options.id_column, ID_NAMES),
        ("title", options.title_column, TITLE_NAMES),
        ("text", options.text_column, TEXT_NAMES),
    ):
        if given is None:
            chosen[role] = find_field(header, aliases)
            continue
        found = find_field(header, [fold_name(given)])
        if found is None:
            raise InputError(
                f"{path}: no column {given!r} for the {role}; columns are: {', '.join(header)}"
            )
        chosen[role] = found
    return Columns(**chosen)


def row_to_record(path: Path, row: Row, columns: Columns) -> Document | Problem:
    """One row as a Document; a row with an empty text is a Problem."""
    text = row.cells.get(columns.text or "", "").strip()
    if not text:
        return Problem(str(path), row.line, f"empty text in column {columns.text!r}")
    title = row.cells[columns.title].strip() if columns.title else ""
    title = title or title_from_text(text)
    native = row.cells[columns.id] if columns.id else None
    used = {columns.id, columns.title, columns.text}
    others = {name: value.strip() for name, value in row.cells.items() if name not in used}
    meta = build_meta(others, str(path), row.line)
    return Document(record_id(path.stem, native, title, row.line), title, text, meta)


def iter_csv(path: Path, options: SourceOptions = DEFAULT_OPTIONS) -> Iterator[Document | Problem]:
    """Documents of a CSV file (``;``, ``,`` or tab; UTF-8 with or without BOM, or cp1252).

    Ids are ``<file stem>/<id cell>``; a row without an id gets ``<file stem>/<slug of title>``.
    """
    table = read_table(path)
    if isinstance(table, Problem):
        yield table
        return
    columns = map_columns(path, table.header, options)
    if columns.text is None:
        expected = "/".join(TEXT_NAMES)
        reason = f"no text column (expected one of {expected}; name it with --text-column)"
        yield Problem(str(path), 1, reason)
        return
    for row in table.rows:
        yield row if isinstance(row, Problem) else row_to_record(path, row, columns)
