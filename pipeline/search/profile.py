"""The profile head as a ranking score: the chance that the query and a result describe the
same kind of action (pipeline/embed/heads.py), weighed by the head's certainty about the query,
and only in an index the head fits (``[fusion] profile_min_fit``)."""

from __future__ import annotations

import numpy as np

from ..embed.heads import CorpusProfiles, index_profile, read_corpus
from ..settings import FusionSettings


def corpus_profiles(
    name: str | None,
    model_id: str,
    dim: int,
    vectors: np.ndarray,
    passage_doc: np.ndarray,
    count: int,
) -> CorpusProfiles | None:
    """The head ``name`` read over an index's passage ``vectors``; None when there is none,
    or it reads another model's vectors."""
    head = index_profile(name, model_id, dim)
    return head and read_corpus(head, vectors, passage_doc, count)


def profile_scores(
    corpus: CorpusProfiles | None, query: np.ndarray, docs: np.ndarray, fusion: FusionSettings
) -> tuple[np.ndarray, float]:
    """For each of ``docs`` (document rows), the chance that it carries the query's label, and
    the weight the score gets: the setting times the head's certainty about the query; nothing
    when the head does not fit the corpus."""
    if corpus is None or corpus.fit < fusion.profile_min_fit:
        return np.zeros(docs.size), 0.0
    scores, certainty = corpus.head.match(query, corpus.profiles[docs])
    return scores, fusion.profile_weight * certainty
