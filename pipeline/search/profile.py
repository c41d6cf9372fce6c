"""The profile head as a ranking score: the chance that the query and a result describe the
same kind of action (pipeline/embed/heads.py), weighed by the head's certainty about the query,
and only in an index where it gained on the documents' labels at build (pipeline/search/gate.py)
or, where nothing could be measured, that the head fits (``[fusion] profile_min_fit``)."""

from __future__ import annotations

from dataclasses import replace

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
    gate: dict | None = None,
) -> CorpusProfiles | None:
    """The head ``name`` read over an index's passage ``vectors``, with what the build's
    ``gate`` measured (``GateMeasure.to_dict()`` of the same head); None when there is no head,
    or it reads another model's vectors."""
    head = index_profile(name, model_id, dim)
    if not head:
        return None
    corpus = read_corpus(head, vectors, passage_doc, count)
    if gate and gate.get("profile") == name:
        corpus = replace(corpus, gains=bool(gate["used"]))
    return corpus


def profile_scores(
    corpus: CorpusProfiles | None, query: np.ndarray, docs: np.ndarray, fusion: FusionSettings
) -> tuple[np.ndarray, float]:
    """For each of ``docs`` (document rows), the chance that it carries the query's label, and
    the weight the score gets: the setting times the head's certainty about the query; nothing
    when the head does not take part in this corpus."""
    if corpus is None or not corpus.takes_part(fusion.profile_min_fit):
        return np.zeros(docs.size), 0.0
    scores, certainty = corpus.head.match(query, corpus.profiles[docs])
    return scores, fusion.profile_weight * certainty
