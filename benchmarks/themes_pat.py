"""Theme tagging measured on France PAT actions labelled by the PAT teams.

Each action (name + description over 100 characters) has an axis (its file: 9 classes) and a
sub-category (its column group: 45 classes). Learned models train on PATs with an even id and
are evaluated on odd ids. Printed:

- baseline: TF-IDF + logistic regression, scikit-learn defaults;
- the supervised tagger (a TF-IDF model and an e5 document-vector model, averaged), its
  ablations and a variant;
- the zero-shot tagger's agreement with the axes that map to a theme of the default taxonomy.

    python benchmarks/themes_pat.py                   # all of it, evaluated on odd ids
    python benchmarks/themes_pat.py --select          # + CV on even ids to choose settings
    python benchmarks/themes_pat.py --part supervised --level axis --select   # axes only
    python benchmarks/themes_pat.py --part zero-shot --zero-shot-split even   # tuning

Embeddings are cached under /tmp/tisser-bench (a few minutes to compute on 2 cores).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import require_shared_data  # noqa: E402
from themes_pat_data import Action, read_axis_files  # noqa: E402

from pipeline.themes import FeatureSettings, SupervisedTagger  # noqa: E402

CACHE = Path("/tmp/tisser-bench")
LEVELS = ("axis", "subcategory")
# Axes of the PAT taxonomy and the default themes that cover them. The two axes about the food
# economy itself map to "alimentation", which nearly every PAT action is about: reported apart.
AXIS_THEMES = {
    "culturel-et-gastronomie": {"culture-tourisme"},
    "education-alimentaire": {"formation-recherche"},
    "environnement": {"eau-biodiversite", "economie-circulaire"},
    "gouvernance": {"gouvernance"},
    "justice-sociale": {"sante-solidarites"},
    "nutrition-et-sante": {"sante-solidarites"},
    "urbanisme": {"habitat", "mobilite"},
}
FOOD_AXES = ("economie-alimentaire", "restauration-collective")


def main() -> None:
    args = _arguments()
    actions = read_axis_files(require_shared_data() / "pat")
    train = [a for a in actions if a.pat_id % 2 == 0]
    test = [a for a in actions if a.pat_id % 2 == 1]
    print(f"{len(actions)} actions (description > 100 characters), {len(train)} train (even "
          f"ids), {len(test)} test (odd ids); {len({a.axis for a in actions})} axes, "
          f"{len({a.subcategory for a in actions})} sub-categories")  # fmt: skip
    embedder = _embedder()
    passages, offsets = cached_passage_vectors(embedder, [a.text for a in actions])
    doc_vectors = _document_vectors(passages, offsets)
    rows = {id(a): k for k, a in enumerate(actions)}
    train_vectors = doc_vectors[[rows[id(a)] for a in train]]
    test_vectors = doc_vectors[[rows[id(a)] for a in test]]

    for level in (args.level,) if args.level else LEVELS if args.part != "zero-shot" else ():
        print(f"\n== {level} ==")
        y_train = [getattr(a, level) for a in train]
        y_test = [getattr(a, level) for a in test]
        _report("baseline TF-IDF + LR (defaults)", y_test, _baseline(train, test, y_train))
        if args.select:
            _select(embedder, train, y_train, train_vectors)
        for name, settings in _variants().items():
            started = time.perf_counter()
            tagger = SupervisedTagger(embedder, settings)
            tagger.fit([a.text for a in train], [[y] for y in y_train], train_vectors)
            guesses = tagger.predict([a.text for a in test], test_vectors)
            _report(name, y_test, [g[0] for g in guesses], time.perf_counter() - started)

    if args.part != "supervised":
        pool = train if args.zero_shot_split == "even" else test
        zero_shot_agreement(embedder, pool, passages, offsets, rows, args.zero_shot_split)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", action="store_true", help="3-fold CV on even ids")
    parser.add_argument("--part", choices=("all", "supervised", "zero-shot"), default="all")
    parser.add_argument("--level", choices=LEVELS, help="one level only (default both)")
    parser.add_argument("--zero-shot-split", choices=("odd", "even"), default="odd")
    return parser.parse_args()


def _embedder():
    from pipeline.embed import make_embedder
    from pipeline.settings import EmbedSettings

    return make_embedder(EmbedSettings())


def _variants() -> dict[str, FeatureSettings]:
    full = FeatureSettings()
    return {
        "supervised tagger (TF-IDF LR + e5 LR, averaged)": full,
        "  ablation: TF-IDF only": replace(full, embeddings=False),
        "  ablation: no title block": replace(full, title_weight=0.0),
        "  ablation: e5 vectors only": replace(full, lexical=False),
        "  variant: + character 3-5-grams": replace(full, char_ngrams=True),
    }


def _baseline(train: list[Action], test: list[Action], y_train: list[str]) -> list[str]:
    vectorizer = TfidfVectorizer()
    model = LogisticRegression(max_iter=1000)
    model.fit(vectorizer.fit_transform([a.text for a in train]), y_train)
    return list(model.predict(vectorizer.transform([a.text for a in test])))


def _report(name: str, truth: list[str], guesses: list[str], seconds: float | None = None):
    accuracy = accuracy_score(truth, guesses)
    macro = f1_score(truth, guesses, average="macro", zero_division=0)
    timing = f"  ({seconds:.0f} s)" if seconds is not None else ""
    print(f"{name:<48} accuracy {accuracy:.3f}  macro-F1 {macro:.3f}{timing}")


def _select(embedder, train: list[Action], y_train: list[str], vectors: np.ndarray) -> None:
    """The settings compared by 3-fold cross-validation on the training PATs only (how the
    defaults were chosen; odd ids stay unseen), each PAT's actions in one fold as in the test."""
    texts, labels = [a.text for a in train], [[y] for y in y_train]
    pats = [a.pat_id for a in train]
    for name, settings in _candidates().items():
        report = SupervisedTagger(embedder, settings).cross_validate(
            texts, labels, folds=3, vectors=vectors, groups=pats
        )
        print(f"  CV even ids: {name:<44} macro-F1 {report.macro_f1:.3f} "
              f"accuracy {report.accuracy:.3f}", flush=True)  # fmt: skip


