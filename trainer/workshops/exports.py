"""Workshop exports: CSV (one row per session and criterion) and JSON, for programme records.

Scores are official ones: `final_score` and `session_total` are the supervisor's
once their review is released, with the evaluator's kept in their own columns.

Both are built from `SessionFacts` the caller was allowed to read, so an export
can never hold more than its requester may see. CSV cells that a spreadsheet
would run as formulas are defused.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from trainer.workshops.facts import SessionFacts, Usage, usage_of

CSV_COLUMNS = [
    "workshop", "workshop_date", "participant", "session_id", "couple_id", "mode", "status",
    "started_at", "ended_at", "minutes", "turns", "criterion_id", "criterion_title",
    "evaluator_score", "supervisor_score", "final_score", "session_total", "evaluator_total", "max_total",
    "reviewed", "engine", "judge", "session_prompt_tokens", "session_completion_tokens",
    "session_cost_usd",
]


def csv_cell(value: Any) -> str:
    """The value as a CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text  # a name like "=HYPERLINK(...)" must not run in Excel
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _usage(usage: Usage) -> dict[str, Any]:
    """Tokens and estimated cost; "offline" (and zeros) when no language model took part.
    The same serializer as completion records use, so the two never disagree."""
    return usage.model_dump(mode="json")


def export_rows(title: str, on: date, sessions: Sequence[SessionFacts]) -> list[dict[str, Any]]:
    """The CSV rows as dicts; a session with no evaluation yet gives one row without criterion."""
    rows = []
    for facts in sorted(sessions, key=lambda s: (s.participant.casefold(), s.started_at)):
        base = {
            "workshop": title, "workshop_date": on.isoformat(), "participant": facts.participant,
            "session_id": str(facts.session_id), "couple_id": facts.couple_id,
            "mode": facts.mode, "status": facts.status,
            "started_at": _iso(facts.started_at), "ended_at": _iso(facts.ended_at),
            "minutes": facts.whole_minutes, "turns": facts.turn_count,
            "session_total": facts.total, "evaluator_total": facts.evaluator_total,
            "max_total": (facts.evaluation or {}).get("max_total"),
            "reviewed": facts.reviewed, "engine": facts.engine, "judge": facts.judge,
            "session_prompt_tokens": facts.prompt_tokens,
            "session_completion_tokens": facts.completion_tokens,
            "session_cost_usd": round(facts.cost_usd, 6),
        }
        criteria = facts.criteria()
        if not criteria:
            rows.append(dict(base))
            continue
        for item in criteria:
            cid = str(item.get("id"))
            rows.append(
                base | {
                    "criterion_id": cid, "criterion_title": item.get("title"),
                    "evaluator_score": facts.evaluator_score(cid),
                    "supervisor_score": facts.supervisor_scores.get(cid),
                    "final_score": facts.final_score(cid),
                }
            )
    return rows


def to_csv(title: str, on: date, sessions: Sequence[SessionFacts]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in export_rows(title, on, sessions):
        writer.writerow({key: csv_cell(row.get(key)) for key in CSV_COLUMNS})
    return buffer.getvalue()


def to_json(title: str, on: date, sessions: Sequence[SessionFacts]) -> str:
    """One object: the workshop and its sessions, each with criteria, scores and LLM usage."""
    payload = {
        "format": "trainer.workshop-export/v1",
        "workshop": {"title": title, "date": on.isoformat()},
        "usage": _usage(usage_of(sessions)),
        "participants": [
            {"participant": name, "usage": _usage(usage_of(s for s in sessions if s.participant == name))}
            for name in sorted({s.participant for s in sessions}, key=str.casefold)
        ],
        "sessions": [
            {
                "session_id": str(s.session_id), "participant": s.participant,
                "couple_id": s.couple_id, "mode": s.mode, "status": s.status,
                "started_at": _iso(s.started_at), "ended_at": _iso(s.ended_at),
                "minutes": s.whole_minutes, "turns": s.turn_count, "reviewed": s.reviewed,
                "total": s.total, "evaluator_total": s.evaluator_total,
                "max_total": (s.evaluation or {}).get("max_total"),
                "engine": s.engine, "judge": s.judge, "usage": _usage(usage_of([s])),
                "criteria": [
                    {
                        "id": str(c.get("id")), "title": c.get("title"),
                        "evaluator_score": s.evaluator_score(str(c.get("id"))),
                        "supervisor_score": s.supervisor_scores.get(str(c.get("id"))),
                        "final_score": s.final_score(str(c.get("id"))),
                        "missed_moment": (c.get("coaching") or {}).get("missed_moment"),
                    }
                    for c in s.criteria()
                ],
            }
            for s in sorted(sessions, key=lambda s: (s.participant.casefold(), s.started_at))
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
