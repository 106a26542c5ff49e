"""Read and write transcript files; every bad input becomes one `InputFileError` line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from trainer.datafile import describe_validation_error, read_user_file
from trainer.errors import InputFileError
from trainer.transcript.model import FORMAT, MAX_TURN_CHARS, Transcript

MAX_FILE_BYTES = 10_000_000


def parse_transcript(raw: bytes | str, source: str = "<input>") -> Transcript:
    """Parse and check a transcript; raise `InputFileError(source, problem)` on any defect."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise InputFileError(source, f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputFileError(source, "not UTF-8 text") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputFileError(source, f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    if not raw.strip():
        raise InputFileError(source, "file is empty")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise InputFileError(source, f"not valid JSON{where}") from None
    return transcript_from_data(data, source)


def transcript_from_data(data: Any, source: str = "<input>") -> Transcript:
    """Check already-decoded JSON data against the transcript contract."""
    if not isinstance(data, dict):
        raise InputFileError(source, "expected a JSON object with `format` and `turns`")
    fmt = data.get("format")
    if fmt != FORMAT:
        shown = repr(fmt)[:60] if fmt is not None else "missing"
        raise InputFileError(source, f"`format` must be {FORMAT!r} (found {shown})")
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        raise InputFileError(source, "no turns")
    for index, turn in enumerate(turns):
        problem = _turn_problem(turn)
        if problem:
            raise InputFileError(source, f"turn {index}: {problem}")
    try:
        transcript = Transcript.model_validate(data)
    except ValidationError as exc:
        raise InputFileError(source, describe_validation_error(exc)) from None
    except RecursionError:
        raise InputFileError(source, "structure is nested too deeply") from None
    if not transcript.therapist_turn_indices():
        raise InputFileError(source, "no therapist turn (speaker 'therapist' or 'trainee')")
    return transcript


def _turn_problem(turn: Any) -> str | None:
    if not isinstance(turn, dict):
        return "expected an object with `speaker` and `text`"
    speaker, text = turn.get("speaker"), turn.get("text")
    if not isinstance(speaker, str) or not speaker.strip():
        return "missing `speaker`"
    if not isinstance(text, str):
        return "missing `text`" if text is None else "`text` must be a string"
    if len(text) > MAX_TURN_CHARS:
        return f"text is longer than {MAX_TURN_CHARS} characters"
    return None


def load_transcript(path: str | Path) -> Transcript:
    """Read a transcript file; the error names the path as the user gave it."""
    source = str(path)
    raw = read_user_file(path, "transcript", MAX_FILE_BYTES)
    return parse_transcript(raw, source)


def dump_transcript(transcript: Transcript) -> str:
    """Serialize as pretty JSON in the v1 format."""
    return json.dumps(transcript.to_json_dict(), ensure_ascii=False, indent=2) + "\n"


def save_transcript(transcript: Transcript, path: str | Path) -> None:
    Path(path).write_text(dump_transcript(transcript), encoding="utf-8")
