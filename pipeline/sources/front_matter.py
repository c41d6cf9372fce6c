"""The front-matter block of a Markdown file: flat ``key: value`` lines and simple lists.

A deliberately small subset of YAML, so that values stay strings (YAML would turn ``id: 012``
into 12 and ``no`` into False): quoted or bare scalars, ``[a, b]`` flow lists, and block
lists of ``- item`` lines under an empty key. Nested mappings are refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

FieldValue = str | list[str]
OPENING = "---"
CLOSINGS = ("---", "...")


class FrontMatterError(ValueError):
    """A front-matter line outside the supported subset."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Split:
    """A Markdown file cut into its front-matter fields and its body."""

    fields: dict[str, FieldValue]
    body: str
    body_line: int  # 1-based line where the body starts
    lines: dict[str, int] = field(default_factory=dict)  # the line of each field's key


def parse_scalar(value: str) -> str:
    """A bare, ``"double"`` (JSON escapes) or ``'single'`` (``''`` escape) quoted scalar."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return str(json.loads(value))
        except json.JSONDecodeError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def parse_value(value: str) -> FieldValue:
    if value.startswith("[") and value.endswith("]"):
        return [parse_scalar(item.strip()) for item in value[1:-1].split(",") if item.strip()]
    return parse_scalar(value)


def parse_fields(lines: list[str], first_line: int) -> tuple[dict[str, FieldValue], dict[str, int]]:
    """Fields of the front-matter ``lines`` and the line of each key; ``first_line`` numbers
    the first of them."""
    fields: dict[str, FieldValue] = {}
    key_lines: dict[str, int] = {}
    list_key: str | None = None
    for number, raw in enumerate(lines, start=first_line):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped == "-" or stripped.startswith("- "):
            items = fields.get(list_key) if list_key else None
            if not isinstance(items, list):
                raise FrontMatterError(number, "list item without a `key:` line above it")
            items.append(parse_scalar(stripped[1:].strip()))
            continue
        key, colon, value = raw.partition(":")
        if not colon or not key.strip() or key[0].isspace():
            raise FrontMatterError(number, "front matter line is not `key: value`")
        list_key = key.strip()
        fields[list_key] = parse_value(value.strip()) if value.strip() else []
        key_lines[list_key] = number
    return fields, key_lines


def split_front_matter(text: str) -> Split:
    """Fields and body of a Markdown text; a text without a leading ``---`` has no fields."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != OPENING:
        return Split({}, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in CLOSINGS:
            fields, key_lines = parse_fields(lines[1:index], first_line=2)
            return Split(fields, "\n".join(lines[index + 1 :]), index + 2, key_lines)
    raise FrontMatterError(1, "front matter opened by `---` is never closed")
