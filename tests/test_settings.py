"""Settings a user changes without editing the source: TOML files, checked, every key honoured."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.embed import HashingEmbedder
from pipeline.errors import InputError, ModelError
from pipeline.index import Annotators
from pipeline.settings import AnnotateSettings, Settings, read_settings_file


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tisser.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_settings_file_changes_only_what_it_names(tmp_path):
    path = write(
        tmp_path,
        '[fusion]\ndense_weight = 1\nprofile = "none"\n\n[passages]\nmax_tokens = 120\n',
    )
    settings = Settings().updated(read_settings_file(path).changes)
    assert settings.fusion.dense_weight == 1.0 and isinstance(settings.fusion.dense_weight, float)
    assert settings.fusion.profile is None
    assert settings.passages.max_tokens == 120
    assert settings.embed == Settings().embed and settings.index == Settings().index


def test_every_setting_written_out_reads_back_the_same(tmp_path):
    changed = (
        Settings()
        .with_section("embed", model='hash:64 "\\ é\n', query_prompt=None, quantize=True)
        .with_section("fusion", dense_weight=0.25, profile=None, enabled=False)
        .with_section("annotate", theme_threshold=0.0, taxonomy=str(tmp_path / "t.json"))
    )
    path = write(tmp_path, changed.to_toml())
    assert Settings().updated(read_settings_file(path).changes) == changed
    defaults = write(tmp_path, Settings().to_toml())
    assert Settings().updated(read_settings_file(defaults).changes) == Settings()


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("[fusion]\ndense_weigth = 0.3\n", 2, "unknown key 'dense_weigth' in [fusion]"),
        ("[fuson]\ndense_weight = 0.3\n", 1, "unknown section [fuson]"),
        ('\n[fusion]\n\ndense_weight = "high"\n', 4, "fusion.dense_weight must be a number"),
        ("[passages]\nmax_tokens = 1.5\n", 2, "passages.max_tokens must be a whole number"),
        ("[annotate]\nentities = 1\n", 2, "annotate.entities must be true or false"),
        ("[index]\nexact_below = true\n", 2, "index.exact_below must be a whole number"),
        ("[embed]\nmodel = 3\n", 2, "embed.model must be text"),
        ("fusion = 3\n", 1, "fusion must be a section [fusion]"),
        ("[fusion]\ndense_weight = \n", 2, "not valid TOML"),
        ("[fusion.extra]\nx = 1\n", 1, "unknown key 'extra' in [fusion]"),
        ("[fusion]\n\ncandidates = ", 3, "not valid TOML"),  # at the end of the file
        (  # a line inside a multi-line string is no key
            '[fusion]\nprofile = """x\ncandidates = 1\n"""\ncandidates = "z"\n',
            5,
            "fusion.candidates must be a whole number",
        ),
        ('[fusion]\n"candidates" = "many"\n', 2, "fusion.candidates must be a whole number"),
        ("[[fusion]]\nx = 1\n", 1, "fusion must be a section [fusion]"),
        ("dense_weight = 0.5\n", 1, "dense_weight is outside any section: put it under [fusion]"),
        ("[fusion]\ndense_weight = 7\n", 2, "fusion.dense_weight must be between 0 and 1"),
        ("[passages]\nmax_tokens = 0\n", 2, "passages.max_tokens must be at least 1"),
    ],
)
def test_mistakes_are_refused_with_the_file_and_line(tmp_path, text, where, says):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as refused:
        read_settings_file(path)
    assert str(refused.value).startswith(f"{path}:{where}: ")
    assert says in str(refused.value)


def test_a_missing_settings_file_is_named(tmp_path):
    with pytest.raises(InputError, match="settings file not found"):
        read_settings_file(tmp_path / "nope.toml")


def test_files_a_settings_file_names_are_read_from_its_folder(tmp_path):
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "tisser.toml"
    path.write_text(
        '[annotate]\ntaxonomy = "themes.json"\n[fusion]\nprofile = "france-pat-subcategories"\n'
    )
    changes = read_settings_file(path).changes
    assert changes["annotate"]["taxonomy"] == str((tmp_path / "conf" / "themes.json").resolve())
    assert changes["fusion"]["profile"] == "france-pat-subcategories"  # shipped: by name


def test_a_theme_threshold_of_zero_is_kept(fake_embedder):
    tagger = Annotators(AnnotateSettings(theme_threshold=0.0)).theme_tagger(fake_embedder)
    assert tagger.threshold == 0.0
    assert Annotators(AnnotateSettings()).theme_tagger(fake_embedder).threshold == 0.35


def test_a_trained_tagger_takes_the_theme_threshold_of_the_settings(tmp_path):
    from pipeline.themes import FeatureSettings, SupervisedTagger

    texts = [f"scierie bois forêt {i}" for i in range(4)] + [f"vélo mobilité {i}" for i in range(4)]
    labels = [["bois"]] * 4 + [["velo", "bois"]] + [["velo"]] * 3  # several labels: a threshold
    embedder = HashingEmbedder(16)
    SupervisedTagger(embedder, FeatureSettings(min_df=1)).fit(texts, labels).save(tmp_path / "t")
    own = Annotators(AnnotateSettings(tagger=str(tmp_path / "t"))).theme_tagger(embedder)
    assert own.threshold == 0.5  # as saved
    strict = AnnotateSettings(tagger=str(tmp_path / "t"), theme_threshold=0.99)
    tagger = Annotators(strict).theme_tagger(embedder)
    assert tagger.threshold == 0.99
    assert tagger.predict_scores(["vélo"]) == [[]]  # no label is that sure


def test_theme_tagging_loads_the_spacy_model_the_settings_name(fake_embedder):
    settings = AnnotateSettings(spacy_model="fr_no_such_model")
    with pytest.raises(ModelError, match="fr_no_such_model"):
        Annotators(settings).theme_tagger(fake_embedder)
