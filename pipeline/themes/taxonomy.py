"""Load and check a taxonomy file: JSON, every mistake reported as "file:line: reason"."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from .model import Theme

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_KEYS = {"version", "description", "themes"}
_THEME_KEYS = {"id", "label", "description", "cues"}


def taxonomy_path(path: str | Path | None) -> Path:
    """The taxonomy file a setting names; the default one for None."""
    return Path(path) if path else DEFAULT_TAXONOMY


def load_taxonomy(path: str | Path | None = None) -> list[Theme]:
    """Themes of ``path`` (the default taxonomy when None), in file order."""
    path = taxonomy_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate a BOM from Windows editors
    except FileNotFoundError as exc:
        raise InputError(f"{path}: taxonomy file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the taxonomy ({exc})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    return parse_taxonomy(data, _theme_lines(text), str(path))


def parse_taxonomy(data: Any, lines: list[int], source: str) -> list[Theme]:
    """Check the decoded file; ``lines[i]`` is where theme ``i`` starts, for the messages."""
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise InputError(f'{source}:1: expected an object with a "themes" list')
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise InputError(f"{source}:1: unknown key(s) {', '.join(sorted(unknown))}")
    if not data["themes"]:
        raise InputError(f'{source}:1: "themes" is empty: give at least one theme')
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["themes"]):
        where = f"{source}:{lines[i] if i < len(lines) else 1}"
        theme = _theme(raw, i, where)
        if theme.id in seen:
            raise InputError(f"{where}: theme {theme.id!r} is defined twice")
        seen.add(theme.id)
        themes.append(theme)
    return themes


def _theme(raw: Any, index: int, where: str) -> Theme:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: theme #{index + 1} must be an object")
    name = raw.get("id")
    if not isinstance(name, str) or not _ID.match(name):
        raise InputError(
            f"{where}: theme #{index + 1}: 'id' must be lower-case letters, digits and "
            f"hyphens, such as 'foret-bois' (got {name!r})"
        )
    unknown = set(raw) - _THEME_KEYS
    if unknown:
        raise InputError(f"{where}: theme {name!r}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("label", "description"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise InputError(f"{where}: theme {name!r}: {key!r} must be a non-empty string")
    cues = raw.get("cues")
    if (
        not isinstance(cues, list)
        or not cues
        or not all(isinstance(c, str) and c.strip() for c in cues)
    ):
        raise InputError(f"{where}: theme {name!r}: 'cues' must be a non-empty list of terms")
    unique = tuple(dict.fromkeys(c.strip() for c in cues))
    return Theme(name, raw["label"].strip(), raw["description"].strip(), unique)


def _theme_lines(text: str) -> list[int]:
    """Line on which each element of the top-level "themes" array starts.

    json gives no positions for decoded values, so the top level is walked with raw_decode:
    every value is decoded whole, only the offsets between them are looked at.
    """
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if pos >= len(text) or text[pos] != "{":
        return []
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "}":
        key, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)  # past the colon
        if key == "themes" and text[pos] == "[":
            return _array_lines(text, pos, decoder)
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        pos = _skip(text, pos + 1) if text[pos] == "," else pos
    return []


def _array_lines(text: str, pos: int, decoder: json.JSONDecoder) -> list[int]:
    lines = []
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        pos = _skip(text, pos + 1) if text[pos] == "," else pos
    return lines


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