def _candidates() -> dict[str, FeatureSettings]:
    """The defaults, then one change at a time (C alone: of the TF-IDF model, vector_C kept)."""
    full = FeatureSettings()
    vector_c = full.vector_C or full.C
    return {
        "defaults": full,
        "embedding_share=0.4": replace(full, embedding_share=0.4),
        "embedding_share=0.6": replace(full, embedding_share=0.6),
        "vector_C=30": replace(full, vector_C=30.0),
        "vector_C=100": replace(full, vector_C=100.0),
        "C=1 (TF-IDF)": replace(full, C=1.0, vector_C=vector_c),
        "C=3 (TF-IDF)": replace(full, C=3.0, vector_C=vector_c),
        "class_weight=None": replace(full, class_weight=None),
        "title_weight=0.25": replace(full, title_weight=0.25),
        "title_weight=1.0": replace(full, title_weight=1.0),
        "min_df=1": replace(full, min_df=1),
        "min_df=3": replace(full, min_df=3),
    }


def cached_passage_vectors(embedder, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of every passage (as the index cuts them); text i has the rows from offsets[i]
    to offsets[i + 1]."""
    from pipeline.embed.pooling import passages_of
    from pipeline.settings import PassageSettings

    key = hashlib.sha256("\x00".join([embedder.model_id, *texts]).encode()).hexdigest()[:16]
    path = CACHE / f"themes_pat_{key}.npz"
    if path.exists():
        cached = np.load(path)
        return cached["vectors"], cached["offsets"]
    started = time.perf_counter()
    cuts = [passages_of(embedder, t, PassageSettings().max_tokens) for t in texts]
    offsets = np.cumsum([0] + [len(c) for c in cuts])
    vectors = embedder.embed_passages([p for c in cuts for p in c])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, vectors=vectors, offsets=offsets)
    print(f"embedded {len(vectors)} passages in {time.perf_counter() - started:.0f} s "
          f"(cached in {path})")  # fmt: skip
    return vectors, offsets


def _document_vectors(passages: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    from pipeline.embed import mean_vectors

    doc = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    return mean_vectors(passages, doc, len(offsets) - 1)


def zero_shot_agreement(embedder, pool, passages, offsets, rows, split: str) -> None:
    from pipeline.themes import ZeroShotTagger, lemmatiser, load_taxonomy

    started = time.perf_counter()
    tagger = ZeroShotTagger(load_taxonomy(), embedder, lemmatiser())
    vectors = [passages[offsets[rows[id(a)]] : offsets[rows[id(a)] + 1]] for a in pool]
    scored = tagger.score_many([a.text for a in pool], vectors)
    print(f"\n== zero-shot tagger, default taxonomy, {split} ids "
          f"({time.perf_counter() - started:.0f} s) ==")  # fmt: skip
    pairs = list(zip(pool, scored, strict=True))
    _mapped_axes(pairs, tagger.threshold)
    food = [s for a, s in pairs if a.axis in FOOD_AXES]
    tagged = [any(t.id == "alimentation" and t.score >= tagger.threshold for t in s) for s in food]
    print(f"  {len(food)} actions of {' and '.join(FOOD_AXES)} tagged alimentation: "
          f"{np.mean(tagged):.3f}")  # fmt: skip
    per_action = np.mean([sum(t.score >= tagger.threshold for t in s) for s in scored])
    print(f"  themes per action above the threshold: {per_action:.2f}")


def _mapped_axes(pairs: list, threshold: float) -> None:
    """Agreement on the axes that map to a theme other than alimentation."""
    mapped = [(a.axis, s) for a, s in pairs if a.axis in AXIS_THEMES]
    tagged = [bool(AXIS_THEMES[x] & {t.id for t in s if t.score >= threshold}) for x, s in mapped]
    best = [(x, next(t.id for t in s if t.id != "alimentation")) for x, s in mapped]
    first = [t in AXIS_THEMES[x] for x, t in best]
    themes = {t for v in AXIS_THEMES.values() for t in v}
    one_for_all = max(np.mean([t in AXIS_THEMES[x] for x, _ in mapped]) for t in themes)
    print(f"{len(mapped)} actions of the 7 axes that map to themes other than alimentation:")
    print(f"  axis theme among the tagged themes (score >= {threshold}): {np.mean(tagged):.3f}")
    print(f"  axis theme = best theme other than alimentation: {np.mean(first):.3f} "
          f"(the best single theme for all: {one_for_all:.3f})")  # fmt: skip
    for axis, names in AXIS_THEMES.items():
        picked = [t in names for x, t in best if x == axis]
        print(f"    {axis:<26} -> {'/'.join(sorted(names)):<38} "
              f"{np.mean(picked):.3f} of {len(picked)}")  # fmt: skip


if __name__ == "__main__":
    main()
