from pipeline.embed import split_passages
from pipeline.text import sentence_spans


def words(text: str) -> int:
    return len(text.split())


def test_sentences_split_at_end_marks_and_line_breaks():
    text = "Première phrase. Deuxième phrase ! Troisième ?\nQuatrième ligne"
    found = [text[s:e] for s, e in sentence_spans(text)]
    assert found == ["Première phrase.", "Deuxième phrase !", "Troisième ?", "Quatrième ligne"]


def test_passages_respect_the_token_limit_and_overlap_by_one_sentence():
    text = " ".join(f"Phrase numéro {i} avec cinq mots." for i in range(10))
    passages = list(split_passages(7, text, words, max_tokens=12, overlap_sentences=1))
    assert all(words(p.text) <= 12 for p in passages)
    assert all(p.doc == 7 and text[p.start : p.end] == p.text for p in passages)
    assert passages[0].text.endswith("1 avec cinq mots.")
    assert passages[1].text.startswith("Phrase numéro 1 ")  # shared sentence
    assert passages[-1].text.endswith("9 avec cinq mots.")


def test_a_sentence_longer_than_the_limit_is_a_passage_of_its_own():
    text = "Court. " + " ".join(["Mot"] * 50) + ". Fin."
    passages = list(split_passages(0, text, words, max_tokens=10, overlap_sentences=0))
    assert [words(p.text) for p in passages] == [1, 50, 1]


def test_empty_text_gives_no_passage():
    assert list(split_passages(0, "   \n ", words, max_tokens=10)) == []
