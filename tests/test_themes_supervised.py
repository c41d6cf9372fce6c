"""The supervised tagger: training data checks, fit/predict, cross-validation, save/load."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.embed import HashingEmbedder
from pipeline.errors import InputError
from pipeline.themes import FeatureSettings, Report, SupervisedTagger, read_labelled

TOPICS = {
    "bois": ["scierie", "charpente", "forêt", "bûcheron", "menuiserie", "sylviculture"],
    "repas": ["cantine", "maraîcher", "légumes", "repas", "cuisine", "verger"],
    "velo": ["vélo", "covoiturage", "navette", "piste cyclable", "autopartage", "gare"],
}
FILLER = ["le projet", "les habitants", "la commune", "une association", "le territoire"]


def _corpus(n_per_label: int = 12, seed: int = 0):
    """Short texts, each built from the words of one topic and neutral filler."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for label, words in TOPICS.items():
        for _ in range(n_per_label):
            picked = rng.choice(words, size=3, replace=False).tolist()
            filler = rng.choice(FILLER, size=2, replace=False).tolist()
            texts.append(f"{filler[0]} développe {picked[0]}, {picked[1]} et {picked[2]} avec "
                         f"{filler[1]}.")  # fmt: skip
            labels.append([label])
    return texts, labels


def _lexical() -> SupervisedTagger:
    return SupervisedTagger(None, FeatureSettings(min_df=1, char_ngrams=False))


def test_fit_predict_single_label():
    texts, labels = _corpus()
    tagger = _lexical().fit(texts, labels)
    assert tagger.labels_ == ["bois", "repas", "velo"]
    assert tagger.mode_ == "single-label"
    tests = ["Une scierie et un bûcheron.", "La cantine sert des légumes.", "Un vélo et une gare."]
    assert tagger.predict(tests) == [["bois"], ["repas"], ["velo"]]
    proba = tagger.predict_proba(tests)
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_predict_scores_names_the_terms_that_weighed():
    texts, labels = _corpus()
    scores = _lexical().fit(texts, labels).predict_scores(["Une scierie dans la forêt."])[0]
    assert scores[0].id == scores[0].label == "bois"
    assert 0.5 < scores[0].score <= 1.0
    assert set(scores[0].evidence) & {"scierie", "foret"}


def test_multi_label_examples_get_one_yes_no_model_per_label():
    texts, labels = _corpus()
    texts.append("La scierie livre la cantine en vélo.")
    labels.append(["bois", "repas", "velo"])
    tagger = SupervisedTagger(None, FeatureSettings(min_df=1), threshold=0.3).fit(texts, labels)
    assert tagger.mode_ == "multi-label"
    both = tagger.predict(["Une scierie et une cantine avec menuiserie et cuisine."])[0]
    assert set(both) >= {"bois", "repas"}
    assert tagger.predict_proba(["Un vélo."]).shape == (1, 3)


def test_embeddings_and_lexical_features_together(fake_embedder):
    texts, labels = _corpus()
    tagger = SupervisedTagger(fake_embedder, FeatureSettings(min_df=1)).fit(texts, labels)
    assert tagger.embedder_id_ == fake_embedder.model_id
    assert tagger.predict(["Une scierie, une charpente et la forêt."]) == [["bois"]]
    vectors = fake_embedder.embed_passages(["Une scierie, une charpente et la forêt."])
    assert tagger.predict(["Une scierie, une charpente et la forêt."], vectors) == [["bois"]]
    with pytest.raises(InputError, match="document vectors of dimension"):
        tagger.predict(["x"], np.zeros((1, 3)))
    assert tagger.predict_proba([]).shape == (0, 3) and tagger.predict([]) == []


def test_cross_validation_reports_per_label_and_macro_f1():
    texts, labels = _corpus()
    report = _lexical().cross_validate(texts, labels, folds=3)
    assert isinstance(report, Report)
    assert [r.label for r in report.labels] == ["bois", "repas", "velo"]
    assert sum(r.support for r in report.labels) == len(texts)
    assert report.macro_f1 > 0.8  # the topics share no word: easy to tell apart
    text = report.render()
    assert "macro-F1" in text and "bois" in text and "3-fold" in text
    with pytest.raises(InputError, match="folds"):
        _lexical().cross_validate(texts, labels, folds=1)


