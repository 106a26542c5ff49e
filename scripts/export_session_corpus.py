#!/usr/bin/env python
"""Write the turns of the labelled sessions (tests/devset, tests/blindset) as partially
labelled training items, corpus/train/sessions.jsonl.

Those sessions are regression sets: the rule layer agrees with their expert scores on every
criterion, so its labels for the decisions the scores rest on (the sexual topic, validation,
blame, evocative questions; a need voiced, a conjecture confirmed or met with a "maybe") are taken
as silver labels, each turn with the four turns before
it as context. Only those labels are judged; the rest stay unknown. Re-run after editing the sets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from trainer.analysis import analyze_transcript
from trainer.analysis.combine import learned_layer_enabled
from trainer.transcript import load_transcript

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ["invite_sex", "follow_up_sex", "sideline_sex", "shaming_sex", "validate_protective_move", "blame",
          "evoke_need"]
CLIENT_JUDGED = ["need_or_fear", "confirms_conjecture", "rejects_conjecture", "hesitant"]


def main() -> int:
    if learned_layer_enabled():
        print("run with TRAINER_ANALYSIS=rules: the silver labels come from the rule layer", file=sys.stderr)
        return 2
    rows = []
    for folder in ("devset", "blindset"):
        for path in sorted((ROOT / "tests" / folder).glob("*.json")):
            transcript = load_transcript(path)
            for labels in analyze_transcript(transcript):
                judged = JUDGED if labels.is_therapist else CLIENT_JUDGED
                turn = transcript.turns[labels.index]
                chosen = [str(x) for x in [*labels.moves, *labels.disclosures] if str(x) in judged]
                evidence = {}
                for label in chosen:
                    quote = next((c.quote for c in labels.cues if c.label == label and c.quote in turn.text), turn.text)
                    evidence[label] = quote
                row = {
                    "id": f"session-{folder}-{path.stem}-{labels.index}",
                    "role": "therapist" if labels.is_therapist else "client",
                    "clients": transcript.client_names,
                    "context": [{"speaker": t.speaker, "text": t.text} for t in transcript.turns[max(0, labels.index - 4):labels.index]],
                    "text": turn.text, "labels": chosen, "evidence": evidence, "judged": judged,
                }
                if not labels.is_therapist:
                    row["speaker"] = turn.speaker
                rows.append(row)
    out = ROOT / "corpus" / "train" / "sessions.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} session turns -> {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
