"""The default model as ONNX files for onnxruntime: queries without torch, builds in int8.

Written once, beside the sentence-transformers folder that ``e5_convert`` keeps
(``models/multilingual-e5-small-onnx``), from that very folder: the encoder with its mean pooling
and L2 normalisation exported by torch (float32, weights in a side file that onnxruntime maps
instead of reading), and the same graph with its linear layers in int8 (onnxruntime's dynamic
quantisation, one scale per output channel). Each file is checked against sentence-transformers on
sample texts before it is kept: float32 must give the same vectors (cosine >= ``MIN_COSINE``),
int8 close ones (>= ``MIN_COSINE_INT8``); the record says what the check measured, and a file that
failed is never used (``onnx_file`` returns None: the caller falls back to sentence-transformers).

Reading the record costs a JSON file and a few ``stat`` calls; only writing the files needs torch.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import ModelError

from .e5_convert import build_folder_atomically, file_sha256

ONNX_VERSION = 1  # bump whenever the files written here change
FLOAT_FILE, FLOAT_DATA, INT8_FILE = "model.onnx", "model.onnx.data", "model-int8.onnx"
RECORD = "tisser-onnx.json"
SOURCE_RECORD = "tisser-conversion.json"  # e5_convert's record of the folder exported from
MIN_COSINE = 0.999
MIN_COSINE_INT8 = 0.98  # measured 0.9946 at worst on 200 France PAT passages
SAMPLES = (
    "Le PTCE réunit associations, coopératives, citoyens et collectivités autour de l’assiette.",
    "Une monnaie citoyenne locale, l’Abeille, circule dans trois communes rurales.",
    "monnaie locale",
    "Residents own the wind turbines through a community energy cooperative.",
    "Où en est la légumerie ? Elle transforme 40 t de légumes par an, soit +15 % en 2024 🌱.",
    "La SCIC anime un tiers-lieu : atelier de réparation, épicerie solidaire, formations. " * 12,
)


def onnx_folder(model_folder: Path) -> Path:
    return model_folder.with_name(model_folder.name + "-onnx")


def onnx_file(model_folder: Path, quantized: bool) -> Path | None:
    """The checked ONNX file of the model in ``model_folder`` (int8 or float32), written on first
    use; None when its check against sentence-transformers failed."""
    folder = onnx_folder(model_folder)
    record = read_record(folder, model_folder)
    if record is None:
        _write_atomically(folder, model_folder)
        record = read_record(folder, model_folder)
        if record is None:
            raise ModelError(f"{folder}: the ONNX files just written do not read back")
    name = INT8_FILE if quantized else FLOAT_FILE
    return folder / name if record["checks"][name]["passed"] else None


def read_record(folder: Path, model_folder: Path) -> dict | None:
    """The record of ``folder`` when it is complete and made from ``model_folder`` as it is now
    (sizes and modification times of the files as recorded; their checksums were verified when
    they were written and are in the record)."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        source = _source_of(model_folder)
        files = {name: _stat(folder / name) for name in record["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    fresh = (
        record.get("onnx_version") == ONNX_VERSION
        and record.get("source") == source
        and all(files[name] == [v["size"], v["mtime_ns"]] for name, v in record["files"].items())
        and {FLOAT_FILE, FLOAT_DATA, INT8_FILE} <= set(files)
    )
    return record if fresh else None


def _source_of(model_folder: Path) -> dict:
    """What the model folder was converted from, and by which converter (its record)."""
    record = json.loads((model_folder / SOURCE_RECORD).read_text(encoding="utf-8"))
    return {key: record[key] for key in ("converter_version", "source_sha256")}


def _stat(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _write_atomically(folder: Path, model_folder: Path) -> None:
    if folder.exists() and not (folder / RECORD).is_file() and any(folder.iterdir()):
        raise ModelError(f"{folder} holds files Tisser did not write; remove it to continue")
    build_folder_atomically(
        folder,
        lambda staging: _write_record(staging, model_folder, _export(model_folder, staging)),
        lambda: read_record(folder, model_folder) is not None,
    )


def _export(model_folder: Path, out: Path) -> dict[str, dict]:
    """Export, quantise and check; returns each file's check."""
    from .e5_onnx_export import check, export_float, quantise

    st = export_float(model_folder, out / FLOAT_FILE, FLOAT_DATA)
    quantise(out / FLOAT_FILE, out / INT8_FILE)
    return {
        FLOAT_FILE: check(st, model_folder, out / FLOAT_FILE, SAMPLES, MIN_COSINE),
        INT8_FILE: check(st, model_folder, out / INT8_FILE, SAMPLES, MIN_COSINE_INT8),
    }


def _write_record(folder: Path, model_folder: Path, checks: dict[str, dict]) -> None:
    files = {}
    for name in (FLOAT_FILE, FLOAT_DATA, INT8_FILE):
        path = folder / name
        size, mtime_ns = _stat(path)
        digest = file_sha256(path, size, mtime_ns)
        files[name] = {"size": size, "mtime_ns": mtime_ns, "sha256": digest}
    record = {
        "onnx_version": ONNX_VERSION,
        "source": _source_of(model_folder),
        "files": files,
        "checks": checks,
    }
    (folder / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