def test_cross_validation_by_group_keeps_each_group_in_one_fold():
    texts, labels = _corpus()
    # Each label's texts form one group: every fold then asks for a label it never learned.
    by_label = [labels_[0] for labels_ in labels]
    assert _lexical().cross_validate(texts, labels, folds=3, groups=by_label).macro_f1 == 0.0
    mixed = [i % 6 for i in range(len(texts))]
    assert _lexical().cross_validate(texts, labels, folds=3, groups=mixed).macro_f1 > 0.8
    with pytest.raises(InputError, match="at least 3 groups"):
        _lexical().cross_validate(texts, labels, folds=3, groups=[0, 1] * (len(texts) // 2))
    with pytest.raises(InputError, match="groups given for"):
        _lexical().cross_validate(texts, labels, folds=3, groups=mixed[:-1])


def test_save_and_load_give_the_same_predictions(tmp_path, fake_embedder):
    texts, labels = _corpus()
    tagger = SupervisedTagger(fake_embedder, FeatureSettings(min_df=1)).fit(texts, labels)
    tagger.save(tmp_path / "tagger")
    manifest = json.loads((tmp_path / "tagger" / "manifest.json").read_text())
    assert manifest["labels"] == ["bois", "repas", "velo"]
    assert manifest["embedder"] == {"model_id": "hash:64", "dim": 64}
    assert manifest["features"]["min_df"] == 1
    loaded = SupervisedTagger.load(tmp_path / "tagger", fake_embedder)
    probe = ["Une cantine et un verger.", "Covoiturage vers la gare."]
    np.testing.assert_allclose(loaded.predict_proba(probe), tagger.predict_proba(probe))
    assert loaded.predict_scores(probe) == tagger.predict_scores(probe)


def test_loading_with_another_embedder_is_refused(tmp_path, fake_embedder):
    texts, labels = _corpus()
    SupervisedTagger(fake_embedder, FeatureSettings(min_df=1)).fit(texts, labels).save(tmp_path)
    with pytest.raises(InputError, match="trained on embeddings of 'hash:64'.*'hash:32'"):
        SupervisedTagger.load(tmp_path, HashingEmbedder(32))
    with pytest.raises(InputError, match="give that embedder"):
        SupervisedTagger.load(tmp_path, None)


def test_loading_a_folder_that_is_not_a_tagger_is_refused(tmp_path):
    with pytest.raises(InputError, match="not a tagger folder"):
        SupervisedTagger.load(tmp_path)
    (tmp_path / "manifest.json").write_text('{"format": "other"}')
    with pytest.raises(InputError, match="not a tagger of this version"):
        SupervisedTagger.load(tmp_path)


def test_an_untrained_tagger_cannot_be_saved(tmp_path):
    with pytest.raises(InputError, match="not trained"):
        _lexical().save(tmp_path)


# -- the labelled file ------------------------------------------------------------------------
def _jsonl(tmp_path, lines: list[str]):
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_labelled(tmp_path):
    path = _jsonl(tmp_path, [
        json.dumps({"text": "Une scierie", "labels": ["bois"]}),
        "",
        json.dumps({"text": "Une cantine", "labels": ["repas", "repas", "sante"]}),
    ])  # fmt: skip
    texts, labels = read_labelled(path)
    assert texts == ["Une scierie", "Une cantine"]
    assert labels == [["bois"], ["repas", "sante"]]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"text": "a", "labels": ["x"]}', '{"text": "b", "labels": ["y"],}'],
         r"labelled\.jsonl:2: invalid JSON"),
        (['{"text": "a", "labels": ["x"]}', '{"text": "b", "labels": []}'],
         r"labelled\.jsonl:2: no labels"),
        (['{"text": "a", "labels": ["x"]}', '{"text": "  ", "labels": ["y"]}'],
         r"labelled\.jsonl:2: \"text\" is missing or empty"),
        (['{"text": "a", "labels": ["x"]}', '{"text": "b", "labels": [3]}'],
         r"labelled\.jsonl:2: \"labels\" must be a list of strings"),
        (['{"text": "a", "labels": ["x"]}', '{"text": "b", "labels": ["x"]}'],
         r"every example has the label 'x'"),
        (['{"text": "a", "labels": ["x", "y"]}', '{"text": "b", "labels": ["x"]}'],
         r"the label 'x' is on every example"),
        (["", "  "], r"no labelled examples"),
    ],
)  # fmt: skip
def test_bad_labelled_files_are_refused(tmp_path, lines, message):
    with pytest.raises(InputError, match=message):
        read_labelled(_jsonl(tmp_path, lines))


def test_fit_refuses_what_it_cannot_learn():
    with pytest.raises(InputError, match="at least two different labels"):
        _lexical().fit(["a b", "c d"], [["x"], ["x"]])
    with pytest.raises(InputError, match="empty text"):
        _lexical().fit(["a b", ""], [["x"], ["y"]])
    with pytest.raises(InputError, match="no labels"):
        _lexical().fit(["a b", "c d"], [["x"], []])


def test_too_few_shared_terms_are_refused_clearly():
    with pytest.raises(InputError, match="no term occurs in 2 or more"):
        SupervisedTagger(None).fit(["scierie", "cantine"], [["bois"], ["repas"]])


def test_titles_without_shared_terms_are_left_out():
    texts, labels = _corpus()
    titled = [f"Numéro{k}\n{t}" for k, t in enumerate(texts)]
    tagger = SupervisedTagger(None, FeatureSettings(min_df=2)).fit(titled, labels)
    assert tagger.settings_.title_weight == 0.0
    assert tagger.predict(["Titre\nUne scierie et un bûcheron."]) == [["bois"]]
