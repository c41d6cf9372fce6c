"""Crash tests: a write killed (SIGKILL) at any step leaves the index answering as before the
write, or as after it once it has swapped, and `check` passes; the next write removes what
the killed one left. A flipped bit anywhere in the manifest, its digest or CURRENT is refused
in one line or has no effect, never a different answer."""

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run

from pipeline import api
from pipeline.embed import HashingEmbedder
from pipeline.errors import IndexMismatchError
from pipeline.index import build, commit, manifest, snapshots
from pipeline.search import Searcher
from pipeline.settings import Settings

WORDS = (
    "monnaie locale bois scierie cantine bio énergie citoyenne vélo mobilité tiers-lieu "
    "jardin partagé épicerie solidaire ressourcerie réemploi circuit court habitat"
).split()
EMBEDDER = HashingEmbedder(64)


def corpus(path: Path, count: int, start: int = 0) -> Path:
    """``count`` documents of mixed words, the same for the same arguments."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(start, start + count):
            text = " ".join(WORDS[(i * 7 + j * j) % len(WORDS)] for j in range(40))
            handle.write(json.dumps({"id": f"g{i}", "title": f"Projet {i}", "text": text}) + "\n")
    return path


def answer(index: Path) -> dict:
    searcher = Searcher.open(index, embedder=EMBEDDER)
    return searcher.query("monnaie locale et circuit court", k=5).to_dict()


def leftovers(index: Path) -> list[str]:
    return [p.name for p in index.iterdir() if p.name.startswith((".building", ".CURRENT"))]


def assert_whole(index: Path, expected: dict) -> None:
    """The index answers ``expected``, every file passes its checksum, and the next write
    leaves nothing of the killed one."""
    assert answer(index) == expected
    Searcher.open(index, embedder=EMBEDDER, verify="hash")
    commit(
        [d.document for d in Searcher.open(index, embedder=EMBEDDER).store.documents],
        index,
        snapshots.live_settings(index),
        EMBEDDER,
    )
    assert leftovers(index) == [] and len(list(index.glob("v-*"))) <= 2
    assert answer(index) == expected


# -- writers killed at each step ------------------------------------------------------------

STEPS = [
    "files half written",
    "before the manifest",
    "before the rename",
    "before the pointer",
    "pointer written, not swapped",
    "swapped, not pruned",
]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("crash")
    first, extra, other = (
        corpus(folder / "first.jsonl", 40),
        corpus(folder / "extra.jsonl", 10, start=40),
        corpus(folder / "other.jsonl", 30, start=100),
    )
    build([first], folder / "base", Settings(), embedder=EMBEDDER)
    return {"folder": folder, "index": folder / "base", "extra": extra, "other": other}


def writes(base, before: dict) -> dict[str, str]:
    """Each write and its argument; the removed document is the best answer, so that every
    write changes the answer."""
    best = before["results"][0]["id"]
    return {"build": str(base["other"]), "add": str(base["extra"]), "remove": best}


def completed(base, op: str, arg: str) -> dict:
    """The answer of the index once ``op`` has run to its end."""
    from crash_writer import _write

    index = Path(shutil.copytree(base["index"], base["folder"] / f"done-{op}"))
    _write(index, op, arg)
    return answer(index)


def test_a_writer_killed_at_any_step_leaves_a_whole_index(base):
    before = answer(base["index"])
    scenarios = []
    for op, arg in writes(base, before).items():
        for i, step in enumerate(STEPS):
            index = shutil.copytree(base["index"], base["folder"] / f"{op}-{i}")
            scenarios.append({"index": str(index), "op": op, "arg": arg, "point": step})
    plan = base["folder"] / "scenarios.json"
    plan.write_text(json.dumps(scenarios))
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "crash_writer.py"), str(plan)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [signal.SIGKILL] * len(scenarios)
    after = {op: completed(base, op, arg) for op, arg in writes(base, before).items()}
    assert all(after[op] != before for op in after)  # each write changes the answer
    for scenario in scenarios:
        swapped = scenario["point"] == "swapped, not pruned"
        expected = after[scenario["op"]] if swapped else before
        assert_whole(Path(scenario["index"]), expected)


# -- the real command line killed after a delay ---------------------------------------------


def light_config(folder: Path) -> Path:
    """No entities nor themes, no profile head: the write is what takes the time."""
    path = folder / "light.toml"
    path.write_text('[annotate]\nentities = false\nthemes = false\n[fusion]\nprofile = "none"\n')
    return path


def cli_write(op: str, index: Path, arg: Path | str, config: Path) -> list[str]:
    by_op = {"build": ["--model", "hash:64", "--config", config], "add": [], "remove": []}
    return [op, arg, *by_op[op], "--index", index]


def api_write(op: str, index: Path, arg: Path | str, config: Path) -> None:
    """The same write as ``cli_write``, run to its end in this process."""
    if op == "build":
        api.build([arg], index, api.settings_for(api.read_settings(config), "hash:64"))
    elif op == "add":
        api.add([arg], index)
    else:
        api.remove([arg], index)


def test_the_command_line_killed_at_several_delays_leaves_a_whole_index(tmp_path):
    """The delays are fractions of a whole build by the command line, measured here: where a
    kill lands varies with the machine's load, and every outcome must be a whole index."""
    config = light_config(tmp_path)
    first, extra, other = (
        corpus(tmp_path / "first.jsonl", 800),
        corpus(tmp_path / "extra.jsonl", 100, start=800),
        corpus(tmp_path / "other.jsonl", 800, start=1000),
    )
    started = time.perf_counter()
    assert run(*cli_write("build", tmp_path / "base", first, config)).returncode == 0
    seconds = time.perf_counter() - started
    base = tmp_path / "base"
    for op, arg, fractions in (("build", other, (0.6, 0.9)), ("add", extra, (0.55, 0.75))):
        base = killed_at(op, arg, fractions, base, seconds, config)
    best = answer(base)["results"][0]["id"]
    killed_at("remove", best, (0.65,), base, seconds, config)


