"""What the model reads: documents cut into passages that fit it, at sentence boundaries,
each presented with its document's title."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..text import sentence_spans


@dataclass(frozen=True)
class Passage:
    doc: int  # row of the document in the store
    start: int  # character offsets in the document's text
    end: int
    text: str

    def digest(self, title: str, model_id: str) -> str:
        """Content hash that decides whether a stored embedding can be reused."""
        key = f"{model_id}\x00{embedding_input(title, self.text)}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]


def embedding_input(title: str, passage: str) -> str:
    # The title gives every passage its context ("which initiative is this about?").
    return f"{title}\n{passage}" if title else passage


def split_passages(
    doc: int,
    text: str,
    count_tokens: Callable[[str], int],
    max_tokens: int,
    overlap_sentences: int = 1,
) -> Iterator[Passage]:
    """Group consecutive sentences into passages of at most ``max_tokens`` tokens.

    A sentence longer than the limit becomes a passage of its own (the model truncates it);
    consecutive passages share ``overlap_sentences`` sentences so that a match that straddles
    a boundary is still found whole in one of them.
    """
    spans = sentence_spans(text)
    sizes = [count_tokens(text[s:e]) for s, e in spans]
    first = 0
    while first < len(spans):
        last, total = first, sizes[first]
        while last + 1 < len(spans) and total + sizes[last + 1] <= max_tokens:
            last += 1
            total += sizes[last]
        start, end = spans[first][0], spans[last][1]
        yield Passage(doc, start, end, text[start:end])
        if last + 1 >= len(spans):
            break
        first = max(first + 1, last + 1 - overlap_sentences)
