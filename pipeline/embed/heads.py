"""Profile heads: which kind of action a text describes, as probabilities over labels.

A profile head is a softmax layer over the embedder's vectors, learned from labelled examples;
search uses it as a third ranking score (pipeline/search/profile.py), a build reports whether
it fits the corpus.
Two texts are scored by the probability that they carry the same label (the dot product of
their profiles): actions of the same kind match even when they share few words. The score
weighs as much as the head is sure of the query's label (``certainty``): a text unlike those
the head learned from gets a flat profile, and little say.

A head takes part in an index where it was measured to help: where the documents carry their
editors' labels, the build measures `similar` on them with and without the head and keeps it
only if it gains (pipeline/search/gate.py). Where nothing can be measured, it applies to corpora
of the kind it learned from: search uses it only when the head is, on average, about as sure of
the index's documents as of unseen texts of its training kind (``fit_to``, compared with the
setting ``profile_min_fit``; the test is per index). Elsewhere (the seed's long case studies)
its profiles are flat and it stays out.

The shipped head, ``france-pat-subcategories``, was learned by ``scripts/train_profile.py``
from the actions of France PAT projects with an even id, labelled with the 45 sub-categories the
PAT teams file them under (data: France PAT, data.gouv.fr). It is the default head; search uses
a head only with vectors of the model it was learned on (or of its int8 variants).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import PARAM, IndexMismatchError, InputError, ParameterError
from .pooling import mean_vectors

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
DEFAULT_PROFILE = "france-pat-subcategories"
FORMAT = "tisser-profile-head"
_BLOCK = 50_000  # documents read at once


@dataclass(frozen=True)
class ProfileHead:
    labels: tuple[str, ...]
    coef: np.ndarray  # (labels, dim) float32
    intercept: np.ndarray  # (labels,) float32
    model_id: str  # the embedder whose vectors it reads
    about: str = ""  # where it was learned from, for people
    # Mean certainty about texts of its training kind it did not learn from; 0: not known.
    reference: float = 0.0

    @property
    def dim(self) -> int:
        return int(self.coef.shape[1])

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, labels) float32: a softmax over the labels for each row of ``vectors``."""
        logits = np.asarray(vectors, dtype=np.float32) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def match(self, vector: np.ndarray, profiles: np.ndarray) -> tuple[np.ndarray, float]:
        """Chance that the text of ``vector`` carries the same label as each row of
        ``profiles``, and the head's certainty about that text (its weight in the ranking)."""
        wanted = self.probabilities(vector[None, :])[0]
        return profiles @ wanted, self.certainty(wanted)

    @staticmethod
    def certainty(profile: np.ndarray) -> float:
        """1 minus the normalised entropy of one profile: 0 when flat, 1 on a single label."""
        return float(certainties(np.asarray(profile)[None, :])[0])

    def fit_to(self, profiles: np.ndarray) -> float:
        """How sure the head is of a corpus (its documents' ``profiles``), relative to unseen
        texts of its training kind (``reference``): 1 or more on a corpus of that kind (the
        shipped head reads about 1.2 on France PAT actions: it learned from more texts than the
        heads that measured its reference). 1 when the reference is not known."""
        if self.reference <= 0 or len(profiles) == 0:
            return 1.0
        return float(certainties(profiles).mean() / self.reference)

    def save(self, path: Path) -> None:
        meta = {
            "format": FORMAT,
            "labels": list(self.labels),
            "model_id": self.model_id,
            "about": self.about,
            "reference": self.reference,
        }
        with path.open("wb") as out:
            np.savez_compressed(
                out,
                meta=np.array(json.dumps(meta, ensure_ascii=False)),
                coef=self.coef.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> ProfileHead:
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                coef, intercept = data["coef"], data["intercept"]
        except FileNotFoundError:
            raise ParameterError("profile", f"{PARAM} {path}: no such file") from None
        except (OSError, ValueError, KeyError):
            raise ParameterError(
                "profile", f"{PARAM} {path}: not a profile head (a .npz file of Tisser)"
            ) from None
        labels = tuple(meta.get("labels", ()))
        if meta.get("format") != FORMAT or coef.ndim != 2 or coef.shape[0] != len(labels):
            raise ParameterError(
                "profile", f"{PARAM} {path}: not a profile head (format or shapes differ)"
            )
        if intercept.shape != (len(labels),):
            raise ParameterError("profile", f"{PARAM} {path}: intercept does not match the labels")
        return cls(
            labels,
            coef,
            intercept,
            str(meta.get("model_id", "")),
            meta.get("about", ""),
            float(meta.get("reference", 0.0)),
        )


def certainties(profiles: np.ndarray) -> np.ndarray:
    """Certainty of each row of ``profiles`` (see ``ProfileHead.certainty``)."""
    p = np.clip(np.asarray(profiles, dtype=np.float64), 1e-12, 1.0)
    if p.shape[1] < 2:
        return np.zeros(p.shape[0])
    return np.maximum(0.0, 1.0 + (p * np.log(p)).sum(axis=1) / np.log(p.shape[1]))


@dataclass(frozen=True)
class CorpusProfiles:
    """A head read over an indexed corpus: each document's profile, and how well it fits."""

    head: ProfileHead
    profiles: np.ndarray  # (documents, labels)
    fit: float
    # What the build measured on the corpus's own labels (pipeline/search/gate.py): the head
    # gains there or not; None where nothing could be measured (the fit rule decides).
    gains: bool | None = None

    def takes_part(self, min_fit: float) -> bool:
        """Whether search uses the head: always when named by the user (``min_fit`` 0), else
        where it gained on the corpus's labels, else where it fits the corpus."""
        return takes_part(self.fit, min_fit, self.gains)


def takes_part(fit: float, min_fit: float, gains: bool | None) -> bool:
    if min_fit <= 0:
        return True
    return gains if gains is not None else fit >= min_fit


@dataclass(frozen=True)
class ProfileFit:
    """What a build found: whether search will use the head ``name`` on this index; ``gate``
    the figures measured on the corpus's labels (``GateMeasure.to_dict()``), if any."""

    name: str
    fit: float
    min_fit: float
    gate: dict | None = None

    @property
    def used(self) -> bool:
        return takes_part(self.fit, self.min_fit, self.gate["used"] if self.gate else None)


def profile_path(name: str) -> Path:
    """A head shipped with Tisser by name, else a file path."""
    shipped = PROFILES / f"{name}.npz"
    return shipped if shipped.is_file() else Path(name)


def load_profile(name: str | None, model_id: str, dim: int) -> ProfileHead | None:
    """The head named in the settings, or None when there is none or it reads another model."""
    if not name:
        return None
    head = ProfileHead.load(profile_path(name))
    if same_model(head.model_id, model_id) and head.dim == dim:
        return head
    return None


def same_model(learned_on: str, model_id: str) -> bool:
    """A head reads the vectors of its model, and those of its int8 variants ("+int8",
    "+int8-onnx": cosine >= 0.98 to float32, measured on France PAT passages)."""
    return model_id.split("+", 1)[0] == learned_on


def index_profile(name: str | None, model_id: str, dim: int) -> ProfileHead | None:
    """The head named by an index's settings (see ``load_profile``); a file that has moved or
    changed since the build makes the index unusable as it is, with the fix in the message."""
    try:
        return load_profile(name, model_id, dim)
    except InputError as exc:
        raise IndexMismatchError(
            f"{exc} (named by the index's settings): rebuild with "
            "`search.py build --profile FILE` (or `--profile none`)"
        ) from None


def read_corpus(
    head: ProfileHead, vectors: np.ndarray, doc: np.ndarray, count: int
) -> CorpusProfiles:
    """``head`` read over a corpus: passage ``vectors``, the document row of each passage,
    ``count`` documents."""
    profiles = np.empty((count, len(head.labels)), dtype=np.float32)
    for start in range(0, count, _BLOCK):  # blocks of documents: no (count, dim) copy at once
        stop = min(start + _BLOCK, count)
        inside = (doc >= start) & (doc < stop)
        means = mean_vectors(vectors[inside], doc[inside] - start, stop - start)
        profiles[start:stop] = head.probabilities(means)
    return CorpusProfiles(head, profiles, head.fit_to(profiles))