def killed_at(op, arg, fractions, base: Path, seconds: float, config: Path) -> Path:
    """Kill ``op`` after each fraction of ``seconds``; the index whole after each; the index
    after ``op`` has run to its end."""
    before = answer(base)
    done = Path(shutil.copytree(base, base.parent / f"done-{op}"))
    api_write(op, done, arg, config)
    after = answer(done)
    assert after != before
    for fraction in fractions:
        index = Path(shutil.copytree(base, base.parent / f"{op}-{fraction}"))
        args = [
            sys.executable,
            str(ROOT / "search.py"),
            *map(str, cli_write(op, index, arg, config)),
        ]
        writer = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(seconds * fraction)
        writer.kill()
        writer.wait()
        outcome = answer(index)
        assert outcome in (before, after)
        print(f"{op} killed at {fraction:.0%}: {'after' if outcome == after else 'before'}")
        assert_whole(index, outcome)
    return done


# -- flipped bits -------------------------------------------------------------------------


@pytest.fixture
def small_index(tmp_path) -> Path:
    build([corpus(tmp_path / "c.jsonl", 8)], tmp_path / "ix", Settings(), embedder=EMBEDDER)
    return tmp_path / "ix"


def sweep(
    path: Path, index: Path, expected: dict, reseal: bool = False, positions: range | None = None
) -> dict[str, int]:
    """Flip one bit of each byte of ``path`` in turn (bit i mod 8 of byte i), open and ask;
    with ``reseal``, the manifest's digest is rewritten to match, as a careless tool would."""
    original = path.read_bytes()
    seal = snapshots.snapshot(index) / manifest.SEAL
    sealed = seal.read_bytes()
    seen = {"refused": 0, "same": 0}
    try:
        for i in positions or range(len(original)):
            damaged = bytearray(original)
            damaged[i] ^= 1 << (i % 8)
            path.write_bytes(bytes(damaged))
            if reseal:
                seal.write_text(hashlib.sha256(bytes(damaged)).hexdigest() + "\n")
            try:
                got = answer(index)
            except IndexMismatchError as error:
                assert "\n" not in str(error)
                seen["refused"] += 1
                continue
            if not reseal:
                assert got == expected, f"byte {i} of {path.name} changed the answer"
            outcome = "same" if got == expected else "other"
            seen[outcome] = seen.get(outcome, 0) + 1
    finally:
        path.write_bytes(original)
        seal.write_bytes(sealed)
    return seen


def test_a_flipped_bit_anywhere_in_the_manifest_is_refused(small_index):
    expected = answer(small_index)
    folder = snapshots.snapshot(small_index)
    seen = sweep(folder / manifest.MANIFEST, small_index, expected)
    assert seen["refused"] == len((folder / manifest.MANIFEST).read_bytes())
    assert sweep(folder / manifest.SEAL, small_index, expected)["same"] <= 1  # the newline
    assert answer(small_index) == expected


def test_a_flipped_bit_in_current_is_refused_or_without_effect(small_index):
    expected = answer(small_index)
    seen = sweep(small_index / "CURRENT", small_index, expected)
    assert seen["refused"] >= len((small_index / "CURRENT").read_bytes()) - 1


def test_a_resealed_flipped_manifest_is_refused_in_one_line_or_read(small_index):
    """Past the digest, every field is checked: a flip never crashes a search. Every third
    byte of the settings (a full sweep took 26 s on a busy machine; the file checks have
    their own tests in test_index_integrity.py)."""
    expected = answer(small_index)
    path = snapshots.snapshot(small_index) / manifest.MANIFEST
    text = path.read_bytes()
    settings = range(text.index(b'"settings"'), text.index(b'"annotators"'), 3)
    seen = sweep(path, small_index, expected, reseal=True, positions=settings)
    assert seen["refused"] > 0 and answer(small_index) == expected
