"""The default taxonomy and the checks that refuse a malformed user taxonomy."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import InputError
from pipeline.themes import DEFAULT_TAXONOMY, Theme, load_taxonomy

REQUIRED_IDS = [
    "alimentation", "energie", "habitat", "foret-bois", "mobilite", "economie-circulaire",
    "eau-biodiversite", "finance-solidaire", "emploi-insertion", "formation-recherche",
    "sante-solidarites", "culture-tourisme", "numerique", "gouvernance",
]  # fmt: skip


def test_default_taxonomy_has_the_transition_themes():
    themes = load_taxonomy()
    assert [t.id for t in themes] == REQUIRED_IDS
    for theme in themes:
        assert isinstance(theme, Theme)
        assert theme.label and theme.description and len(theme.cues) >= 10
    labels = {t.id: t.label for t in themes}
    assert labels["foret-bois"] == "Forêt & bois"
    assert labels["finance-solidaire"] == "Monnaie locale & finance solidaire"


def test_default_file_is_the_one_loaded_without_a_path():
    assert load_taxonomy(DEFAULT_TAXONOMY) == load_taxonomy(None)


def _write(tmp_path, text: str):
    path = tmp_path / "taxonomy.json"
    path.write_text(text, encoding="utf-8")
    return path


def _theme(**changes):
    theme = {"id": "lowtech", "label": "Low-tech", "description": "Sobriété", "cues": ["low-tech"]}
    theme.update(changes)
    return theme


def test_a_user_taxonomy_replaces_the_default(tmp_path):
    data = {"themes": [_theme(), _theme(id="jardins", label="Jardins", cues=["jardin", "potager"])]}
    themes = load_taxonomy(_write(tmp_path, json.dumps(data)))
    assert [t.id for t in themes] == ["lowtech", "jardins"]
    assert themes[1].cues == ("jardin", "potager")


def test_invalid_json_is_refused_with_its_line(tmp_path):
    path = _write(tmp_path, '{\n  "themes": [\n    {"id": "a",}\n  ]\n}\n')
    with pytest.raises(InputError, match=r"taxonomy\.json:3: invalid JSON"):
        load_taxonomy(path)


def _refused(tmp_path, themes: list, pattern: str):
    text = '{\n  "version": 1,\n  "themes": [\n' + ",\n".join(
        "    " + json.dumps(t, ensure_ascii=False) for t in themes
    ) + "\n  ]\n}\n"  # fmt: skip
    with pytest.raises(InputError, match=pattern):
        load_taxonomy(_write(tmp_path, text))


def test_a_theme_without_cues_is_refused_with_its_line_and_name(tmp_path):
    # The second theme starts on line 5 of the file written by _refused.
    _refused(tmp_path, [_theme(), _theme(id="vide", cues=[])], r":5: theme 'vide': 'cues'")


def test_duplicate_ids_are_refused(tmp_path):
    _refused(tmp_path, [_theme(), _theme()], r":5: theme 'lowtech' is defined twice")


def test_a_malformed_id_is_refused(tmp_path):
    _refused(tmp_path, [_theme(id="Forêt Bois")], r":4: theme #1: 'id' must be lower-case")


def test_a_misspelt_key_is_refused(tmp_path):
    _refused(tmp_path, [_theme(cue=["x"])], r":4: theme 'lowtech': unknown key\(s\) cue")


def test_an_empty_label_is_refused(tmp_path):
    _refused(tmp_path, [_theme(label="  ")], r":4: theme 'lowtech': 'label' must be")


def test_a_file_without_themes_is_refused(tmp_path):
    with pytest.raises(InputError, match=r':1: expected an object with a "themes" list'):
        load_taxonomy(_write(tmp_path, '[{"id": "a"}]'))
    with pytest.raises(InputError, match=r'"themes" is empty'):
        load_taxonomy(_write(tmp_path, '{"themes": []}'))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="taxonomy file not found"):
        load_taxonomy(tmp_path / "absent.json")
