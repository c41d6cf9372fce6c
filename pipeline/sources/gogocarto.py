"""GoGoCarto exports (Transiscope's JSON-LD): one Document per element of the ``data`` list.

Choices: the text is the element's description (``label``), what a person reads; tags and
categories stay in meta. An element with no description still becomes a Document when it has
tags or categories: its text is then a ``Mots-clés : …`` / ``Catégories : …`` line, so that it
can be found. An element with no name, or with nothing to read at all, is a Problem.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..documents import Document, Problem
from .reading import read_text
from .records import build_meta, decode_json, record_id, split_list


def is_gogocarto(content: Any) -> bool:
    """A top-level object whose ``data`` is a list of elements with a ``name``."""
    if not isinstance(content, dict) or not isinstance(content.get("data"), list):
        return False
    return any(isinstance(element, dict) and "name" in element for element in content["data"])


def plain_text(value: Any) -> str:
    """A JSON-LD value (``{"@value": …}``, a string, or a list of them) as tidy plain text."""
    if isinstance(value, list):
        return "\n\n".join(filter(None, (plain_text(item) for item in value)))
    if isinstance(value, dict):
        value = value.get("@value", "")
    if not isinstance(value, str):
        return ""
    lines = [line.strip() for line in html.unescape(value).replace("\xa0", " ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def categories(element: dict[str, Any]) -> list[str]:
    """Category ids from ``taxonomy`` (concepts, or a comma-separated string) or ``categories``."""
    raw = element.get("taxonomy", element.get("categories", []))
    if isinstance(raw, str):
        return split_list(raw)
    names = []
    for item in raw if isinstance(raw, list) else []:
        name = (item.get("@id") or item.get("name")) if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and name.strip() not in names:
            names.append(name.strip())
    return names


def coordinate(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def readable_text(element: dict[str, Any], tags: list[str], cats: list[str]) -> str:
    """The description, else a line of tags and categories (empty when there are none)."""
    text = plain_text(element.get("label", element.get("description")))
    if text:
        return text
    lines = [f"Mots-clés : {', '.join(tags)}" if tags else ""]
    lines.append(f"Catégories : {', '.join(cats)}" if cats else "")
    return "\n".join(line for line in lines if line)


def element_to_record(path: Path, index: int, element: Any) -> Document | Problem:
    if not isinstance(element, dict):
        return Problem(str(path), None, f"element {index}: not an object")
    title = " ".join(str(element.get("name") or "").split())
    if not title:
        return Problem(str(path), None, f"element {index}: no name")
    tags = split_list(element["tags"]) if isinstance(element.get("tags"), str) else []
    cats = categories(element)
    text = readable_text(element, tags, cats)
    if not text:
        reason = f"element {index} ({title}): no description, tags nor categories"
        return Problem(str(path), None, reason)
    geo = element["geo"] if isinstance(element.get("geo"), dict) else {}
    fields = {
        "tags": tags,
        "categories": cats,
        "lat": coordinate(element.get("lat", geo.get("latitude"))),
        "long": coordinate(element.get("long", geo.get("longitude"))),
        "site": str(element.get("site") or element.get("website") or "").strip(),
        "origin": element.get("source"),  # GoGoCarto's source; meta["source"] is the file
        "element": index,
    }
    native = element.get("@id", element.get("id"))
    doc_id = record_id(path.absolute().parent.name, native, title, None)
    return Document(doc_id, title, text, build_meta(fields, str(path)))


def iter_gogocarto(path: Path) -> Iterator[Document | Problem]:
    """Documents of a GoGoCarto JSON export. Ids are ``<folder name>/<@id>`` (e.g.
    ``transiscope/Accorderie4584``), else ``<folder name>/<slug of the name>``."""
    text = read_text(path)
    if isinstance(text, Problem):
        yield text
        return
    try:
        content = decode_json(text)
    except json.JSONDecodeError as exc:
        yield Problem(str(path), exc.lineno, f"invalid JSON: {exc.msg}")
        return
    except ValueError as exc:
        yield Problem(str(path), None, f"invalid JSON: {exc}")
        return
    if not is_gogocarto(content):
        reason = (
            "not a GoGoCarto export (no `data` list of named elements); JSON Lines? name it .jsonl"
        )
        yield Problem(str(path), None, reason)
        return
    for index, element in enumerate(content["data"]):
        yield element_to_record(path, index, element)
