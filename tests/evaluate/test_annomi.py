"""Real counselling sessions (AnnoMI, converted at test time): all read, no couple's sexual cycle 'raised'."""

from __future__ import annotations

from pathlib import Path

import pytest

CSV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "annomi" / "AnnoMI-simple.csv"
pytestmark = pytest.mark.skipif(not CSV.exists(), reason="AnnoMI csv not available")


def test_all_sessions_read_and_none_raise_the_sexual_cycle() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from evaluator_agreement import run_annomi

    result = run_annomi(CSV)
    assert result["sessions"] == 133
    assert result["errors"] == []
    assert result["raised"] == []
