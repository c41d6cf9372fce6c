"""The zero-shot tagger: cue matching, scores, evidence, threshold."""

from __future__ import annotations

import pytest
import spacy

from pipeline.themes import Theme, ThemeScore, ZeroShotTagger
from pipeline.themes.cues import CueMatcher, pipe, tokens

THEMES = [
    Theme("bois", "Forêt & bois", "Filière forêt-bois locale", ("bois", "forêt", "scierie")),
    Theme("ess", "Économie sociale", "Entreprises de l'ESS", ("économie sociale et solidaire",)),
    Theme("solidarite", "Solidarités", "Entraide et lien social", ("solidaire", "entraide")),
    Theme("monnaie", "Monnaie locale", "Monnaies citoyennes", ("monnaie locale",)),
]


@pytest.fixture(scope="module")
def blank_nlp():
    # Tokenizer only, no lemmas: matching then relies on folded surface forms.
    return spacy.blank("fr")


def _hits(nlp, text: str):
    matcher = CueMatcher(THEMES, nlp)
    doc = next(iter(pipe(nlp, [text])))
    return matcher.find(text, tokens(doc))


def test_cues_match_without_case_accents_or_small_words(blank_nlp):
    hits = _hits(blank_nlp, "La FORET et la Scierie ; une Monnaie de la Locale")
    assert {(h.theme, h.cue) for h in hits} == {
        ("bois", "forêt"),
        ("bois", "scierie"),
        ("monnaie", "monnaie locale"),
    }


def test_the_longest_cue_wins(blank_nlp):
    hits = _hits(
        blank_nlp, "Une entreprise de l'économie sociale et solidaire, et un réseau solidaire."
    )
    assert [(h.theme, h.surface) for h in hits] == [
        ("ess", "économie sociale et solidaire"),
        ("solidarite", "solidaire"),
    ]


def test_tag_scores_evidence_and_threshold(blank_nlp):
    tagger = ZeroShotTagger(THEMES, embedder=None, nlp=blank_nlp, threshold=0.3)
    themes = tagger.tag("Le bois de la forêt part à la scierie. Le bois local sert aux charpentes.")
    assert [t.id for t in themes] == ["bois"]
    best = themes[0]
    assert isinstance(best, ThemeScore) and 0.0 < best.score <= 1.0
    assert best.evidence[0] == "bois"  # the most frequent cue comes first
    assert set(best.evidence) == {"bois", "forêt", "scierie"}
    assert best.to_dict() == {
        "id": "bois",
        "label": "Forêt & bois",
        "score": best.score,
        "evidence": list(best.evidence),
    }
    assert tagger.tag("Rien à voir ici.") == []


def test_more_and_repeated_cues_score_higher(blank_nlp):
    tagger = ZeroShotTagger(THEMES, embedder=None, nlp=blank_nlp, threshold=0.0)
    one = tagger.score_many(["Du bois."])[0][0]
    three = tagger.score_many(["Du bois, de la forêt et une scierie."])[0][0]
    repeated = tagger.score_many(["Du bois, du bois et du bois."])[0][0]
    assert one.id == three.id == repeated.id == "bois"
    assert one.score < repeated.score < three.score


def test_a_long_text_damps_a_passing_mention(blank_nlp):
    tagger = ZeroShotTagger(THEMES, embedder=None, nlp=blank_nlp, threshold=0.0)
    short = tagger.score_many(["Une scierie."])[0][0].score
    filler = " ".join(["Les habitants du village se réunissent le mardi."] * 80)
    long = tagger.score_many([f"Une scierie. {filler}"])[0][0].score
    assert 0 < long < short


def test_the_embedder_adds_semantic_evidence(blank_nlp, fake_embedder):
    tagger = ZeroShotTagger(THEMES, embedder=fake_embedder, nlp=blank_nlp, threshold=0.0)
    scored = tagger.score_many(["Filière forêt-bois locale : on y parle de sciage."])[0]
    by_id = {s.id: s for s in scored}
    # The passage repeats the description of "bois" word for word: it stands out semantically.
    assert scored[0].id == "bois"
    assert any(len(e) > 20 for e in by_id["bois"].evidence)  # a quoted passage
    assert all(0.0 <= s.score <= 1.0 for s in scored)


def test_given_passage_vectors_are_used(blank_nlp, fake_embedder):
    tagger = ZeroShotTagger(THEMES, embedder=fake_embedder, nlp=blank_nlp, threshold=0.0)
    text = "Un texte sans indice."
    vectors = fake_embedder.embed_passages(["Monnaies citoyennes"])
    scored = tagger.tag(text, passage_vectors=vectors, passages=["Monnaies citoyennes"])
    assert scored[0].id == "monnaie"
    assert scored[0].evidence == ("Monnaies citoyennes",)


def test_tag_many_keeps_the_order_of_texts(blank_nlp):
    tagger = ZeroShotTagger(THEMES, embedder=None, nlp=blank_nlp)
    results = tagger.tag_many(["Une monnaie locale.", "Une scierie et du bois.", ""])
    assert [[t.id for t in r] for r in results] == [["monnaie"], ["bois"], []]


@pytest.mark.real
def test_cues_match_by_lemma_with_the_real_model():
    from pipeline.themes import lemmatiser

    themes = [Theme("energie", "Énergie", "Énergie", ("énergie renouvelable", "forestier"))]
    tagger = ZeroShotTagger(themes, embedder=None, nlp=lemmatiser(), threshold=0.0)
    for text in ("Des énergies renouvelables.", "Une énergie renouvelable.", "Routes forestières"):
        assert tagger.tag(text)[0].score > 0, text
