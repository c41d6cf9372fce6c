"""Sub-groups inside a theme: k-means on the initiatives' vectors, k chosen by silhouette,
each group named by the terms that are common in it and rare in the rest of the theme."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from ..text import terms
from .model import SubGroup

MAX_GROUPS = 8
MIN_SILHOUETTE = 0.05  # below it the "groups" are noise: better show none
NAME_TERMS = 3
OTHERS = "autres initiatives"
_LETTERS = re.compile(r"[^\W\d_]+")


def find_subgroups(
    ids: Sequence[str],
    texts: Sequence[str],
    vectors: np.ndarray,
    min_size: int,
    rarity: dict[str, float] | None = None,
) -> list[SubGroup]:
    """Groups of at least ``min_size`` initiatives, largest first; the leftovers of small
    clusters form a last group named "autres initiatives". None when no clear structure.
    ``rarity`` (see ``term_rarity``) keeps words common in the whole corpus out of names."""
    assignment = _cluster(np.asarray(vectors, dtype=np.float64), min_size)
    if assignment is None:
        return []
    members: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(assignment):
        members[int(label)].append(row)
    kept = sorted((m for m in members.values() if len(m) >= min_size), key=lambda m: -len(m))
    if len(kept) < 2:
        return []
    leftovers = sorted(row for m in members.values() if len(m) < min_size for row in m)
    names = _distinctive_terms([[texts[r] for r in m] for m in kept], rarity or {})
    groups = [
        SubGroup(" · ".join(name) or f"groupe {k + 1}", name, tuple(ids[r] for r in m))
        for k, (m, name) in enumerate(zip(kept, names, strict=False))
    ]
    if leftovers:
        groups.append(SubGroup(OTHERS, (), tuple(ids[r] for r in leftovers)))
    return groups


def _cluster(vectors: np.ndarray, min_size: int) -> np.ndarray | None:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    distinct = len(np.unique(vectors.round(6), axis=0))
    best, best_score = None, MIN_SILHOUETTE
    for k in range(2, min(MAX_GROUPS, len(vectors) // max(min_size, 1), distinct) + 1):
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(vectors)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(vectors, labels, metric="cosine")
        if score > best_score:
            best, best_score = labels, score
    return best


def term_rarity(texts: Sequence[str]) -> dict[str, float]:
    """Inverse document frequency of each term over ``texts``, scaled to (0, 1]: "mise en
    place" or "projet" are in many texts of any corpus, and name no group."""
    frequency = Counter(t for text in texts for t in set(terms(text)))
    scale = math.log(1 + len(texts))
    return {t: math.log((1 + len(texts)) / (1 + n)) / scale for t, n in frequency.items()}


def _distinctive_terms(
    groups: Sequence[Sequence[str]], rarity: dict[str, float]
) -> list[tuple[str, ...]]:
    """For each group, terms frequent in its texts and rare in the other groups' texts."""
    doc_terms = [[set(terms(t)) for t in texts] for texts in groups]
    in_group = [Counter(t for d in docs for t in d) for docs in doc_terms]
    everywhere = sum(in_group, Counter())
    total = sum(len(docs) for docs in doc_terms)
    surfaces = _surface_forms(t for texts in groups for t in texts)
    names = []
    for docs, counts in zip(doc_terms, in_group, strict=False):
        size, others = len(docs), max(total - len(docs), 1)
        scored = []
        for term, df in counts.items():
            if df < 2 or term.replace(" ", "").isdigit():
                continue
            p_in = df / size
            p_out = (everywhere[term] - df) / others
            lift = math.log((p_in + 0.01) / (p_out + 0.01))
            scored.append((p_in * lift * rarity.get(term, 1.0), term))
        names.append(_pick(sorted(scored, reverse=True), surfaces))
    return names


def _pick(scored: list[tuple[float, str]], surfaces: dict[str, str]) -> tuple[str, ...]:
    """Best terms that share no word with one already taken ("circuit court", not also
    "circuit")."""
    chosen: list[str] = []
    used: set[str] = set()
    for score, term in scored:
        if score <= 0 or len(chosen) == NAME_TERMS:
            break
        words = set(term.split())
        if words & used:
            continue
        used |= words
        chosen.append(" ".join(surfaces.get(w, w) for w in term.split()))
    return tuple(chosen)


def _surface_forms(texts) -> dict[str, str]:
    """Most frequent written form (lower case, accents kept) of each analysed word."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for word in _LETTERS.findall(text.casefold()):
            for key in terms(word)[:1]:
                seen[key][word] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in seen.items()}
