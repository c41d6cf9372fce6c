"""The one record type every source is normalised into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """A case study, an initiative or an action: what the index holds.

    ``meta`` keeps everything that is not embedded: territory as written, contact,
    source path, codes given by the source, and so on.
    """

    id: str
    title: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """A record a source could not turn into a Document: reported, then skipped."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"
