"""The review's audit trail in sentences: who, when, which criterion (by its title), before -> after, why."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from trainer.review.model import AuditEntry


def _score(value: Mapping[str, Any] | None) -> str:
    score = (value or {}).get("score")
    return "no score" if score is None else f"{score}/3"


def _quoted(text: Any) -> str:
    return f"\u201c{' '.join(str(text).split())}\u201d"


def audit_sentence(entry: AuditEntry, titles: Mapping[str, str] | None = None) -> str:
    """One plain sentence (not markup) for one change to a review."""
    who = entry.actor or "A reviewer whose account was removed"
    when = f"{entry.at:%d %b %Y, %H:%M} UTC"
    title = (titles or {}).get(entry.criterion_id or "", entry.criterion_id or "")
    before, after = entry.before or {}, entry.after or {}
    if entry.action == "override":
        source = "their earlier" if "comment" in before else "the evaluator's"
        why = f", because {_quoted(after['comment'])}" if after.get("comment") else ""
        text = f"changed {_quoted(title)} from {source} {_score(before)} to {_score(after)}{why}."
    elif entry.action == "clear_override":
        text = (f"went back to the evaluator's score for {_quoted(title)}: "
                f"{_score(before)} -> {_score(after)}.")
    elif entry.action == "comment":
        new = after.get("comment")
        text = (f"changed the overall comment to {_quoted(new)}." if new else "removed the overall comment.")
    elif entry.action == "mark_reviewed":
        text = "marked the session reviewed: the trainee sees the feedback, and the supervisor's scores count."
    elif entry.action == "reopen":
        text = "reopened the review: the trainee no longer sees it, and the evaluator's scores count again."
    else:
        text = f"made a change ({entry.action.replace('_', ' ')})."
    text = re.sub(r"([.!?])\u201d\.$", "\\1\u201d", text)  # "...steady." not "...steady.".
    return f"{when}: {who} {text}"
