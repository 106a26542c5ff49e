"""The practice page's sentences for trainees, kept as data (`notices.yaml`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

NOTICES_FILE = Path(__file__).with_name("notices.yaml")


@lru_cache(maxsize=1)
def _notices() -> dict[str, str]:
    data = yaml.safe_load(NOTICES_FILE.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in data.items()}


def notice(key: str, **values: Any) -> str:
    """The sentence for `key`, with `values` filled in."""
    text = _notices()[key]
    return text.format(**values) if values else text
