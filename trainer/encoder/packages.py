"""Import the runtime packages up front, so a missing one is an EncoderUnavailable, not an ImportError."""

from __future__ import annotations

import importlib

from trainer.encoder.errors import INSTALL_PACKAGES, EncoderUnavailable

# module to import -> the name pip installs it under (all listed in pyproject.toml)
RUNTIME_PACKAGES: dict[str, str] = {
    "numpy": "numpy",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "safetensors.numpy": "safetensors",
    "tokenizers": "tokenizers",
}


def require_runtime_packages() -> None:
    """Raise EncoderUnavailable naming the first runtime package that cannot be imported."""
    for module, distribution in RUNTIME_PACKAGES.items():
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise EncoderUnavailable(
                f"the Python package {distribution!r} cannot be imported ({exc})", INSTALL_PACKAGES
            ) from None
