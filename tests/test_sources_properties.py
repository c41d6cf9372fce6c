"""Property tests of the readers: whatever bytes a file holds, a reader gives documents or
problems, never an exception, and finishes (an alarm guards against a hang).

Fixed seed (``derandomize``) and a bounded number of examples: the same cases at every run.
Bytes come raw, or as text drawn from the characters that steer each format (separators,
quotes, braces, front-matter dashes), so that the parsers' branches are reached.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.documents import Document, Problem
from pipeline.sources.csv import iter_csv
from pipeline.sources.france_pat import iter_france_pat
from pipeline.sources.gogocarto import iter_gogocarto
from pipeline.sources.jsonl import iter_jsonl
from pipeline.sources.markdown import iter_markdown
from pipeline.sources.text import iter_text

EXAMPLES = settings(
    derandomize=True,
    database=None,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ALARM_SECONDS = 20  # per example: far above any real reading time, only against a hang


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    def hung(signum, frame):
        raise TimeoutError(f"a reader ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def encoded(alphabet: str, max_size: int = 400) -> st.SearchStrategy[bytes]:
    """Raw bytes, or text of ``alphabet`` (and any character) in UTF-8, cp1252 or UTF-16."""
    text = st.text(st.sampled_from(alphabet) | st.characters(), max_size=max_size)
    encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
    as_bytes = st.tuples(text, encodings).map(lambda pair: pair[0].encode(pair[1], "replace"))
    return st.binary(max_size=max_size) | as_bytes


def json_values() -> st.SearchStrategy[object]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=10,
    )


def awkward_json() -> st.SearchStrategy[str]:
    """JSON that Python reads into trouble: escapes of half a surrogate pair (a string no
    file can hold), arrays nested beyond the recursion limit."""
    escape = st.sampled_from(["\\ud800", "a\\udc00b", "\\ud83d\\ude00", "\\u00e9"])
    record = escape.map(lambda value: f'{{"id": "{value}", "text": "t {value}"}}')
    nested = st.integers(0, 3000).map(lambda depth: "[" * depth + "]" * depth)
    return record | nested


def jsonl_bytes() -> st.SearchStrategy[bytes]:
    """Lines of JSON, some of them objects with the fields a record has, cut or not."""
    record = st.fixed_dictionaries(
        {}, optional={"id": json_values(), "title": json_values(), "text": json_values()}
    )
    line = (record | json_values()).map(json.dumps) | awkward_json()
    cut = st.tuples(line, st.integers(0, 40)).map(lambda pair: pair[0][: pair[1]])
    lines = st.lists(line | cut, max_size=6).map(lambda ls: "\n".join(ls).encode())
    return lines | encoded('{}[]":,\\n \\u0000d800 text id title')


def check(reader: Callable[[Path], Iterator[object]], path: Path) -> None:
    with alarm(ALARM_SECONDS):
        records = list(reader(path))
    assert all(isinstance(record, (Document, Problem)) for record in records)
    for record in records:
        if isinstance(record, Document):
            assert record.text.strip() and record.id
            record.text.encode("utf-8")  # no half surrogate pair: every index file holds it


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@EXAMPLES
@given(data=jsonl_bytes())
def test_json_lines(folder, data):
    check(iter_jsonl, write(folder, "x.jsonl", data))


@EXAMPLES
@given(data=encoded('id;titre;texte,\t"\n\r x', max_size=600))
def test_csv_and_its_separator_sniffing(folder, data):
    check(iter_csv, write(folder, "x.csv", data))


@EXAMPLES
@given(head=encoded("-.:[]#'\"\n id title tags", max_size=200), body=encoded("# \n-:"))
def test_markdown_and_its_front_matter(folder, head, body):
    check(iter_markdown, write(folder, "x.md", b"---\n" + head + b"\n---\n" + body))
    check(iter_markdown, write(folder, "y.md", head + body))


@EXAMPLES
@given(data=encoded("Contact : Lire aussi :\n.…;,Aa é", max_size=600))
def test_the_seed_text_format(folder, data):
    check(iter_text, write(folder, "x.txt", data))


@EXAMPLES
@given(
    content=json_values().map(json.dumps) | awkward_json(),
    data=encoded('{}[]":, data name label tags @id'),
)
def test_gogocarto(folder, content, data):
    check(
        iter_gogocarto,
        write(
            folder,
            "x.json",
            f'{{"data": [{{"name": "A", "label": {content}}}, {content}]}}'.encode(),
        ),
    )
    check(iter_gogocarto, write(folder, "y.json", data))


MAIN_HEADER = b"id;nom_usuel;descriptions_libre_des_enjeux_du_territoire_par_le_porteur\n"
AXIS_HEADER = b"id;nom;gouvernance_x_1_nom_de_laction;gouvernance_x_1_descriptif\n"


@EXAMPLES
@given(
    main=encoded('0123456789;"\n texte', max_size=300),
    axis=encoded('0123456789;"\n action', max_size=300),
    headers=st.booleans(),
)
def test_a_france_pat_export(tmp_path_factory, main, axis, headers):
    export = tmp_path_factory.mktemp("pat")
    write(export, "pats-20250710.csv", (MAIN_HEADER if headers else b"") + main)
    write(
        export,
        "pats-axe-gouvernance-20250710-win1252.csv",
        (AXIS_HEADER if headers else b"") + axis,
    )
    check(iter_france_pat, export)
