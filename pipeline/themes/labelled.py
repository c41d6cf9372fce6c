"""Labelled examples for the supervised tagger: JSON Lines of {"text": ..., "labels": [...]}."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError


def read_labelled(path: Path) -> tuple[list[str], list[list[str]]]:
    """Texts and their labels; every mistake is reported as "file:line: reason"."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: labelled file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the labelled file ({exc})") from exc
    texts: list[str] = []
    labels_list: list[list[str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        text, labels = _example(line, f"{path}:{number}")
        texts.append(text)
        labels_list.append(labels)
    check_labelled(texts, labels_list, str(path))
    return texts, labels_list


def _example(line: str, where: str) -> tuple[str, list[str]]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON: {exc.msg}") from exc
    if not isinstance(record, dict):
        raise InputError(f'{where}: expected an object {{"text": ..., "labels": [...]}}')
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f'{where}: "text" is missing or empty')
    labels = record.get("labels")
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise InputError(f'{where}: "labels" must be a list of strings')
    labels = list(dict.fromkeys(x.strip() for x in labels if x.strip()))
    if not labels:
        raise InputError(f'{where}: no labels: give at least one in "labels"')
    return text, labels


def check_labelled(
    texts: Sequence[str], labels_list: Sequence[Sequence[str]], source: str = "training data"
) -> None:
    """Refuse what no classifier can learn from: nothing, empty texts, a single label."""
    if len(texts) != len(labels_list):
        raise InputError(f"{source}: {len(texts)} texts but {len(labels_list)} label lists")
    if not texts:
        raise InputError(f"{source}: no labelled examples")
    for i, (text, labels) in enumerate(zip(texts, labels_list, strict=False)):
        if not text or not text.strip():
            raise InputError(f"{source}: example {i + 1} has an empty text")
        if not labels:
            raise InputError(f"{source}: example {i + 1} has no labels")
    distinct = {label for labels in labels_list for label in labels}
    if len(distinct) < 2:
        raise InputError(
            f"{source}: every example has the label {next(iter(distinct))!r}; a tagger needs "
            "at least two different labels to learn what tells them apart"
        )
    everywhere = [x for x in sorted(distinct) if all(x in labels for labels in labels_list)]
    if everywhere:
        raise InputError(
            f"{source}: the label {everywhere[0]!r} is on every example, so nothing tells "
            "where it does not apply: add examples without it, or drop it"
        )
