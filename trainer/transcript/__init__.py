"""Transcript format `trainer.transcript/v1`: model and file I/O."""

from trainer.transcript.io import (
    dump_transcript,
    load_transcript,
    parse_transcript,
    save_transcript,
)
from trainer.transcript.model import FORMAT, Transcript, Turn, is_therapist_speaker

__all__ = [
    "FORMAT",
    "Transcript",
    "Turn",
    "dump_transcript",
    "is_therapist_speaker",
    "load_transcript",
    "parse_transcript",
    "save_transcript",
]
