"""Plain text holding several initiatives, as in the seed document.

The layout this reads (one paragraph per line, as the seed is written)::

    Illustrations de coopérations…        <- header: not followed by a paragraph, skipped
    PTCE TERA, un éco-système…            <- title: short, no final stop, then a paragraph
    Implanté dans trois communes…         <- paragraphs (the text)
    Contact : …                           <- ends the initiative; kept in meta["contact"]
    Lire aussi : …                        <- kept in meta["read_also"]

Rules: a *title* is a line of at most 200 characters, with a letter, not ending in
``. : ; , …``, whose next line is a paragraph (a line that is not a title candidate). Lines
before the first title are the document header. Each title starts a new initiative, with or
without a Contact line before it. Lines after a Contact line and before the next title continue
the contact. A line starting in lower case right after another line (no blank line between)
continues a hard-wrapped paragraph. A file in which no title is found is one initiative titled
by the file stem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..documents import Document, Problem
from .reading import read_text
from .records import build_meta, record_id

CONTACT = re.compile(r"^contacts?\s*:\s*", re.IGNORECASE)
READ_ALSO = re.compile(r"^lire aussi\s*:\s*", re.IGNORECASE)
TITLE_MAX_LENGTH = 200
NOT_TITLE_ENDINGS = (".", ":", ";", ",", "…")


@dataclass(frozen=True)
class Unit:
    """A logical line: its first physical line number and its stripped text."""

    line: int
    text: str


@dataclass
class Initiative:
    """An initiative being read; mutable only while the file is parsed."""

    title: str
    line: int
    paragraphs: list[str] = field(default_factory=list)
    contact: list[str] = field(default_factory=list)
    read_also: list[str] = field(default_factory=list)
    closed: bool = False


def logical_lines(text: str) -> list[Unit]:
    units: list[Unit] = []
    after_blank = True
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            after_blank = True
            continue
        if units and not after_blank and line[0].islower():
            units[-1] = Unit(units[-1].line, f"{units[-1].text} {line}")
        else:
            units.append(Unit(number, line))
        after_blank = False
    return units


def is_labelled(text: str) -> bool:
    return bool(CONTACT.match(text) or READ_ALSO.match(text))


def could_be_title(text: str) -> bool:
    return (
        len(text) <= TITLE_MAX_LENGTH
        and not text.endswith(NOT_TITLE_ENDINGS)
        and any(char.isalpha() for char in text)
        and not is_labelled(text)
    )


def is_title(units: list[Unit], index: int) -> bool:
    """A title candidate followed by a paragraph."""
    if index + 1 >= len(units) or not could_be_title(units[index].text):
        return False
    following = units[index + 1].text
    return not could_be_title(following) and not is_labelled(following)


def split_initiatives(units: list[Unit], untitled: Initiative | None = None) -> list[Initiative]:
    """Initiatives in reading order; with ``untitled``, every line belongs to that one."""
    initiatives = [untitled] if untitled else []
    for index, unit in enumerate(units):
        current = initiatives[-1] if initiatives else None
        if CONTACT.match(unit.text):
            if current:
                current.contact.append(CONTACT.sub("", unit.text))
                current.closed = True
        elif READ_ALSO.match(unit.text):
            if current:
                current.read_also.append(READ_ALSO.sub("", unit.text))
        elif untitled is None and is_title(units, index):
            initiatives.append(Initiative(unit.text, unit.line))
        elif current is None:
            continue  # the document header
        elif current.closed:
            current.contact.append(unit.text)
        else:
            current.paragraphs.append(unit.text)
    return initiatives


def to_record(path: Path, initiative: Initiative) -> Document | Problem:
    if not initiative.paragraphs:
        return Problem(str(path), initiative.line, "empty text (no paragraph under the title)")
    fields = {
        "contact": "\n".join(initiative.contact),
        "read_also": "\n".join(initiative.read_also),
    }
    doc_id = record_id(path.stem, None, initiative.title, initiative.line)
    text = "\n\n".join(initiative.paragraphs)
    return Document(doc_id, initiative.title, text, build_meta(fields, str(path), initiative.line))


def iter_text(path: Path) -> Iterator[Document | Problem]:
    """The initiatives of a text file; ids are ``<file stem>/<slug of the title>``."""
    text = read_text(path)
    if isinstance(text, Problem):
        yield text
        return
    units = logical_lines(text.replace("\r\n", "\n"))
    if not units:
        yield Problem(str(path), None, "empty file")
        return
    initiatives = split_initiatives(units) or split_initiatives(
        units, untitled=Initiative(path.stem, units[0].line)
    )
    for initiative in initiatives:
        yield to_record(path, initiative)
