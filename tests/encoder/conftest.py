"""Shared, loaded-once fixtures for the encoder tests (loading takes about two seconds)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trainer.encoder import SentenceEncoder, load_encoder
from trainer.encoder.archive import ModelFiles, read_model
from trainer.encoder.locate import locate_model_zip

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def reference() -> dict:
    """sentence-transformers' own output, made once by make_reference.py."""
    return json.loads((HERE / "reference_embeddings.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def model_files() -> ModelFiles:
    return read_model(locate_model_zip())


@pytest.fixture(scope="session")
def encoder() -> SentenceEncoder:
    return load_encoder()
