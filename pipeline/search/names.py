"""Finding a document by what a person types: its id, its title, or part of it."""

from __future__ import annotations

import re

from ..errors import AmbiguousNameError, InputError, NotFoundError
from ..index import StoredDocument
from ..text import fold


def normalise_name(text: str) -> str:
    text = fold(text.replace("’", "'"))
    return " ".join(re.findall(r"\w+", text))


def find_row(documents: list[StoredDocument], row_of: dict[str, int], name_or_id: str) -> int:
    if name_or_id in row_of:
        return row_of[name_or_id]
    wanted = normalise_name(name_or_id)
    if not wanted:
        raise InputError("empty name: give an id or part of a title")
    titles = [normalise_name(d.title) for d in documents]
    exact = [i for i, t in enumerate(titles) if t == wanted]
    partial = exact or [i for i, t in enumerate(titles) if f" {wanted} " in f" {t} "]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise NotFoundError(
            f"no document is named or titled {name_or_id!r}: search with some words of it instead"
        )
    candidates = tuple((documents[i].id, documents[i].title) for i in partial[:10])
    listed = "; ".join(f"{id_} ({title})" for id_, title in candidates)
    more = f" and {len(partial) - 10} more" if len(partial) > 10 else ""
    raise AmbiguousNameError(
        f"{name_or_id!r} matches {len(partial)} documents: {listed}{more}; give one of these ids",
        candidates,
    )
