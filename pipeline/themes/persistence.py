"""A supervised tagger on disk: a folder with manifest.json (labels, embedder, features) and
model.joblib (the fitted scikit-learn objects). The manifest is checked before anything runs."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import sklearn

from ..errors import InputError
from .features import FeatureSettings


def save_tagger(tagger, folder: Path) -> None:
    import joblib

    if not hasattr(tagger, "labels_"):
        raise InputError("this tagger is not trained yet: call fit() before save()")
    folder.mkdir(parents=True, exist_ok=True)
    manifest = tagger.manifest() | {"scikit_learn": sklearn.__version__}
    joblib.dump(
        {
            "vectorizers": tagger.vectorizers_,
            "lexical_model": tagger.lexical_model_,
            "vector_model": tagger.vector_model_,
        },
        folder / "model.joblib",
    )
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (folder / "manifest.json").write_text(text, encoding="utf-8")


def load_tagger(cls, folder: Path, embedder):
    manifest = _read_manifest(folder)
    wanted = manifest["embedder"]
    if wanted is not None:
        _check_embedder(folder, wanted, embedder)
    settings = FeatureSettings(**manifest["features"])
    tagger = cls(embedder if wanted else None, settings, float(manifest["threshold"]))
    fitted = _read_model(folder)
    tagger.settings_ = settings
    tagger.embedder_id_ = wanted["model_id"] if wanted else None
    tagger.labels_ = list(manifest["labels"])
    tagger.mode_ = manifest["mode"]
    tagger.vectorizers_ = fitted["vectorizers"]
    tagger.lexical_model_ = fitted["lexical_model"]
    tagger.vector_model_ = fitted["vector_model"]
    return tagger


def _read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise InputError(
            f"{folder}: not a tagger folder (no manifest.json); train one with "
            "`search.py train-tagger LABELLED.jsonl --out DIR`"
        )
    from .supervised import FORMAT, FORMAT_VERSION

    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: unreadable tagger manifest ({exc})") from exc
    if not isinstance(manifest, dict):
        kind = type(manifest).__name__
        raise InputError(f"{path}: not a tagger manifest (a JSON {kind}, not an object)")
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"{path}: not a tagger of this version (format {manifest.get('format')!r}, "
            f"version {manifest.get('format_version')!r}): train it again"
        )
    needed = {"labels", "mode", "threshold", "embedder", "features"}
    missing = needed - set(manifest)
    if missing:
        raise InputError(f"{path}: tagger manifest lacks {', '.join(sorted(missing))}")
    return manifest


def _check_embedder(folder: Path, wanted: dict, embedder) -> None:
    if embedder is None:
        raise InputError(
            f"{folder}: this tagger reads embeddings of {wanted['model_id']!r}; "
            "give that embedder to load it"
        )
    if embedder.model_id != wanted["model_id"] or int(embedder.dim) != int(wanted["dim"]):
        raise InputError(
            f"{folder}: this tagger was trained on embeddings of {wanted['model_id']!r} "
            f"(dimension {wanted['dim']}), but the embedder is {embedder.model_id!r} "
            f"(dimension {embedder.dim}): use the same model, or train the tagger again"
        )


def _read_model(folder: Path) -> dict:
    import joblib

    path = folder / "model.joblib"
    if not path.is_file():
        raise InputError(f"{folder}: model.joblib is missing; train the tagger again")
    try:
        with warnings.catch_warnings():
            # A tagger saved by another scikit-learn release usually still works; if not,
            # the error below says what to do.
            warnings.simplefilter("ignore")
            return joblib.load(path)
    except Exception as exc:  # unpickling raises many kinds; all mean "cannot use it"
        raise InputError(
            f"{path}: cannot load the tagger ({type(exc).__name__}: {exc}); train it again "
            f"with this version of scikit-learn ({sklearn.__version__})"
        ) from exc
