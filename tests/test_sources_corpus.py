"""The seed corpus in corpus/ and the text loader on the seed document it comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.documents import Document
from pipeline.sources import iter_records
from pipeline.sources.text import iter_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_927d59c81998dcfa.txt"
SEED_IDS = ["seed/tera", "seed/clus-ter-jura", "seed/vivre-le-bois-local", "seed/p2a-montpellier"]
PUBLICATION = "Illustrations de coopérations économiques territoriales de transition"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"no seed document at {SEED}")


def corpus_documents() -> list[Document]:
    records = list(iter_records([CORPUS]))
    assert all(isinstance(r, Document) for r in records), records
    return records


def test_corpus_holds_exactly_the_four_seed_cooperations():
    docs = corpus_documents()
    assert [d.id for d in docs] == SEED_IDS
    for doc in docs:
        assert doc.meta["origin"] == PUBLICATION
        assert doc.meta["territory"]
        assert "Contact" not in doc.text and "@" not in doc.text
    tera = docs[0]
    assert tera.title == "PTCE TERA, un éco-système pour le XXIe siècle"
    assert (
        tera.meta["territory"] == "Communauté de communes de Fumel Vallée du Lot (Lot-et-Garonne)"
    )
    assert "contact" not in docs[3].meta  # the seed gives none for Montpellier


def seed_as_text(docs: list[Document]) -> str:
    """The seed's layout rebuilt from the corpus: header, then title, paragraphs, contact."""
    lines = ["-", PUBLICATION]
    for doc in docs:
        lines += [doc.title, *doc.text.split("\n\n")]
        lines += [f"Contact : {doc.meta['contact']}"] if "contact" in doc.meta else []
        lines += [f"Lire aussi : {doc.meta['read_also']}"] if "read_also" in doc.meta else []
    return "\n".join(lines)


def test_text_loader_reads_the_seed_layout_back_into_the_corpus(tmp_path):
    docs = corpus_documents()
    path = tmp_path / "seed.txt"
    path.write_text(seed_as_text(docs), encoding="utf-8")
    loaded = list(iter_text(path))
    assert [(d.title, d.text) for d in loaded] == [(d.title, d.text) for d in docs]


@pytest.mark.shared_data
@needs_seed
def test_corpus_paragraphs_are_verbatim_and_in_order_in_the_seed():
    seed = SEED.read_text(encoding="utf-8")
    position = 0
    for doc in corpus_documents():
        for piece in [doc.title, *doc.text.split("\n\n"), doc.meta.get("contact", "")]:
            found = seed.find(piece, position)
            assert found >= 0, f"{doc.id}: not verbatim in the seed after {position}: {piece[:60]}"
            position = found + len(piece)


@pytest.mark.shared_data
@needs_seed
def test_text_loader_on_the_seed_gives_the_corpus_texts():
    loaded = list(iter_text(SEED))
    docs = corpus_documents()
    assert all(isinstance(d, Document) for d in loaded)
    assert [(d.title, d.text) for d in loaded] == [(d.title, d.text) for d in docs]
    for seed_doc, corpus_doc in zip(loaded, docs, strict=True):
        assert seed_doc.meta.get("contact") == corpus_doc.meta.get("contact")
        assert seed_doc.meta.get("read_also") == corpus_doc.meta.get("read_also")
