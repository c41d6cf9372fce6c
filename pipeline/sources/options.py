"""How the caller steers the loaders: a forced format and CSV column names."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS: tuple[str, ...] = ("markdown", "text", "jsonl", "csv", "france-pat", "gogocarto")


@dataclass(frozen=True)
class SourceOptions:
    """``format`` forces one format for every path (else it is detected per file);
    the ``*_column`` names override the CSV column detection by name; with ``strict``, a bad
    record stops the build instead of being reported and skipped."""

    format: str | None = None
    id_column: str | None = None
    title_column: str | None = None
    text_column: str | None = None
    strict: bool = False


# Frozen, hence safe to share as the default argument.
DEFAULT_OPTIONS = SourceOptions()
