"""What every loader shares: field names by alias, ids, titles and meta."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..documents import Document, Problem
from ..text import fold

# Field names each loader recognises, in order of preference (compared after `fold_name`).
ID_NAMES = ("id", "identifiant", "code")
TITLE_NAMES = ("title", "titre", "nom", "name")
TEXT_NAMES = ("text", "texte", "description", "descriptif", "contenu")

# Meta keys the loaders set themselves; a record's own field of that name is kept under another.
RESERVED_META = {"source": "origin", "line": "record_line"}


# A JSON escape of half a surrogate pair: json reads "\ud800" into a string no file can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
# Deeper JSON is no record: it would overflow Python's stack wherever it is read or written.
MAX_JSON_DEPTH = 100


def decode_json(raw: str) -> Any:
    """``json.loads``, refusing with a ValueError (as json.JSONDecodeError, its subclass, refuses
    invalid JSON) what no record holds: nesting deeper than ``MAX_JSON_DEPTH``, and escapes of
    half a surrogate pair."""
    too_deep = f"JSON nested more than {MAX_JSON_DEPTH} deep"
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValueError(too_deep) from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise ValueError(too_deep)
    if _SURROGATE_ESCAPE.search(raw):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a \\u escape of half a surrogate pair, which is no text") from None
    return value


def _depth(value: Any) -> int:
    """How deep lists and objects nest in ``value``, found without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return deepest


def fold_name(name: str) -> str:
    """Case- and accent-insensitive form of a field name: ``Intitulé `` -> ``intitule``."""
    return fold(name.strip())


def find_field(names: Sequence[str], aliases: Iterable[str]) -> str | None:
    """The first of ``names`` (as written) matching an alias, aliases taken in order."""
    folded = {}
    for name in names:
        folded.setdefault(fold_name(name), name)
    for alias in aliases:
        if alias in folded:
            return folded[alias]
    return None


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII, lower-case, hyphen-separated, cut at a word boundary: a stable id part."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0]
    return slug


def title_from_text(text: str, max_length: int = 80) -> str:
    """A title for a record that has none: its first line, cut at a word boundary."""
    first = " ".join(text.strip().split("\n", 1)[0].split())
    if len(first) <= max_length:
        return first
    return first[:max_length].rsplit(" ", 1)[0] + "…"


def record_id(source: str, native: Any, title: str, line: int | None) -> str:
    """``<source>/<native id>``; without one, ``<source>/<slug of title>``, else the line."""
    native_text = "" if native is None else str(native).strip()
    if native_text:
        return f"{source}/{native_text}"
    slug = slugify(title)
    if slug:
        return f"{source}/{slug}"
    return f"{source}/line-{line}"


def build_meta(fields: Mapping[str, Any], source: str, line: int | None = None) -> dict[str, Any]:
    """``fields`` plus ``source`` (the path as given) and ``line`` where known.

    Empty values are dropped; a field named like a reserved key is renamed (``source`` ->
    ``origin``) so that ``meta["source"]`` is always the file the record came from.
    """
    meta: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None or value == "" or value == []:
            continue
        meta[RESERVED_META.get(key, key)] = value
    meta["source"] = source
    if line is not None:
        meta["line"] = line
    return meta


def split_list(cell: str, separator: str = ",") -> list[str]:
    """A separated cell as a list of its non-empty, stripped items."""
    return [item.strip() for item in cell.split(separator) if item.strip()]


def unique_ids(records: Iterable[Document | Problem]) -> Iterator[Document | Problem]:
    """The records with every repeated id turned into a Problem (the first one is kept)."""
    first_seen: dict[str, str] = {}
    for record in records:
        if isinstance(record, Document):
            source, line = record.meta.get("source", ""), record.meta.get("line")
            if record.id in first_seen:
                reason = f"duplicate id {record.id!r} (first seen at {first_seen[record.id]})"
                yield Problem(source, line, reason)
                continue
            first_seen[record.id] = f"{source}:{line}" if line is not None else source
        yield record
