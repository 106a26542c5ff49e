"""Read the model zip into memory and check it: weights (sha256-pinned), tokenizer, config.

Nothing is extracted to disk. Any way the zip can be unusable -- not a zip, a bad CRC,
a missing member, weights that are not the pinned ones -- becomes one EncoderUnavailable.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np
from safetensors.numpy import load as load_safetensors

from trainer.encoder.config import BertConfig
from trainer.encoder.errors import EncoderUnavailable
from trainer.encoder.locate import ModelLocation

WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_MAX_SEQ_LENGTH = 256  # sentence-transformers' max_seq_length for this model
REQUIRED_MEMBERS = ("model.safetensors", "tokenizer.json", "config.json")
ST_CONFIG = "sentence_bert_config.json"


@dataclass(frozen=True)
class ModelFiles:
    """Everything the encoder needs from the zip, already parsed."""

    weights: dict[str, np.ndarray]
    tokenizer_json: str
    config: BertConfig
    max_seq_length: int


def read_model(location: ModelLocation) -> ModelFiles:
    """Load and verify the zip at `location`; EncoderUnavailable says what is wrong."""
    path, fix = location.path, location.fix

    def broken(problem: str) -> EncoderUnavailable:
        return EncoderUnavailable(f"model file {path} {problem}", fix)

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for required in REQUIRED_MEMBERS:
                if required not in names:
                    raise broken(f"has no {required}")
            raw_weights = archive.read("model.safetensors")
            tokenizer_bytes = archive.read("tokenizer.json")
            config_bytes = archive.read("config.json")
            st_bytes = archive.read(ST_CONFIG) if ST_CONFIG in names else None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise broken(f"is not a readable zip archive ({exc})") from None

    digest = hashlib.sha256(raw_weights).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise broken(
            f"has model.safetensors with sha256 {digest[:12]}..., expected {WEIGHTS_SHA256[:12]}..."
        )
    try:
        config = BertConfig.from_json(json.loads(config_bytes))
        max_seq = (
            int(json.loads(st_bytes)["max_seq_length"]) if st_bytes else DEFAULT_MAX_SEQ_LENGTH
        )
        tokenizer_json = tokenizer_bytes.decode("utf-8")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise broken(f"has an unusable config ({exc})") from None
    weights = load_safetensors(raw_weights)
    problem = _shape_problem(weights, config)
    if problem:
        raise broken(problem)
    return ModelFiles(weights, tokenizer_json, config, min(max_seq, config.max_position_embeddings))


def _shape_problem(weights: dict[str, np.ndarray], config: BertConfig) -> str | None:
    """Name the first weight whose shape config.json contradicts (None when all agree)."""
    last = config.num_hidden_layers - 1
    expected = {
        "embeddings.word_embeddings.weight": (config.vocab_size, config.hidden_size),
        "embeddings.position_embeddings.weight": (
            config.max_position_embeddings,
            config.hidden_size,
        ),
        "embeddings.token_type_embeddings.weight": (config.type_vocab_size, config.hidden_size),
        f"encoder.layer.{last}.intermediate.dense.weight": (
            config.intermediate_size,
            config.hidden_size,
        ),
    }
    for name, shape in expected.items():
        if name not in weights or weights[name].shape != shape:
            return f"has a config.json that does not match its weights ({name})"
    return None
