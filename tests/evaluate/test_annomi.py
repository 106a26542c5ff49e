"""Real counselling sessions (AnnoMI, converted at test time): all read, no couple's sexual cycle 'raised'."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import shared_file, skip_unless_available

CSV = shared_file("data", "annomi", "AnnoMI-simple.csv")


def test_all_sessions_read_and_none_raise_the_sexual_cycle() -> None:
    if not CSV.exists():
        skip_unless_available(f"AnnoMI csv not available at {CSV}")  # fails in CI
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from evaluator_agreement import run_annomi

    result = run_annomi(CSV)
    assert result["sessions"] == 133
    assert result["errors"] == []
    assert result["raised"] == []
