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
        raise InputFileError(str(path), f"not valid YAML{yaml_error_place(exc)}") from None
    if not isinstance(data, dict):
        raise InputFileError(str(path), "expected a mapping at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        line = field_line(raw, exc.errors()[0]["loc"])
        where = f"line {line}: " if line else ""
        raise InputFileError(str(path), where + describe_validation_error(exc)) from None


def yaml_error_place(exc: yaml.YAMLError) -> str:
    """' at line N (what)' for a YAML syntax error, naming the line where the broken part starts.

    PyYAML notices an unclosed quote, bracket or key only lines later; its
    `context_mark` then points at where that construct began, which is the
    line a person has to fix.
    """
    context = str(getattr(exc, "context", "") or "")
    mark = getattr(exc, "problem_mark", None)
    if context.startswith(("while scanning", "while parsing a flow")):
        mark = getattr(exc, "context_mark", None) or mark
    if mark is None:
        return ""
    problem = str(getattr(exc, "problem", "") or "").strip()
    return f" at line {mark.line + 1}" + (f" ({problem})" if problem else "")


def field_line(raw: str, loc: tuple[object, ...] | list[object]) -> int | None:
    """The 1-based line of the field at `loc` (as pydantic reports it) in a YAML text."""
    try:
        node = yaml.compose(raw)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line
