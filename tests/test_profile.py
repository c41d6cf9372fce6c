"""Action profiles: the head file, its use in ranking, and the --profile option of build."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from test_cli import run

from pipeline.documents import Document
from pipeline.embed.heads import DEFAULT_PROFILE, ProfileHead, load_profile, profile_path
from pipeline.errors import InputError
from pipeline.index import commit
from pipeline.search import Searcher
from pipeline.search.fusion import fuse
from pipeline.settings import Settings


def _head(coef, model_id="hash:64", labels=None) -> ProfileHead:
    coef = np.asarray(coef, dtype=np.float32)
    labels = labels or tuple(f"label-{i}" for i in range(coef.shape[0]))
    return ProfileHead(labels, coef, np.zeros(coef.shape[0], np.float32), model_id)


def test_a_head_round_trips_and_gives_probabilities(tmp_path):
    head = _head(np.random.default_rng(0).normal(size=(3, 4)), model_id="m")
    head.save(tmp_path / "head.npz")
    loaded = ProfileHead.load(tmp_path / "head.npz")
    assert loaded.labels == head.labels and loaded.model_id == "m" and loaded.dim == 4
    np.testing.assert_array_equal(loaded.coef, head.coef)
    p = loaded.probabilities(np.eye(4))
    assert p.shape == (4, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    assert ProfileHead.certainty(np.full(5, 0.2)) == pytest.approx(0.0, abs=1e-9)
    assert ProfileHead.certainty(np.array([1.0, 0, 0, 0])) == pytest.approx(1.0)
    assert loaded.reference == 0.0  # not measured: any corpus fits


def test_fit_compares_the_certainty_about_a_corpus_with_the_reference():
    head = replace(_head(np.ones((4, 2))), reference=0.5)
    sure = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0]])
    flat = np.full((2, 4), 0.25)
    assert head.fit_to(sure) == pytest.approx(2.0)
    assert head.fit_to(flat) == pytest.approx(0.0, abs=1e-9)
    assert head.fit_to(np.vstack([sure, flat])) == pytest.approx(1.0)
    assert replace(head, reference=0.0).fit_to(flat) == 1.0


def test_the_shipped_head_reads_the_default_model():
    head = ProfileHead.load(profile_path(DEFAULT_PROFILE))
    assert head.model_id == Settings().embed.model
    assert len(head.labels) == 45 and head.dim == 384
    assert "even id" in head.about


@pytest.mark.parametrize(
    "content, message",
    [(None, "no such file"), (b"not a numpy file", "not a profile head")],
)
def test_a_missing_or_bad_head_is_refused_in_one_line(tmp_path, content, message):
    path = tmp_path / "head.npz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        ProfileHead.load(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_a_head_for_another_model_is_left_out(tmp_path):
    _head(np.ones((2, 64))).save(tmp_path / "head.npz")
    assert load_profile(str(tmp_path / "head.npz"), "hash:64", 64) is not None
    assert load_profile(str(tmp_path / "head.npz"), "another-model", 64) is None
    assert load_profile(None, "hash:64", 64) is None


def test_fuse_lets_the_profile_reorder_only_when_it_has_weight():
    dense = np.array([1.0, 0.9, 0.1])
    lexical = np.array([1.0, 0.8, 0.0])
    profile = np.array([0.0, 1.0, 0.0])
    assert np.argmax(fuse(dense, lexical, 0.4)) == 0
    assert np.argmax(fuse(dense, lexical, 0.4, profile=profile, profile_weight=0.0)) == 0
    assert np.argmax(fuse(dense, lexical, 0.4, profile=profile, profile_weight=0.9)) == 1


DOCS = [
    Document("a", "Scierie", "Une scierie de bois local en forêt des Vosges.", {}),
    Document("b", "Charpente", "Charpente en bois local de la forêt des Vosges.", {}),
    Document("c", "Monnaie", "Une monnaie locale complémentaire pour les commerces.", {}),
]


def test_search_follows_a_head_that_groups_unlike_texts(tmp_path, fake_embedder):
    vectors = fake_embedder.embed_passages([d.text for d in DOCS])
    # Label 0 for a and c, label 1 for b: a head that knows something the words do not say.
    model = LogisticRegression(C=1e4, max_iter=1000).fit(vectors, [0, 1, 0])
    head = ProfileHead(
        ("label-0", "label-1"),
        np.stack([np.zeros(64), model.coef_[0]]).astype(np.float32),
        np.array([0.0, model.intercept_[0]], np.float32),
        fake_embedder.model_id,
    )
    assert list(head.probabilities(vectors).argmax(axis=1)) == [0, 1, 0]
    head.save(tmp_path / "head.npz")

    plain = Settings().with_section("fusion", profile=None)
    report = commit(DOCS, tmp_path / "plain", plain, fake_embedder)
    searcher = Searcher.open(tmp_path / "plain", embedder=fake_embedder)
    assert searcher.corpus_profiles() is None and report.profile is None
    assert searcher.similar("a").hits[0].id == "b"

    profiled = plain.with_section("fusion", profile=str(tmp_path / "head.npz"), profile_weight=1.0)
    report = commit(DOCS, tmp_path / "profiled", profiled, fake_embedder)
    searcher = Searcher.open(tmp_path / "profiled", embedder=fake_embedder)
    assert report.profile.used and report.profile.fit == pytest.approx(1.0)
    assert searcher.corpus_profiles().fit == report.profile.fit
    assert searcher.similar("a").hits[0].id == "c"

    # The same head, had it been far surer of its own training texts: this corpus is not of
    # their kind, the head stays out, and the build says so.
    replace(head, reference=10.0).save(tmp_path / "head.npz")
    report = commit(DOCS, tmp_path / "unlike", profiled, fake_embedder)
    searcher = Searcher.open(tmp_path / "unlike", embedder=fake_embedder)
    assert not report.profile.used and report.profile.fit < 0.8
    assert searcher.similar("a").hits[0].id == "b"
    forced = profiled.with_section("fusion", profile_min_fit=0.0)
    searcher.settings = forced
    assert searcher.similar("a").hits[0].id == "c"


def test_build_takes_a_profile_and_refuses_bad_ones(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for d in DOCS:
        (corpus / f"{d.id}.md").write_text(f"# {d.title}\n\n{d.text}\n")
    index = tmp_path / "index"
    build = ("build", corpus, "--index", index, "--model", "hash:64", "--profile")

    bad = tmp_path / "bad.npz"
    bad.write_text("nonsense")
    other = tmp_path / "other.npz"
    _head(np.ones((2, 64)), model_id="another-model").save(other)
    for profile, message in [(bad, "not a profile head"), (other, "reads vectors of")]:
        done = run(*build, profile)
        assert done.returncode == 1
        assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert not index.exists()

    good = tmp_path / "good.npz"
    _head(np.ones((2, 64))).save(good)
    for profile, stored in [(good, str(good.resolve())), ("none", None)]:
        done = run(*build, profile)
        assert done.returncode == 0, done.stderr
        fusion = Searcher.open(index).settings.fusion
        assert fusion.profile == stored

    # A head far surer of its own training texts than of this corpus: left out by default,
    # used when named, and the build says which.
    unlike = tmp_path / "unlike.npz"
    _head(np.ones((2, 64)), labels=("x", "y")).save(unlike)
    replace(ProfileHead.load(unlike), reference=10.0).save(unlike)
    done = run(*build, unlike)
    assert done.returncode == 0, done.stderr
    assert f"action profile {unlike.resolve()}: used (fit 0.0" in done.stderr
    searcher = Searcher.open(index)
    assert searcher.settings.fusion.profile_min_fit == 0.0
    searcher.settings = searcher.settings.with_section("fusion", profile_min_fit=0.8)
    assert searcher.corpus_profiles().fit < 0.8
    done = run(*build[:-1])  # the default head reads another model: nothing to say
    assert done.returncode == 0 and "action profile" not in done.stderr


def test_a_head_file_moved_since_the_build_is_named_before_any_embedding(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# Scierie\n\nUne scierie de bois local.\n")
    head, index = tmp_path / "head.npz", tmp_path / "index"
    _head(np.ones((2, 64))).save(head)
    assert (
        run("build", corpus, "--index", index, "--model", "hash:64", "--profile", head).returncode
        == 0
    )
    before = (index / "CURRENT").read_text()
    head.unlink()
    (corpus / "b.md").write_text("# Charpente\n\nUne charpente en bois.\n")
    done = run("add", corpus / "b.md", "--index", index)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "no such file" in done.stderr and "--profile none" in done.stderr
    assert (index / "CURRENT").read_text() == before


def test_an_index_from_before_the_fit_test_keeps_the_head_its_user_named():
    named = Settings.from_dict({"fusion": {"profile": "my-head.npz"}}).fusion
    assert named.profile_min_fit == 0.0
    assert Settings.from_dict({"fusion": {"profile": None}}).fusion.profile is None
    assert Settings.from_dict({}).fusion.profile_min_fit == Settings().fusion.profile_min_fit
