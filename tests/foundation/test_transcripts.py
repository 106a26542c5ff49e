"""Transcript reading: the v1 contract and its one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.errors import InputFileError
from trainer.transcript import FORMAT, dump_transcript, load_transcript, parse_transcript


def _doc(turns: list[dict], **extra) -> str:
    return json.dumps({"format": FORMAT, "turns": turns, **extra})


GOOD = [
    {"speaker": "therapist", "text": "What brings you in?"},
    {"speaker": "Ana", "text": "We keep fighting."},
    {"speaker": "Luis", "text": "Mostly about money.", "at": "2026-01-01T10:00:00Z"},
]


def test_reads_clients_from_speakers_and_keeps_unknown_fields() -> None:
    transcript = parse_transcript(_doc(GOOD), "t.json")
    assert transcript.client_names == ["Ana", "Luis"]
    assert transcript.therapist_turn_indices() == [0]
    assert transcript.turns[2].model_extra == {"at": "2026-01-01T10:00:00Z"}


def test_trainee_speaker_in_any_case_is_the_therapist() -> None:
    turns = [{"speaker": "TRAINEE", "text": "Hello"}, {"speaker": "Ana", "text": "Hi"}]
    assert parse_transcript(_doc(turns)).therapist_turn_indices() == [0]


def test_explicit_clients_win() -> None:
    transcript = parse_transcript(_doc(GOOD, clients=["Luis", "Ana"]))
    assert transcript.client_names == ["Luis", "Ana"]


def test_round_trip(tmp_path: Path) -> None:
    transcript = parse_transcript(_doc(GOOD, persona="x"))
    path = tmp_path / "t.json"
    path.write_text(dump_transcript(transcript))
    again = load_transcript(path)
    assert again == transcript


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "empty"),
        ("{not json", "not valid JSON"),
        (json.dumps([1, 2]), "expected a JSON object"),
        (json.dumps({"format": "other/v9", "turns": GOOD}), "`format` must be"),
        (_doc([]), "no turns"),
        (_doc([{"speaker": "therapist"}]), "turn 0: missing `text`"),
        (_doc([{"text": "hi"}]), "turn 0: missing `speaker`"),
        (_doc([{"speaker": "Ana", "text": "hi"}]), "no therapist turn"),
        (_doc([{"speaker": "therapist", "text": "x" * 30_000}]), "longer than"),
        (_doc([{"speaker": "therapist", "text": 5}]), "must be a string"),
    ],
)
def test_bad_input_gives_one_line_naming_file(raw: str, problem: str) -> None:
    with pytest.raises(InputFileError) as info:
        parse_transcript(raw, "bad.json")
    message = str(info.value)
    assert message.startswith("bad.json: ")
    assert problem in message
    assert "\n" not in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        load_transcript(tmp_path / "nope.json")
    with pytest.raises(InputFileError, match="is a directory"):
        load_transcript(tmp_path)


def test_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(11_000_000)
    with pytest.raises(InputFileError, match="larger than"):
        load_transcript(path)


def test_deeply_nested_json_is_a_clean_error() -> None:
    with pytest.raises(InputFileError):
        parse_transcript("[" * 100_000 + "]" * 100_000, "deep.json")


def _only_clean_errors(raw: bytes | str) -> None:
    try:
        parse_transcript(raw, "fuzz.json")
    except InputFileError as exc:
        assert str(exc).startswith("fuzz.json: ")
        assert "\n" not in str(exc)


@settings(max_examples=300)
@given(st.binary(max_size=2_000))
def test_random_bytes_only_give_clean_errors(raw: bytes) -> None:
    _only_clean_errors(raw)


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=400))
def test_truncated_json_only_gives_clean_errors(cut: int) -> None:
    full = _doc(GOOD)
    _only_clean_errors(full[:cut])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.sampled_from(["format", "turns", "clients", "persona", "speaker", "text"]),
        json_values,
        max_size=5,
    )
)
def test_wrong_types_only_give_clean_errors(data: dict) -> None:
    _only_clean_errors(json.dumps(data))


@settings(max_examples=200)
@given(
    st.lists(
        st.fixed_dictionaries({"speaker": json_values, "text": json_values}),
        min_size=1,
        max_size=5,
    ),
    st.one_of(st.none(), json_values),
)
def test_wrong_turn_types_only_give_clean_errors(turns: list, clients: object) -> None:
    _only_clean_errors(json.dumps({"format": FORMAT, "turns": turns, "clients": clients}))
