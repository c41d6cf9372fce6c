"""The question grammar: "projets comme X", "projects like X", "initiatives similaires à X" ask
for initiatives like X; any other text is a query. The one place that reads a question: the
CLI, the HTTP API and the page (which asks the server) all go through ``read_question``."""

from __future__ import annotations

import re
from dataclasses import dataclass

LIKE = re.compile(
    r"^\s*(?P<prefix>(?:(?:les\s+)?(?:projets?|initiatives?|coop[ée]rations?)\s+"
    r"(?:comme|similaires?\s+[àa]|proches?\s+de|semblables?\s+[àa]|qui\s+ressemblent\s+[àa])"
    r"|(?:projects?|initiatives?)\s+(?:like|similar\s+to)|similar\s+to)\s+)(?P<name>.*?)\s*\??$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    """``name`` is set when the question asks for initiatives like it. ``prefix`` is how the
    question says so ("projets comme "), as typed: set too while the name is still being
    typed (empty), so that titles can be suggested after it."""

    text: str
    name: str | None = None
    prefix: str = ""

    @property
    def is_like(self) -> bool:
        return self.name is not None


def read_question(text: str) -> Question:
    """What ``text`` asks: a "like" question with its name, or a query."""
    like = LIKE.match(text)
    if like is None:
        return Question(text)
    return Question(text, like["name"] or None, like["prefix"])
