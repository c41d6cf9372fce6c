"""The command line: each command parses, calls one library function (``pipeline.api``), formats.

``search.py "projets comme Vivre le bois local"`` (a bare question) runs ``similar``; any
other bare text runs ``query``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click
from click.core import ParameterSource

from . import api
from .errors import ParameterError, TisserError

DEFAULT_INDEX = Path("index")
DEFAULT_CORPUS = Path("corpus")


class _Tisser(click.Group):
    """A group where a first argument that is no command is a question."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "ask", self.commands["ask"], args
        return super().resolve_command(ctx, args)


index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_INDEX,
    show_default=True,
    help="Index folder.",
)
k_option = click.option(
    "-k", "k", type=click.IntRange(min=1), default=10, show_default=True, help="Number of results."
)
taxonomy_option = click.option(
    "--taxonomy",
    type=click.Path(path_type=Path),
    help="Theme taxonomy file (JSON) replacing the default one.",
)
tagger_option = click.option(
    "--tagger",
    type=click.Path(path_type=Path),
    help="Folder of a tagger trained with train-tagger.",
)
config_option = click.option(
    "--config",
    type=click.Path(path_type=Path),
    help="Settings file (TOML, the sections of `search.py settings`).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


def filter_options(command):
    for option in reversed(
        [
            click.option(
                "--theme", "themes", multiple=True, help="Keep results with this theme id."
            ),
            click.option("--region", help="Keep results in this région (name or code)."),
            click.option("--departement", help="Keep results in this département (name or code)."),
            click.option(
                "--actor-kind",
                "actor_kinds",
                multiple=True,
                help="Keep results with an organisation of this kind.",
            ),
        ]
    ):
        command = option(command)
    return command


@click.group(cls=_Tisser, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--model",
    "auto_model",
    envvar="TISSER_MODEL",
    hidden=True,
    help="Embedding model of an index the first question builds.",
)
@click.option(
    "--debug",
    is_flag=True,
    expose_value=False,  # main reads it before click parses (it may stand anywhere)
    help="Show the traceback of an unexpected error (also TISSER_DEBUG=1; read by main).",
)
def cli(auto_model: str | None) -> None:
    """Tisser: find comparable territorial cooperations in French case-study texts."""


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@index_option
@config_option
@click.option("--format", "fmt", help="Format of every source (detected when absent).")
@click.option("--id-column", help="CSV column holding the id.")
@click.option("--title-column", help="CSV column holding the title.")
@click.option("--text-column", help="CSV column holding the text.")
@click.option(
    "--model",
    envvar="TISSER_MODEL",
    help="sentence-transformers name or folder (default multilingual-e5-small; also TISSER_MODEL).",
)
@click.option("--strict", is_flag=True, help="Fail on the first bad record instead of skipping it.")
@taxonomy_option
@tagger_option
@click.option(
    "--profile",
    help="Action-profile head for ranking, used whatever the corpus: france-pat-subcategories "
    "(shipped), a .npz file, or none. Default: the shipped head, where it gains on the corpus's "
    "labels (measured at build), or fits the corpus when it has none.",
)
def build(
    sources,
    index_dir,
    config,
    fmt,
    id_column,
    title_column,
    text_column,
    model,
    strict,
    taxonomy,
    tagger,
    profile,
) -> None:
    """Index SOURCES (files or folders; default corpus/)."""
    config = api.read_settings(config) if config else None
    model = _model(model, "model", config)
    settings = api.settings_for(config, model, taxonomy, tagger, profile)
    options = api.SourceOptions(fmt, id_column, title_column, text_column, strict)
    report = api.build(list(sources) or [DEFAULT_CORPUS], index_dir, settings, options, TERMINAL)
    click.echo(api.describe_build(report, index_dir), err=True)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_option
@click.option("--format", "fmt", help="Format of every file (detected when absent).")
@click.option("--strict", is_flag=True, help="Fail on the first bad record instead of skipping it.")
def add(files, index_dir, fmt, strict) -> None:
    """Add FILES to the index (documents with a known id replace it); the rest is reused."""
    options = api.SourceOptions(format=fmt, strict=strict)
    report = api.add(list(files), index_dir, options, TERMINAL)
    click.echo(api.describe_build(report, index_dir), err=True)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
def remove(ids, index_dir) -> None:
    """Remove documents by id from the index."""
    click.echo(api.describe_build(api.remove(list(ids), index_dir), index_dir), err=True)


@cli.command()
@click.argument("text", required=False)
@index_option
@k_option
@json_option
@filter_options
@click.option(
    "--batch",
    type=click.Path(path_type=Path),
    help="File of queries (one a line, or JSONL with a text field): prints JSONL.",
)
@taxonomy_option
@tagger_option
@config_option
def query(
    text,
    index_dir,
    k,
    as_json,
    themes,
    region,
    departement,
    actor_kinds,
    batch,
    taxonomy,
    tagger,
    config,
) -> None:
    """Search the index for TEXT."""
    searcher = _searcher(index_dir, taxonomy, tagger, config)
    filters = api.make_filters(themes, region, departement, actor_kinds)
    if batch is not None:
        for results in api.query_batch(searcher, batch, k, filters):
            click.echo(json.dumps(results.to_dict(), ensure_ascii=False))
        return
    if not text:
        raise click.UsageError("give TEXT to search for, or --batch FILE")
    _show(api.query(searcher, text, k, filters), as_json)


@cli.command()
@click.argument("name", required=False)
@click.option(
    "--all", "every", is_flag=True, help="Every initiative's nearest others, in one table."
)
@index_option
@k_option
@json_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(api.NEIGHBOUR_FORMATS),
    help="With --all: text (default), jsonl (as --json) or csv.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="With --all: write to this file (default stdout).",
)
@filter_options
@taxonomy_option
@tagger_option
@config_option
def similar(
    name,
    every,
    index_dir,
    k,
    as_json,
    fmt,
    out,
    themes,
    region,
    departement,
    actor_kinds,
    taxonomy,
    tagger,
    config,
) -> None:
    """Initiatives like NAME (an id, a title or part of one), or like each one with --all."""
    if every:
        fmt = _table_format(name, as_json, fmt, out)
    elif not name:
        raise click.UsageError("give NAME (an id, a title or part of one), or --all")
    elif fmt or out:
        raise click.UsageError("--format and --out go with --all; for one initiative use --json")
    filters = api.make_filters(themes, region, departement, actor_kinds)
    searcher = _searcher(index_dir, taxonomy, tagger, config)
    if not every:
        _show(api.similar(searcher, name, k, filters), as_json)
        return
    pieces = api.render_neighbours(api.similar_all(searcher, k, filters, TERMINAL), fmt)
    if out is None:
        for piece in pieces:
            click.echo(piece, nl=False)
        return
    with atomic_file(out) as handle:
        handle.writelines(pieces)
    click.echo(f"wrote {out}", err=True)


