"""Where the data libraries live (overridable so deployments can ship their own)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def personas_dir() -> Path:
    """Folder of persona YAML files; `TRAINER_PERSONAS_DIR` overrides."""
    return Path(os.environ.get("TRAINER_PERSONAS_DIR", PROJECT_ROOT / "personas"))


def rubrics_dir() -> Path:
    """Folder of rubric YAML files; `TRAINER_RUBRICS_DIR` overrides."""
    return Path(os.environ.get("TRAINER_RUBRICS_DIR", PROJECT_ROOT / "rubrics"))


def data_dir() -> Path:
    """Folder for the SQLite database and caches; `TRAINER_DATA_DIR` overrides."""
    return Path(os.environ.get("TRAINER_DATA_DIR", PROJECT_ROOT / "var"))
