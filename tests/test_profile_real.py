"""The shipped profile head with the real model: on actions it never saw, and on the seed."""

import numpy as np
import pytest
from conftest import CORPUS, SHARED_DATA

from pipeline.embed import document_vectors
from pipeline.embed.heads import DEFAULT_PROFILE, ProfileHead, profile_path
from pipeline.index import build, commit
from pipeline.search import Searcher
from pipeline.settings import Settings
from pipeline.sources.france_pat import iter_actions

pytestmark = pytest.mark.real

PAT_DATA = SHARED_DATA / "pat"


@pytest.mark.shared_data
@pytest.mark.skipif(not PAT_DATA.is_dir(), reason=f"no France PAT export at {PAT_DATA}")
def test_the_head_names_the_sub_category_of_unseen_actions(real_embedder):
    """Odd-id PATs taught the head nothing: top-3 hits far above the 3/45 of chance."""
    actions = [a for a in iter_actions(PAT_DATA) if hasattr(a, "meta") and len(a.text) > 100]
    unseen = [a for a in actions if int(a.meta["pat_id"]) % 2 == 1][::25]
    head = ProfileHead.load(profile_path(DEFAULT_PROFILE))
    profiles = head.probabilities(
        document_vectors(real_embedder, [a.text for a in unseen], Settings().passages.max_tokens)
    )
    top3 = np.argsort(-profiles, axis=1)[:, :3]
    hits = [a.meta["subcategory"] in {head.labels[j] for j in row} for a, row in zip(unseen, top3)]
    assert len(unseen) > 100
    assert np.mean(hits) >= 0.5


def test_the_seed_with_the_shipped_profile_still_finds_the_other_seeds(tmp_path, real_embedder):
    settings = Settings().with_section("fusion", profile_min_fit=0.0)  # used whatever the fit
    build([CORPUS], tmp_path / "index", settings, embedder=real_embedder)
    searcher = Searcher.open(tmp_path / "index", embedder=real_embedder)
    corpus = searcher.corpus_profiles()
    assert corpus is not None, "the shipped head reads the default model"
    np.testing.assert_allclose(corpus.profiles.sum(axis=1), 1.0, rtol=1e-5)
    others = {h.id for h in searcher.similar("Vivre le bois local").hits}
    assert others == {"seed/tera", "seed/clus-ter-jura", "seed/p2a-montpellier"}


@pytest.mark.shared_data
@pytest.mark.skipif(not PAT_DATA.is_dir(), reason=f"no France PAT export at {PAT_DATA}")
def test_by_default_the_head_takes_part_in_food_project_actions_not_in_the_seed(
    tmp_path, real_embedder
):
    """The default head applies where it fits: unseen France PAT actions, not the seed's four
    long case studies (where it would read an English query about a local currency as food)."""
    min_fit = Settings().fusion.profile_min_fit
    seed = build([CORPUS], tmp_path / "seed", embedder=real_embedder)
    assert not seed.profile.used and seed.profile.fit < min_fit

    actions = [a for a in iter_actions(PAT_DATA) if hasattr(a, "meta") and len(a.text) > 100]
    unseen = [a for a in actions if int(a.meta["pat_id"]) % 2 == 1][::40]
    report = commit(unseen, tmp_path / "actions", Settings(), real_embedder)
    assert report.profile.used and report.profile.fit >= min_fit
