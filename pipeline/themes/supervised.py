"""A theme tagger learned from a user's own labelled examples (any labels, several per text).

Two logistic regressions, one over TF-IDF terms, one over the embedder's document vectors;
their probabilities are averaged (``embedding_share`` of the second), which measured better
than one model over both kinds of features (benchmarks/themes_pat.py). When every example has
exactly one label the classes compete (a softmax); otherwise each label is a yes/no question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from ..embed import document_vectors
from ..errors import InputError
from .evaluation import cross_validate
from .features import FeatureSettings, block_weights, make_vectorizers, stack
from .labelled import check_labelled
from .model import Report, ThemeScore

FORMAT = "tisser-theme-tagger"
FORMAT_VERSION = 1
SINGLE, MULTI = "single-label", "multi-label"
_EVIDENCE_TERMS = 3


class SupervisedTagger:
    """scikit-learn style: ``fit`` then ``predict_proba`` / ``predict`` / ``predict_scores``.

    Without an embedder only the TF-IDF features are used.
    """

    def __init__(
        self, embedder=None, settings: FeatureSettings | None = None, threshold: float = 0.5
    ):
        self.embedder = embedder
        self.settings = settings or FeatureSettings()
        self.threshold = threshold

    # -- learning -------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels_list: Sequence[Sequence[str]],
        vectors: np.ndarray | None = None,
    ) -> SupervisedTagger:
        """``vectors``: one document vector per text, when the caller has them already."""
        check_labelled(texts, labels_list)
        settings = self.settings
        if self.embedder is None:
            settings = replace(settings, embeddings=False)
        if not settings.embeddings and not settings.lexical:
            raise InputError("the tagger needs embeddings or lexical features: enable one")
        self.settings_ = settings
        self.embedder_id_ = self.embedder.model_id if settings.embeddings else None
        self.labels_ = sorted({x for labels in labels_list for x in labels})
        self.mode_ = SINGLE if all(len(labels) == 1 for labels in labels_list) else MULTI
        self.vectorizers_ = make_vectorizers(settings)
        targets = (
            [labels[0] for labels in labels_list]
            if self.mode_ == SINGLE
            else MultiLabelBinarizer(classes=self.labels_).fit_transform(labels_list)
        )
        self.lexical_model_ = self.vector_model_ = None
        if settings.lexical:
            features = self._fit_lexical(texts)
            self.lexical_model_ = self._classifier(settings.C).fit(features, targets)
        if settings.embeddings:
            self.vector_model_ = self._classifier(settings.vector_C or settings.C).fit(
                self._vectors(texts, vectors), targets
            )
        return self

    def cross_validate(
        self,
        texts: Sequence[str],
        labels_list: Sequence[Sequence[str]],
        folds: int = 5,
        vectors: np.ndarray | None = None,
        groups: Sequence | None = None,
    ) -> Report:
        """Per-label precision, recall and F1 of out-of-fold predictions, and macro-F1 (with
        ``groups``, each group's texts kept in one fold)."""
        check_labelled(texts, labels_list)
        if vectors is None and self.embedder is not None and self.settings.embeddings:
            vectors = document_vectors(self.embedder, texts, self.settings.passage_tokens)
        return cross_validate(self._fresh, texts, labels_list, folds, vectors, groups)

    def _fresh(self) -> SupervisedTagger:
        return SupervisedTagger(self.embedder, self.settings, self.threshold)

    def _fit_lexical(self, texts: Sequence[str]) -> sparse.csr_matrix:
        try:
            blocks = [v.fit_transform(texts) for v in self.vectorizers_]
        except ValueError as exc:  # scikit-learn's "empty vocabulary"
            if self.settings_.title_weight > 0:
                # First lines too varied to share a term: do without them.
                self.settings_ = replace(self.settings_, title_weight=0.0)
                self.vectorizers_ = make_vectorizers(self.settings_)
                return self._fit_lexical(texts)
            raise InputError(
                f"no term occurs in {self.settings_.min_df} or more of the {len(texts)} "
                "examples: add examples, or lower min_df"
            ) from exc
        return stack(blocks, block_weights(self.settings_))

    def _classifier(self, c: float):
        s = self.settings_
        base = LogisticRegression(C=c, class_weight=s.class_weight, max_iter=3000)
        return base if self.mode_ == SINGLE else OneVsRestClassifier(base)

    def _vectors(self, texts: Sequence[str], vectors: np.ndarray | None) -> np.ndarray | None:
        if not self.settings_.embeddings:
            return None
        if vectors is None:
            return document_vectors(self.embedder, texts, self.settings_.passage_tokens)
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(texts), self.embedder.dim):
            raise InputError(
                f"expected {len(texts)} document vectors of dimension {self.embedder.dim}, "
                f"got an array of shape {vectors.shape}"
            )
        return vectors

    # -- prediction -----------------------------------------------------------------------
    def predict_proba(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """(texts, labels_) scores in [0, 1]; columns in the order of ``labels_``."""
        return self._proba(self._lexical(texts), texts, vectors)

    def _lexical(self, texts: Sequence[str]) -> sparse.csr_matrix | None:
        if self.lexical_model_ is None or not len(texts):  # nothing to read (or no model)
            return None
        blocks = [v.transform(texts) for v in self.vectorizers_]
        return stack(blocks, block_weights(self.settings_))

    def _proba(self, lexical, texts: Sequence[str], vectors: np.ndarray | None) -> np.ndarray:
        out = np.zeros((len(texts), len(self.labels_)))
        if not len(texts):
            return out
        both = self.lexical_model_ is not None and self.vector_model_ is not None
        share = self.settings_.embedding_share if both else 1.0
        if self.lexical_model_ is not None:
            weight = 1.0 - share if both else 1.0
            out += weight * self._columns(self.lexical_model_, lexical)
        if self.vector_model_ is not None:
            out += share * self._columns(self.vector_model_, self._vectors(texts, vectors))
        return out

    def _columns(self, model, features) -> np.ndarray:
        raw = model.predict_proba(features)
        if self.mode_ == MULTI:
            return raw
        # A fold of cross-validation may not have seen every label: those columns stay 0.
        out = np.zeros((raw.shape[0], len(self.labels_)))
        out[:, [self.labels_.index(c) for c in model.classes_]] = raw
        return out

    def predict(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[list[str]]:
        return [self._chosen(row) for row in self.predict_proba(texts, vectors)]

    def _chosen(self, row: np.ndarray) -> list[str]:
        if self.mode_ == SINGLE:
            return [self.labels_[int(row.argmax())]]
        order = np.argsort(-row, kind="stable")
        return [self.labels_[j] for j in order if row[j] >= self.threshold]

    def predict_scores(
        self, texts: Sequence[str], vectors: np.ndarray | None = None
    ) -> list[list[ThemeScore]]:
        """Labels at or above the threshold for each text (the best one always, when each
        training example had a single label), best first, with the terms that weighed most."""
        lexical = self._lexical(texts)
        out = []
        for i, row in enumerate(self._proba(lexical, texts, vectors)):
            chosen = set(self._chosen(row))
            chosen |= {self.labels_[j] for j in np.flatnonzero(row >= self.threshold)}
            ranked = sorted(chosen, key=lambda label: -row[self.labels_.index(label)])
            out.append(
                [
                    ThemeScore(
                        label,
                        label,
                        round(float(row[self.labels_.index(label)]), 4),
                        self._evidence(lexical, i, label),
                    )
                    for label in ranked
                ]
            )
        return out

    def _evidence(self, lexical, i: int, label: str) -> tuple[str, ...]:
        """Terms of the text that pushed most towards ``label``: word TF-IDF times weight."""
        if lexical is None:
            return ()
        row = lexical[i]
        coef = self._coefficients(label)
        if coef is None:
            return ()
        names = self._term_names()
        words = row[:, : len(names)].tocoo()
        pushes = [(v * coef[c], c) for c, v in zip(words.col, words.data, strict=True)]
        best = sorted((p for p in pushes if p[0] > 0), reverse=True)[:_EVIDENCE_TERMS]
        return tuple(str(names[col]) for _, col in best)

    def _coefficients(self, label: str) -> np.ndarray | None:
        model = self.lexical_model_
        if self.mode_ == SINGLE:
            classes = list(model.classes_)
            if label not in classes:
                return None
            coef = model.coef_
            # sklearn keeps one row for two classes: the second class's side.
            if coef.shape[0] == 1:
                return coef[0] if classes.index(label) == 1 else -coef[0]
            return coef[classes.index(label)]
        estimator = model.estimators_[self.labels_.index(label)]
        return estimator.coef_[0] if hasattr(estimator, "coef_") else None

    def _term_names(self) -> np.ndarray:
        if not hasattr(self, "term_names_"):
            self.term_names_ = self.vectorizers_[0].get_feature_names_out()
        return self.term_names_

    # -- persistence ----------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        from .persistence import save_tagger

        save_tagger(self, Path(folder))

    @classmethod
    def load(cls, folder: Path, embedder=None) -> SupervisedTagger:
        from .persistence import load_tagger

        return load_tagger(cls, Path(folder), embedder)

    def manifest(self) -> dict:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "labels": list(self.labels_),
            "mode": self.mode_,
            "threshold": self.threshold,
            "embedder": None
            if self.embedder_id_ is None
            else {"model_id": self.embedder_id_, "dim": int(self.embedder.dim)},
            "features": asdict(self.settings_),
        }
