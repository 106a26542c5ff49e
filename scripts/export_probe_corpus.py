#!/usr/bin/env python
"""Write the analysis regression probes (tests/analysis/*_probes.py) as partially labelled
training items, corpus/train/probes.jsonl, so the learned layer learns what the probes assert.

Each probe asserts one decision (an invitation, not a validation, ...); only the labels
it judges are recorded (`judged`), the rest stay unknown. Re-run after editing the probes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "analysis"))

import test_analyzer as analyzer
import test_protective_probes as protective
import test_sexual_probes as sexual

SEX = ["invite_sex", "follow_up_sex", "sideline_sex", "shaming_sex"]


def _context(turns) -> list[dict[str, str]]:
    return [{"speaker": t.speaker, "text": t.text} for t in turns]


def _cases(test) -> list:
    """The parameter values of a parametrized test function."""
    return list(test.pytestmark[0].args[1])


def main() -> int:
    rows = []

    def add(module, text: str, labels: list[str], judged: list[str], speaker: str | None = None,
            context=None) -> None:
        turns = context if context is not None else getattr(module, "NEUTRAL", None) or module.OPENING
        row = {"id": f"probe-{len(rows) + 1:04d}", "role": "client" if speaker else "therapist",
               "clients": module.CLIENTS, "context": _context(turns), "text": text, "labels": labels,
               "evidence": {label: text for label in labels}, "judged": judged}
        if speaker:
            row["speaker"] = speaker
        rows.append(row)

    for text in sexual.INVITES:
        add(sexual, text, ["invite_sex"], SEX)
    for text in sexual.NOT_PHYSICAL:
        add(sexual, text, [], SEX)
    for text in sexual.SHAMING:
        add(sexual, text, ["shaming_sex"], SEX)
    for text in protective.VALIDATES:
        add(protective, text, ["validate_protective_move"], ["validate_protective_move", "blame"])
    for text in protective.NOT_VALIDATION:
        add(protective, text, [], ["validate_protective_move"])
    for text in protective.BLAMES:
        add(protective, text, ["blame"], ["validate_protective_move", "blame"])
    for text in protective.NOT_BLAME:
        add(protective, text, [], ["blame", "take_sides"])
    for text in _cases(analyzer.test_physical_invitations_in_many_words):
        add(analyzer, text, ["invite_sex"], SEX)
    for text in _cases(analyzer.test_emotional_closeness_is_not_the_physical_bond):
        add(analyzer, text, [], SEX)
    for text, _partner in _cases(analyzer.test_validation_without_the_word_protect):
        add(analyzer, text, ["validate_protective_move"], ["validate_protective_move"])
    for text, move in _cases(analyzer.test_sidelining_and_shaming):
        add(analyzer, text, [str(move)], SEX)
    for text in _cases(analyzer.test_needs_and_fears_in_first_person):
        add(analyzer, text, ["need_or_fear"], ["need_or_fear"], speaker="Lena")
    for text in _cases(analyzer.test_logistics_denials_and_intents_are_not_needs):
        add(analyzer, text, [], ["need_or_fear"], speaker="Omar")
    out = ROOT / "corpus" / "train" / "probes.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} probe items -> {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
