"""Typed errors. Each message says what is wrong and, where it can, what to do.

The CLI maps every ``TisserError`` to exit code 1 and one line on stderr.
"""


class TisserError(Exception):
    """Base of every error a user can cause and fix."""


class InputError(TisserError):
    """A file, argument or record the user gave cannot be used."""


class EmptyCorpusError(InputError):
    """The sources held no usable document."""


class IndexMissingError(TisserError):
    """No index at the given folder."""


class IndexMismatchError(TisserError):
    """The index on disk does not fit this version, model or its own checksums."""


class NotFoundError(TisserError):
    """An id or a name matches no document."""


class AmbiguousNameError(TisserError):
    """A name matches several documents; the message lists them."""


class ModelError(TisserError):
    """The embedding or language model cannot be loaded."""