def _table_format(name: str | None, as_json: bool, fmt: str | None, out: Path | None) -> str:
    """The format of ``similar --all``, once its options are known to agree."""
    if name:
        raise click.UsageError(f"give NAME or --all, not both (got {name!r} and --all)")
    if as_json and fmt not in (None, "jsonl"):
        raise click.UsageError(f"--json prints JSON Lines: it does not go with --format {fmt}")
    if out is not None:
        check_out(out)
    return "jsonl" if as_json else fmt or "text"


@cli.command()
@click.argument("files", nargs=-1)
@index_option
@click.option(
    "-k", "k", type=click.IntRange(min=1), default=5, show_default=True, help="Nearest initiatives."
)
@json_option
@click.option(
    "--batch",
    type=click.Path(path_type=Path),
    help="JSONL with a text field, or one file path a line: prints JSONL.",
)
@taxonomy_option
@tagger_option
@config_option
def tag(files, index_dir, k, as_json, batch, taxonomy, tagger, config) -> None:
    """Places, organisations, territory, themes and nearest initiatives of FILES (- is stdin)."""
    searcher = _searcher(index_dir, taxonomy, tagger, config)
    if batch is not None:
        for tagged in api.tag_batch(searcher, batch, k):
            click.echo(json.dumps(tagged, ensure_ascii=False))
        return
    if not files:
        raise click.UsageError("give FILE... to tag (- reads stdin), or --batch FILE")
    for tagged in api.tag_files(searcher, files, k):
        click.echo(
            json.dumps(tagged, ensure_ascii=False, indent=2)
            if as_json
            else api.render_tagged(tagged)
        )


