"""Read corpus JSON Lines files; a bad line is reported as `file:line: problem`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from trainer.corpus.schema import CorpusItem
from trainer.datafile import describe_validation_error
from trainer.paths import PROJECT_ROOT

CORPUS_DIR = PROJECT_ROOT / "corpus"


class CorpusError(ValueError):
    """A corpus file that cannot be read, with file and line."""


def load_items(paths: Iterable[Path]) -> list[CorpusItem]:
    items: list[CorpusItem] = []
    seen: set[str] = set()
    for path in sorted(paths):
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                item = CorpusItem.model_validate(json.loads(raw))
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{where}: not JSON ({exc.msg})") from None
            except ValidationError as exc:
                raise CorpusError(f"{where}: {describe_validation_error(exc)}") from None
            if item.id in seen:
                raise CorpusError(f"{where}: id {item.id!r} appears twice")
            seen.add(item.id)
            items.append(item)
    return items


def load_split(name: str, root: Path = CORPUS_DIR) -> list[CorpusItem]:
    """`train` or `heldout`: every `*.jsonl` file of that folder."""
    return load_items((root / name).glob("*.jsonl"))
