"""JSON Lines: one object per line with ``id``, ``title``, ``text``; other keys go to meta."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..documents import Document, Problem
from .reading import UTF8_BOM, UTF16_BOMS, binary_reason
from .records import (
    ID_NAMES,
    TEXT_NAMES,
    TITLE_NAMES,
    build_meta,
    decode_json,
    find_field,
    record_id,
    title_from_text,
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # an id with a newline could never be removed


def object_to_record(path: Path, line: int, record: Any) -> Document | Problem:
    """One decoded JSON value as a Document, or the Problem that prevents it."""
    if not isinstance(record, dict):
        return Problem(str(path), line, f"expected a JSON object, got {type(record).__name__}")
    keys = list(record)
    id_key, title_key, text_key = (
        find_field(keys, names) for names in (ID_NAMES, TITLE_NAMES, TEXT_NAMES)
    )
    text = record.get(text_key) if text_key else None
    if text is not None and not isinstance(text, str):
        return Problem(str(path), line, f"{text_key} must be a string, got {text!r:.40}")
    if not text or not text.strip():
        return Problem(str(path), line, "missing or empty text")
    native = record.get(id_key) if id_key else None
    if native is not None and (isinstance(native, bool) or not isinstance(native, (str, int))):
        return Problem(str(path), line, f"id must be a string or an integer, got {native!r}")
    if isinstance(native, str) and _CONTROL.search(native):
        return Problem(str(path), line, f"id holds a control character: {native!r:.40}")
    title = record.get(title_key) if title_key else None
    title = str(title).strip() if title is not None else ""
    title = title or title_from_text(text)
    others = {
        key: value for key, value in record.items() if key not in {id_key, title_key, text_key}
    }
    meta = build_meta(others, str(path), line)
    return Document(record_id(path.stem, native, title, line), title, text.strip(), meta)


def iter_jsonl(path: Path) -> Iterator[Document | Problem]:
    """Documents of a JSON Lines file, decoded line by line so that one bad line costs one record.

    Blank lines are skipped. Ids are ``<file stem>/<id>``, else ``<file stem>/<slug of title>``.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(str(path), None, f"cannot read the file: {exc.strerror or exc}")
        return
    reason = binary_reason(data)
    if reason is None and data.startswith(UTF16_BOMS):
        reason = "UTF-16 text (JSON Lines must be UTF-8)"
    if reason:  # one line for the file, not one per line of an image
        yield Problem(str(path), None, f"{reason}: skipped")
        return
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.end]
            yield Problem(
                str(path), number, f"undecodable bytes {bad!r} (JSON Lines must be UTF-8)"
            )
            continue
        try:
            record = decode_json(line)
        except json.JSONDecodeError as exc:
            yield Problem(str(path), number, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except ValueError as exc:
            yield Problem(str(path), number, f"invalid JSON: {exc}")
            continue
        yield object_to_record(path, number, record)