@cli.command()
@index_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "csv", "json", "map-csv"]),
    default="md",
    show_default=True,
    help="map-csv: the counts by theme and département the page's maps are drawn from.",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file (default stdout).")
@config_option
def themes(index_dir, fmt, out, config) -> None:
    """The themed index of the corpus: initiatives by theme and territory, with sub-groups."""
    if out is not None:
        check_out(out)
    page = api.render_themed_index(_searcher(index_dir, config=config), fmt)
    if out is None:
        click.echo(page)
        return
    write_atomically(out, page)
    click.echo(f"wrote {out}", err=True)


@cli.command("train-tagger")
@click.argument("labelled", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder to save to.")
@click.option("--folds", type=int, default=5, show_default=True, help="Cross-validation folds.")
@click.option("--model", help="Embedding model (default multilingual-e5-small).")
def train_tagger(labelled, out, folds, model) -> None:
    """Learn your own taxonomy from LABELLED.jsonl ({"text": ..., "labels": [...]} a line)."""
    report = api.train_tagger(labelled, out, folds=folds, model=model)
    click.echo(report.render())
    click.echo(f"saved the tagger in {out}/: use it with --tagger {out}", err=True)


@cli.command()
@index_option
def check(index_dir) -> None:
    """Verify every file of the index against its checksum (opening compares only sizes)."""
    click.echo(api.check_index(index_dir))


@cli.command("settings")
@index_option
@click.option("--defaults", is_flag=True, help="Print the default settings instead.")
@click.option(
    "--config",
    type=click.Path(path_type=Path),
    help="Print the settings a search of the index uses with this settings file.",
)
def show_settings(index_dir, defaults, config) -> None:
    """Print the settings of the index (TOML: edit a copy and give it to --config)."""
    if defaults:
        settings = api.Settings()
    elif config:
        settings = api.check_search_settings(index_dir, api.read_settings(config))
    else:
        settings = api.index_settings(index_dir)
    click.echo(settings.to_toml(), nl=False)
    if not (defaults or config) and (gate := api.describe_profile_gate(index_dir)):
        click.echo(f"# {gate}")  # a comment: the file still works as --config


@cli.command(hidden=True)
@click.argument("words", nargs=-1, required=True)
@index_option
@k_option
@json_option
def ask(words, index_dir, k, as_json) -> None:
    """A bare question: "projets comme X" runs similar, anything else runs query."""
    _show(api.ask(_searcher(index_dir), " ".join(words), k), as_json)


@cli.command()
@index_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default serves this machine only.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds a search or tag may compute before its client is told it took too long.",
)
@config_option
def serve(index_dir, host, port, timeout, config) -> None:
    """Serve the web page and the JSON API over the index (offline, until Ctrl+C)."""
    from .server import is_loopback
    from .server import serve as run_server

    config = api.read_settings(config) if config else None
    _ensure_default_index(index_dir, config)
    if config is not None:  # refused now rather than at every request
        api.check_search_settings(index_dir, config)
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who reaches this machine can read the index",
            err=True,
        )
    click.echo(f"Tisser : http://{host}:{port}/  (Ctrl+C pour arrêter)", err=True)
    run_server(index_dir, host, port, config, budget=timeout)


