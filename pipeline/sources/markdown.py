"""Markdown files: one Document per file, with an optional front-matter block."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..documents import Document, Problem
from .front_matter import FieldValue, FrontMatterError, Split, split_front_matter
from .reading import read_text
from .records import build_meta

HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
SCALAR_KEYS = ("id", "title")  # one value each: a list there is a mistake, never guessed at


def scalar(fields: dict[str, FieldValue], key: str) -> str:
    value = fields.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def title_and_body(fields: dict[str, FieldValue], body: str, stem: str) -> tuple[str, str]:
    """Title from the front matter, else the first ``# `` heading (then cut from the body),
    else the file stem."""
    title = scalar(fields, "title")
    if title:
        return title, body.strip()
    heading = HEADING.search(body)
    if heading:
        before, after = body[: heading.start()].strip(), body[heading.end() :].strip()
        return heading.group(1).strip(), "\n\n".join(part for part in (before, after) if part)
    return stem, body.strip()


def listed_scalar(path: Path, split: Split) -> Problem | None:
    """The Problem of an ``id`` or ``title`` written as a list (an empty one is absent)."""
    for key in SCALAR_KEYS:
        value = split.fields.get(key)
        if value and isinstance(value, list):
            reason = f"the front-matter {key} is a list ({value}); give one {key}"
            return Problem(str(path), split.lines.get(key), reason)
    return None


def iter_markdown(path: Path) -> Iterator[Document | Problem]:
    """The Document of one Markdown file.

    The id is the front-matter ``id`` as written (the author picks the full id, e.g.
    ``seed/tera``), else ``<parent folder>/<file stem>``. Other front-matter keys go to meta
    (``source`` becomes ``origin``: ``meta["source"]`` is the file).
    """
    text = read_text(path)
    if isinstance(text, Problem):
        yield text
        return
    try:
        split = split_front_matter(text.replace("\r\n", "\n"))
    except FrontMatterError as exc:
        yield Problem(str(path), exc.line, exc.reason)
        return
    if problem := listed_scalar(path, split):
        yield problem
        return
    title, body = title_and_body(split.fields, split.body, path.stem)
    if not body:
        yield Problem(str(path), split.body_line, "empty text (nothing after the front matter)")
        return
    doc_id = scalar(split.fields, "id") or f"{path.absolute().parent.name}/{path.stem}"
    others = {key: value for key, value in split.fields.items() if key not in SCALAR_KEYS}
    yield Document(doc_id, title, body, build_meta(others, str(path)))
