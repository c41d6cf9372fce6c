"""Documents longer than spaCy reads at once (1,000,000 characters aborted the whole build with
spaCy's E088): their entities and theme cues are read in pieces, offsets into the whole text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.text import pieces

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def check_pieces(text: str, limit: int) -> list[tuple[int, str]]:
    found = pieces(text, limit)
    assert "".join(piece for _, piece in found) == text
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in found)
    assert all(len(piece) <= limit for _, piece in found)
    return found


def test_pieces_end_between_paragraphs_first():
    paragraph = "Une phrase. Une autre phrase ici.\n\n"
    found = check_pieces(paragraph * 10, limit=80)
    assert all(piece.endswith("\n\n") for _, piece in found)
    assert [len(piece) for _, piece in found] == [70] * 5


def test_pieces_end_between_sentences_then_words_then_anywhere():
    sentences = check_pieces("Une phrase assez longue. " * 8, limit=60)
    assert all(piece.endswith(". ") for _, piece in sentences)
    words = check_pieces("mot " * 40, limit=30)
    assert all(piece.endswith(" ") for _, piece in words[:-1])
    assert [piece for _, piece in check_pieces("x" * 25, limit=10)] == ["x" * 10, "x" * 10, "x" * 5]


def test_a_short_text_is_one_piece():
    assert pieces("Court.", 100) == [(0, "Court.")]
    assert pieces("", 100) == [(0, "")]


def seed_text() -> str:
    if not (CORPUS / "01-tera.md").exists():
        pytest.skip("no corpus/01-tera.md")
    return (CORPUS / "01-tera.md").read_text(encoding="utf-8")


@pytest.mark.real
def test_a_text_longer_than_spacy_reads_keeps_its_entities():
    """The extractor with spaCy's limit lowered to a few thousand characters reads the seed
    text three times over in pieces: every place found points at its words in the whole text,
    the whole text's territory is found, each organisation is listed once."""
    from pipeline.extract import Extractor

    extractor = Extractor()
    text = seed_text()
    whole = extractor.extract(text)
    extractor.nlp.max_length = len(text) + 10  # three copies no longer fit at once
    long_text = "\n\n".join([text] * 3)
    read = extractor.extract(long_text)
    assert all(long_text[p.start : p.end] == p.text for p in read.places)
    assert len(read.places) == 3 * len(whole.places)
    assert read.territory == whole.territory
    names = [o.name for o in read.organisations]
    assert len(names) == len(set(names)) and set(names) == {o.name for o in whole.organisations}


@pytest.mark.real
def test_theme_cues_of_a_text_longer_than_spacy_reads_are_found():
    from pipeline.themes import ZeroShotTagger, lemmatiser, load_taxonomy

    nlp = lemmatiser()
    tagger = ZeroShotTagger(load_taxonomy(None), embedder=None, nlp=nlp)
    text = seed_text()
    whole = {t.id: t.score for t in tagger.score_many([text])[0]}
    limit = nlp.max_length
    try:
        nlp.max_length = len(text) + 10
        read = {t.id: t.score for t in tagger.score_many(["\n\n".join([text] * 3)])[0]}
    finally:
        nlp.max_length = limit  # the lemmatiser is shared by the whole session
    best = max(whole, key=whole.get)
    assert read[best] > 0 and max(read, key=read.get) == best
