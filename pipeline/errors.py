"""Typed errors. Each message says what is wrong and, where it can, what to do.

The CLI maps every ``TisserError`` to exit code 1 and one line on stderr; the HTTP server to a
JSON error with a status code.
"""

from __future__ import annotations

PARAM = "{param}"  # where a message names the parameter it is about (see ParameterError)


class TisserError(Exception):
    """Base of every error a user can cause and fix."""


class InputError(TisserError):
    """A file, argument or record the user gave cannot be used."""


class ParameterError(InputError):
    """A parameter's value cannot be used. ``message`` names the parameter where it holds
    ``{param}``: the library's message says ``parameter`` (``k``, ``region``), a front end
    puts its own name for it there (the CLI's ``-k``, ``--region``) with ``named``."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        self.template = message if PARAM in message else f"{PARAM} {message}"
        super().__init__(self.named(parameter))

    def named(self, name: str) -> str:
        return self.template.replace(PARAM, name)


class EmptyCorpusError(InputError):
    """The sources held no usable document."""


class IndexMissingError(TisserError):
    """No index at the given folder."""


class IndexMismatchError(TisserError):
    """The index on disk does not fit this version, model or its own checksums."""


class IndexWriteError(TisserError):
    """The disk refuses to hold the index: full, read-only, not the user's to write."""


class NotFoundError(TisserError):
    """An id or a name matches no document."""


class AmbiguousNameError(TisserError):
    """A name matches several documents: the message lists them, ``candidates`` holds the
    same ones as (id, title) pairs."""

    def __init__(self, message: str, candidates: tuple[tuple[str, str], ...] = ()):
        super().__init__(message)
        self.candidates = candidates


class ModelError(TisserError):
    """The embedding or language model cannot be loaded."""
