"""Settings from the command line: --config files, `search.py settings`, TISSER_MODEL, and
errors that name the flags a user typed."""

import shutil

from conftest import CORPUS, run
from test_cli import assert_one_line_error

from pipeline.embed.heads import DEFAULT_PROFILE, PROFILES


def settings_of(index) -> str:
    done = run("settings", "--index", index)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_build_takes_its_settings_from_a_file_and_prints_them_back(tmp_path):
    config = tmp_path / "tisser.toml"
    config.write_text(
        '[embed]\nmodel = "hash:64"\n\n[passages]\nmax_tokens = 40\n\n'
        "[fusion]\ndense_weight = 0.7\n"
    )
    done = run("build", CORPUS, "--index", tmp_path / "ix", "--config", config)
    assert done.returncode == 0, done.stderr
    printed = settings_of(tmp_path / "ix")
    assert 'model = "hash:64"' in printed and "max_tokens = 40" in printed
    assert "dense_weight = 0.7" in printed
    # What `settings` prints is a settings file: building with it gives the same settings.
    (tmp_path / "again.toml").write_text(printed)
    done = run("build", CORPUS, "--index", tmp_path / "again", "--config", tmp_path / "again.toml")
    assert done.returncode == 0, done.stderr
    assert settings_of(tmp_path / "again") == printed


def test_flags_override_the_file(tmp_path):
    config = tmp_path / "tisser.toml"
    config.write_text('[embed]\nmodel = "hash:32"\n')
    ix = tmp_path / "ix"
    done = run("build", CORPUS, "--index", ix, "--config", config, "--model", "hash:64")
    assert done.returncode == 0, done.stderr
    assert 'model = "hash:64"' in settings_of(tmp_path / "ix")


def test_a_bad_settings_file_is_one_line_and_leaves_the_index(hashed_index, tmp_path):
    before = (hashed_index / "CURRENT").read_text()
    config = tmp_path / "tisser.toml"
    config.write_text("[fusion]\n\ndense_weight = 'lots'\n")
    done = run("build", CORPUS, "--index", hashed_index, "--config", config)
    assert_one_line_error(done, f"{config}:3:", "fusion.dense_weight must be a number")
    assert (hashed_index / "CURRENT").read_text() == before


def test_a_search_may_change_the_fusion_not_what_the_index_holds(hashed_index, tmp_path):
    lexical = tmp_path / "lexical.toml"
    lexical.write_text("[fusion]\ndense_weight = 0.0\nprofile = 'none'\n")
    effective = run("settings", "--index", hashed_index, "--config", lexical)
    assert effective.returncode == 0, effective.stderr
    assert "dense_weight = 0.0" in effective.stdout and 'model = "hash:64"' in effective.stdout
    done = run("query", "monnaie", "--index", hashed_index, "--config", lexical, "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count('"id"') >= 1
    rebuilt = tmp_path / "rebuilt.toml"
    rebuilt.write_text("[fusion]\ncandidates = 50\n[passages]\nmax_tokens = 50\n")
    for command in (("query", "monnaie"), ("serve",)):  # a server refuses before it starts
        assert_one_line_error(
            run(*command, "--index", hashed_index, "--config", rebuilt),
            f"{rebuilt}:4: passages.max_tokens differs from the index",
        )


def test_tisser_model_names_the_model_of_a_build(tmp_path):
    done = run("build", CORPUS, "--index", tmp_path / "ix", env={"TISSER_MODEL": "hash:32"})
    assert done.returncode == 0, done.stderr
    assert 'model = "hash:32"' in settings_of(tmp_path / "ix")


def test_the_defaults_and_a_missing_index(tmp_path):
    done = run("settings", "--defaults")
    assert done.returncode == 0 and 'model = "multilingual-e5-small"' in done.stdout
    assert "[fusion]" in done.stdout and 'tagger = "none"' in done.stdout
    assert_one_line_error(run("settings", "--index", tmp_path / "none"), "no index")


def test_errors_name_the_flags_the_user_typed(hashed_index):
    assert_one_line_error(
        run("query", "bois", "--region", "Nowhere", "--index", hashed_index), "--region 'Nowhere'"
    )
    assert_one_line_error(
        run("similar", "bois", "--actor-kind", "nope", "--index", hashed_index),
        "--actor-kind nope: unknown",
    )
    assert_one_line_error(
        run("query", "bois", "--theme", "nope", "--index", hashed_index), "--theme nope: unknown"
    )
    assert_one_line_error(
        run("build", CORPUS, "--index", hashed_index, "--profile", "nope.npz"), "--profile nope.npz"
    )


def test_files_a_settings_file_names_are_checked_on_its_lines(tmp_path):
    config = tmp_path / "tisser.toml"
    config.write_text('[embed]\nmodel = "hash:64"\n\n[annotate]\ntaxonomy = "nowhere.json"\n')
    assert_one_line_error(
        run("build", CORPUS, "--index", tmp_path / "ix", "--config", config),
        f"{config}:5: annotate.taxonomy:",
        "taxonomy file not found",
    )
    shutil.copy(PROFILES / f"{DEFAULT_PROFILE}.npz", tmp_path / "head.npz")  # e5 vectors
    config.write_text('[embed]\nmodel = "hash:64"\n[fusion]\nprofile = "head.npz"\n')
    assert_one_line_error(
        run("build", CORPUS, "--index", tmp_path / "ix", "--config", config),
        f"{config}:4: fusion.profile {tmp_path / 'head.npz'}: it reads vectors of",
    )


def test_tisser_model_does_not_override_the_model_a_settings_file_names(tmp_path):
    config = tmp_path / "tisser.toml"
    config.write_text('[embed]\nmodel = "hash:32"\n')
    done = run(
        "build",
        CORPUS,
        "--index",
        tmp_path / "ix",
        "--config",
        config,
        env={"TISSER_MODEL": "hash:64"},
    )
    assert done.returncode == 0, done.stderr
    assert 'model = "hash:32"' in settings_of(tmp_path / "ix")
