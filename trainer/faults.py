"""Faults as sentences: what is wrong and what to do, never a traceback.

`describe(exc)` turns an exception met at start-up or while serving a page
(database down or hanging or read-only, unknown schema, unusable data folder,
broken data file) into a `Fault` whose words are kept in `faults.yaml`. The
technical detail stays in `detail`, for the server log only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from trainer.errors import InputFileError, TrainerError

FAULTS_FILE = Path(__file__).with_name("faults.yaml")


class StoreFault(TrainerError):
    """A database problem found before any query ran (e.g. an unknown schema)."""

    def __init__(self, key: str, detail: str, **values: Any) -> None:
        self.key, self.values = key, values
        super().__init__(detail)


@dataclass(frozen=True)
class Fault:
    key: str
    title: str
    what: str
    todo: str
    detail: str  # for the log: the exception's own words

    @property
    def text(self) -> str:
        return f"{self.title}. {self.what} {self.todo}"


@lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, str]]:
    return yaml.safe_load(FAULTS_FILE.read_text(encoding="utf-8"))


def fault(key: str, detail: str = "", **values: Any) -> Fault:
    """The fault `key` with its placeholders filled (missing ones read as 'unknown')."""
    words = _words()[key]
    fill = _Defaults(values)
    return Fault(key, words["title"].format_map(fill), words["what"].format_map(fill),
                 words["todo"].format_map(fill), detail)


class _Defaults(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "unknown"


_UNREACHABLE = re.compile(r"connection refused|could not connect|no route to host|"
                          r"could not translate host|name or service not known|network is unreachable|"
                          r"connection .* failed|server closed the connection", re.IGNORECASE)
_TIMEOUT = re.compile(r"timeout expired|timed out|statement timeout|lock timeout|"
                      r"canceling statement|database is locked|QueuePool limit", re.IGNORECASE)
_READ_ONLY = re.compile(r"readonly database|read-only|unable to open database file|"
                        r"permission denied|disk I/O error", re.IGNORECASE)
_REVISION = re.compile(r"Can't locate revision identified by '([^']+)'")


def describe(exc: BaseException, *, where: str = "", seconds: int | None = None) -> Fault:
    """The sentence for `exc`; `where` names the database or folder (no password)."""
    detail = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:2000]
    if isinstance(exc, StoreFault):
        return fault(exc.key, detail, **{"where": where, **exc.values})
    if isinstance(exc, InputFileError):
        return fault("rubric_file", detail, file=exc.source, problem=exc.problem)
    text = str(exc)
    found = _REVISION.search(text)
    if found:
        return fault("db_unknown_revision", detail, where=where, revision=found.group(1))
    if _is_database_error(exc):
        if _TIMEOUT.search(text):
            return fault("db_timeout", detail, where=where, seconds=seconds or "a few")
        if _READ_ONLY.search(text):
            return fault("db_read_only", detail, where=where)
        if _UNREACHABLE.search(text) or "OperationalError" in type(exc).__name__:
            return fault("db_unreachable", detail, where=where)
        return fault("db_other", detail, where=where)
    if isinstance(exc, OSError):
        return fault("data_dir", detail, where=getattr(exc, "filename", None) or where)
    return fault("unexpected", detail)


def _is_database_error(exc: BaseException) -> bool:
    """SQLAlchemy or driver errors, without importing them for everyone."""
    names = {cls.__module__.split(".")[0] for cls in type(exc).__mro__}
    return bool(names & {"sqlalchemy", "psycopg", "sqlite3", "alembic"})


__all__ = ["Fault", "StoreFault", "describe", "fault"]
