"""Load the encoder: find and verify the model zip, build the graph, open the session.

Runtime packages are checked before the modules that import them, so every way loading
can fail for want of an install (or a good model file) is one EncoderUnavailable.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from trainer.encoder.errors import EncoderUnavailable
from trainer.encoder.locate import locate_model_zip
from trainer.encoder.packages import require_runtime_packages

if TYPE_CHECKING:
    from trainer.encoder.encoder import SentenceEncoder

_shared: SentenceEncoder | None = None
_shared_lock = threading.Lock()


def load_encoder(
    model_zip: str | os.PathLike[str] | None = None,
    *,
    max_length: int | None = None,
    threads: int | None = None,
    cache_size: int = 4096,
    batch_size: int = 32,
) -> SentenceEncoder:
    """A new encoder. model_zip defaults to $TRAINER_ENCODER_MODEL_ZIP, then the installed model.

    max_length: word pieces per text (default 256, as sentence-transformers; 128 is faster).
    threads: onnxruntime intra-op threads (default: $TRAINER_ENCODER_THREADS or up to 2).
    Raises EncoderUnavailable (one line: what is wrong, how to fix it).
    """
    require_runtime_packages()
    location = locate_model_zip(model_zip)

    from trainer.encoder.archive import read_model
    from trainer.encoder.encoder import SentenceEncoder
    from trainer.encoder.graph import build_graph
    from trainer.encoder.session import default_threads, make_session
    from trainer.encoder.tokens import WordPieceTokenizer

    files = read_model(location)
    length = files.max_seq_length if max_length is None else int(max_length)
    if not 2 <= length <= files.max_seq_length:
        raise ValueError(f"max_length must be between 2 and {files.max_seq_length}, got {length}")
    try:
        tokenizer = WordPieceTokenizer(files.tokenizer_json, length)
    except Exception as exc:  # noqa: BLE001 - tokenizers raises plain Exception on a bad file
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EncoderUnavailable(
            f"model file {location.path} has an unusable tokenizer.json ({first_line})",
            location.fix,
        ) from None
    model_bytes = build_graph(files.weights, files.config).SerializeToString()
    del files
    session = make_session(model_bytes, threads or default_threads())
    return SentenceEncoder(session, tokenizer, cache_size=cache_size, batch_size=batch_size)


def get_encoder() -> SentenceEncoder:
    """The process-wide encoder with default settings, loaded on first use (not cached on failure)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = load_encoder()
        return _shared