def _ensure_default_index(index_dir: Path, config: api.SettingsFile | None = None) -> None:
    if not api.has_index(index_dir) and index_dir == DEFAULT_INDEX:
        click.echo(f"no index in {index_dir}/: building it from {DEFAULT_CORPUS}/ first", err=True)
        root = click.get_current_context().find_root()
        model = _model(root.params["auto_model"], "auto_model", config, root)
        settings = api.settings_for(config, model)
        report = api.build([DEFAULT_CORPUS], index_dir, settings, feedback=TERMINAL)
        click.echo(api.describe_build(report, index_dir), err=True)


def _model(
    model: str | None,
    name: str,
    config: api.SettingsFile | None,
    ctx: click.Context | None = None,
) -> str | None:
    """The model an option gives: from TISSER_MODEL only when the settings file names none."""
    ctx = ctx or click.get_current_context()
    from_environment = ctx.get_parameter_source(name) is ParameterSource.ENVIRONMENT
    if from_environment and config is not None and config.sets("embed", "model"):
        return None
    return model


def _searcher(
    index_dir: Path,
    taxonomy: Path | None = None,
    tagger: Path | None = None,
    config: Path | None = None,
) -> api.Searcher:
    settings_file = api.read_settings(config) if config else None
    _ensure_default_index(index_dir, settings_file)
    return api.open_index(index_dir, taxonomy=taxonomy, tagger=tagger, config=settings_file)


def _show(results: api.Results, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(api.render_results(results))


class _Terminal(api.Feedback):
    """Skipped records as lines on stderr, progress bars there for long steps."""

    def problem(self, problem: api.Problem) -> None:
        click.echo(str(problem), err=True)

    def progress(self, desc: str, total: int, unit: str = "passage"):
        from tqdm import tqdm

        return tqdm(
            total=total,
            desc=desc,
            unit=unit,
            disable=None if total > 50 else True,
            file=sys.stderr,
        )


TERMINAL = _Terminal()


def check_out(path: Path) -> None:
    """Refuse an output file that cannot be written before any work is done."""
    if path.is_dir():
        raise click.UsageError(f"--out {path}: is a folder; name a file to write")
    if not path.parent.is_dir():
        raise click.UsageError(f"--out {path}: no folder {path.parent}/; create it first")


@contextmanager
def atomic_file(path: Path) -> Iterator[TextIO]:
    """A file to write ``path`` through, so that it is never half-written: a temporary file
    beside it, renamed over it once complete, removed if writing fails or is interrupted."""
    path = path.absolute()  # "out.md" has a folder too: the temporary file goes in it
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (see ``atomic_file``)."""
    with atomic_file(path) as handle:
        handle.write(text)


def _flags() -> dict[str, str]:
    """The library's parameter names and the flags that set them: ``k`` -> ``-k``."""
    flags = {}
    for command in cli.commands.values():
        for param in command.params:
            if isinstance(param, click.Option) and param.name:
                flags.setdefault(param.name, max(param.opts, key=len))
    return flags


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes give one line on stderr, never a traceback, and exit code 2
    for a command line that cannot be run as given (an unknown option, a bad value, options
    that do not go together), 1 for everything else. An unexpected error (a bug) is one line
    and exit code 2 too; ``--debug`` or TISSER_DEBUG=1 shows its traceback."""
    args = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in args or os.environ.get("TISSER_DEBUG", "") not in ("", "0")
    try:
        _run([a for a in args if a != "--debug"])  # taken anywhere on the line
    except Exception as exc:
        if debug:
            raise
        where = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        click.echo(f"error: unexpected {where} (run again with --debug to see where)", err=True)
        sys.exit(2)


def _run(args: list[str]) -> None:
    """The command, with each kind of user mistake as one line and its exit code."""
    try:
        cli.main(args=args, prog_name="search.py", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(1)
    except ParameterError as exc:
        click.echo(f"error: {exc.named(_flags().get(exc.parameter, exc.parameter))}", err=True)
        sys.exit(1)
    except TisserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted: the previous index is unchanged", err=True)
        sys.exit(130)
