"""Load YAML data files into pydantic models with one-line, user-facing errors."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from trainer.errors import InputFileError

M = TypeVar("M", bound=BaseModel)

MAX_DATA_FILE_BYTES = 2_000_000


def read_user_file(path: str | Path, kind: str, max_bytes: int) -> bytes:
    """Read a file a user named; every problem becomes an `InputFileError` naming it as given."""
    source = str(path)
    try:
        file_path = Path(path)
        if file_path.is_dir():
            raise InputFileError(source, f"is a directory, not a {kind} file")
        if file_path.stat().st_size > max_bytes:
            limit = f"{max_bytes // 1_000_000} MB" if max_bytes >= 1_000_000 else f"{max_bytes} bytes"
            raise InputFileError(source, f"file is larger than {limit}")
        return file_path.read_bytes()
    except InputFileError:
        raise
    except FileNotFoundError:
        raise InputFileError(source, "no such file") from None
    except OSError as exc:
        raise InputFileError(source, f"cannot read file ({exc.strerror or exc.__class__.__name__})") from None


def describe_validation_error(error: ValidationError) -> str:
    """First problem of a pydantic error as `field.path: message` (plus a count of the rest)."""
    problems = error.errors()
    first = problems[0]
    location = ".".join(str(part) for part in first["loc"]) or "(top level)"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return f"{location}: {message}{more}"


def load_yaml_model(path: Path, model: type[M]) -> M:
    """Read a YAML file with `yaml.safe_load` and validate it as `model`."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_DATA_FILE_BYTES:
            raise InputFileError(str(path), f"file is larger than {MAX_DATA_FILE_BYTES} bytes")
        raw = path.read_text(encoding="utf-8")
    except InputFileError:
        raise
    except FileNotFoundError:
        raise InputFileError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(str(path), f"cannot read file ({exc.__class__.__name__})") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputFileError(str(path), f"not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise InputFileError(str(path), "expected a mapping at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputFileError(str(path), describe_validation_error(exc)) from None
