"""Settings as a user gives them (defaults, a settings file, flags), checked before any work:
the files they name exist and fit the model, and a search changes only what it may change on
an index already built. A mistake names what gave the value: a parameter (the CLI shows its
flag), or the settings file and its line."""

from __future__ import annotations

from pathlib import Path

from ..embed.heads import PROFILES, ProfileHead, profile_path
from ..errors import PARAM, InputError, ParameterError
from ..settings import SEARCH_TIME, Settings, SettingsFile, differences

# The setting each file-naming parameter sets.
_FILE_KEYS = {
    "taxonomy": "annotate.taxonomy",
    "tagger": "annotate.tagger",
    "profile": "fusion.profile",
}


def settings_for(
    config: SettingsFile | None = None,
    model: str | None = None,
    taxonomy: Path | None = None,
    tagger: Path | None = None,
    profile: str | None = None,
) -> Settings:
    """The settings of a build: the defaults, then ``config``, then the other parameters
    (a model, a taxonomy file, a tagger folder, a profile head name or file, or "none")."""
    settings = Settings().updated(config.changes) if config else Settings()
    if model:
        settings = settings.with_section("embed", model=model)
    if config:
        settings = _checked_files(settings, config, Settings())
    settings = with_themes(settings, taxonomy, tagger)
    return with_profile(settings, profile) if profile is not None else settings


def settings_to_search(built: Settings, config: SettingsFile | None, index_dir: Path) -> Settings:
    """The settings to search an index ``built`` with: its own, with what ``config`` changes
    of what a search may change; any other difference is refused, on the file's line."""
    if config is None:
        return built
    wanted = built.updated(config.changes)
    for key in differences(built, wanted):
        section, name = key.split(".")
        if name not in SEARCH_TIME.get(section, ()):
            raise InputError(
                f"{config.where(section, name)}: {key} differs from the index in {index_dir}/, "
                f"built with {getattr(getattr(built, section), name)!r}: build the index again "
                f"with this file to change it"
            )
    return _checked_files(wanted, config, built)


def check_settings(settings: Settings) -> None:
    """The files ``settings`` name exist and can be read (before a build reads anything)."""
    annotate = settings.annotate
    with_themes(settings, _path(annotate.taxonomy), _path(annotate.tagger))
    if settings.fusion.profile:
        _profile_head(settings.fusion.profile)


def with_themes(settings: Settings, taxonomy: Path | None, tagger: Path | None) -> Settings:
    """Settings whose theme tagging uses ``taxonomy`` or a trained ``tagger`` (checked now)."""
    if taxonomy is not None:
        from ..themes import load_taxonomy

        try:
            load_taxonomy(taxonomy)  # a malformed file fails here, with its line and reason
        except InputError as exc:
            raise ParameterError("taxonomy", f"{PARAM}: {exc}") from None
        settings = settings.with_section("annotate", taxonomy=str(Path(taxonomy).resolve()))
    if tagger is not None:
        if not (Path(tagger) / "manifest.json").is_file():
            raise ParameterError(
                "tagger", f"{PARAM} {tagger}: not a tagger folder (make one with `train-tagger`)"
            )
        settings = settings.with_section("annotate", tagger=str(Path(tagger).resolve()))
    return settings


def with_profile(settings: Settings, profile: str, min_fit: float = 0.0) -> Settings:
    """Settings whose search uses the action-profile head ``profile`` (a name shipped with
    Tisser or a file; "none" for none), checked now against the embedding model. A head named
    by the user takes part whatever its fit to the corpus (``min_fit`` 0; the default head
    only where the build's gate lets it in, pipeline/search/gate.py)."""
    if profile.lower() == "none":
        return settings.with_section("fusion", profile=None)
    path = profile_path(profile)
    head = _profile_head(profile)
    if head.model_id != settings.embed.model:
        raise ParameterError(
            "profile",
            f"{PARAM} {profile}: it reads vectors of {head.model_id!r}, this build embeds with "
            f"{settings.embed.model!r}; give a head learned on that model, or {PARAM} none",
        )
    name = profile if path.parent == PROFILES else str(path.resolve())
    return settings.with_section("fusion", profile=name, profile_min_fit=min_fit)


def _profile_head(profile: str) -> ProfileHead:
    return ProfileHead.load(profile_path(profile))  # a missing or malformed file fails here


def _checked_files(settings: Settings, config: SettingsFile, base: Settings) -> Settings:
    """The files ``config`` names in place of those of ``base`` (the defaults, or an index's
    settings), checked; a mistake names the file and line. A file naming what ``base`` has
    already (as ``search.py settings`` prints it) changes nothing."""
    annotate, fusion = settings.annotate, settings.fusion
    named = set(differences(base, settings))
    try:
        settings = with_themes(
            settings,
            _path(annotate.taxonomy) if "annotate.taxonomy" in named else None,
            _path(annotate.tagger) if "annotate.tagger" in named else None,
        )
        if "fusion.profile" in named and fusion.profile:
            min_fit = fusion.profile_min_fit if config.sets("fusion", "profile_min_fit") else 0.0
            settings = with_profile(settings, fusion.profile, min_fit)
    except ParameterError as exc:
        key = _FILE_KEYS[exc.parameter]
        raise InputError(f"{config.where(*key.split('.'))}: {exc.named(key)}") from None
    return settings


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
