"""The profile head's gate: measured on the corpus's own labels at build, kept only where it
gains; the fit rule where there are no labels."""

from __future__ import annotations

import random

import numpy as np
import pytest
from conftest import run
from sklearn.linear_model import LogisticRegression

from pipeline import api
from pipeline.documents import Document
from pipeline.embed.heads import ProfileHead
from pipeline.index import commit
from pipeline.search import Searcher
from pipeline.search.gate import gate_of_build
from pipeline.search.render import format_summary
from pipeline.settings import Settings

NOISE_WORDS = (
    "projet local territoire habitants association commune réseau atelier public école marché "
    "jardin ferme salle quartier village mairie"
).split()
LABEL_WORDS = {"bois": ["scierie", "forêt", "charpente"], "velo": ["vélo", "cycle", "roue"]}


def corpus(with_label_words: bool, labelled: bool = True) -> list[Document]:
    rng = random.Random(7)
    docs = []
    for i in range(40):
        label = "bois" if i % 2 else "velo"
        words = rng.sample(NOISE_WORDS, 6) + (LABEL_WORDS[label] if with_label_words else [])
        meta = {"categories": [label]} if labelled else {}
        docs.append(Document(f"t/{i}", f"Initiative {i}", " ".join(words) + ".", meta))
    return docs


def head_file(tmp_path, fake_embedder, docs, labels) -> str:
    """A head that groups the documents by ``labels``: it learned them from their vectors as
    an index holds them."""
    commit(docs, tmp_path / "plain", Settings(), fake_embedder)
    plain = Searcher.open(tmp_path / "plain", embedder=fake_embedder)
    vectors = np.asarray(plain.vectors.vectors_)[np.argsort(plain.store.passages.doc)]
    model = LogisticRegression(C=1e4, max_iter=5000).fit(vectors, labels)
    head = ProfileHead(
        ("label-0", "label-1"),
        np.stack([np.zeros(64), model.coef_[0]]).astype(np.float32),
        np.array([0.0, model.intercept_[0]], np.float32),
        fake_embedder.model_id,
    )
    path = tmp_path / "head.npz"
    head.save(path)
    return str(path)


def built(tmp_path, fake_embedder, docs, labels, name):
    settings = Settings().with_section(
        "fusion", profile=head_file(tmp_path, fake_embedder, docs, labels), profile_min_fit=0.8
    )
    report = commit(docs, tmp_path / name, settings, fake_embedder, gate=gate_of_build)
    return report, Searcher.open(tmp_path / name, embedder=fake_embedder)


def test_a_head_that_knows_the_labels_the_words_do_not_say_is_kept(tmp_path, fake_embedder):
    docs = corpus(with_label_words=False)
    labels = [d.meta["categories"][0] == "bois" for d in docs]
    report, searcher = built(tmp_path, fake_embedder, docs, labels, "gains")
    gate = report.profile.gate
    assert gate["labels"] == "categories" and gate["queries"] == 40
    assert gate["with_head"] > gate["without"] and gate["used"] and report.profile.used
    assert searcher.manifest.profile_gate == gate
    assert searcher.corpus_profiles().takes_part(0.8)


def test_a_head_that_groups_otherwise_stays_out_whatever_its_fit(tmp_path, fake_embedder):
    docs = corpus(with_label_words=True)
    shuffled = [bool(random.Random(i).getrandbits(1)) for i in range(len(docs))]
    report, searcher = built(tmp_path, fake_embedder, docs, shuffled, "loses")
    gate = report.profile.gate
    assert report.profile.fit >= 0.8  # the fit rule alone would have let it in
    assert gate["with_head"] <= gate["without"] and not gate["used"]
    assert not report.profile.used and not searcher.corpus_profiles().takes_part(0.8)
    assert searcher.corpus_profiles().takes_part(0.0)  # a head the user named: always


@pytest.mark.parametrize("labelled", [False, True])
def test_without_labels_to_measure_the_fit_rule_decides(tmp_path, fake_embedder, labelled):
    docs = corpus(with_label_words=False, labelled=labelled)
    if labelled:  # one label only: nothing to tell apart
        docs = [Document(d.id, d.title, d.text, {"categories": ["bois"]}) for d in docs]
    labels = [i % 2 for i in range(len(docs))]
    report, searcher = built(tmp_path, fake_embedder, docs, labels, "unlabelled")
    assert report.profile.gate is None and searcher.manifest.profile_gate == {}
    assert report.profile.used == (report.profile.fit >= 0.8)
    assert searcher.corpus_profiles().takes_part(0.8) == report.profile.used


def test_build_and_settings_report_the_measure(tmp_path, fake_embedder):
    docs = corpus(with_label_words=False)
    labels = [d.meta["categories"][0] == "bois" for d in docs]
    report, searcher = built(tmp_path, fake_embedder, docs, labels, "gains")
    summary = format_summary(report, tmp_path / "gains").splitlines()[-1]
    assert (
        summary.startswith("action profile ") and "used, it gains on the corpus's labels" in summary
    )
    done = run("settings", "--index", str(tmp_path / "gains"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "# " + api.describe_profile_gate(tmp_path / "gains")
    assert "label overlap of the 10 nearest" in done.stdout.splitlines()[-1]
    plain = run("settings", "--index", str(tmp_path / "plain"))
    assert plain.returncode == 0 and "#" not in plain.stdout  # nothing measured: no line
