"""The facilitator's at-a-glance view of a room: who is here, who is done, where they struggle."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel

from trainer.workshops.facts import Participant, SessionFacts, Usage, usage_of

LEVELS = (0, 1, 2, 3)


class ParticipantStatus(BaseModel):
    display_name: str
    in_progress: int
    completed: int
    last_total: int | None = None
    usage: Usage = Usage()


class MissedMoment(BaseModel):
    criterion_id: str
    text: str
    count: int


class Dashboard(BaseModel):
    participants: int
    sessions_in_progress: int
    sessions_completed: int
    people: list[ParticipantStatus]
    # criterion id -> counts per score level ("0".."3"), completed sessions' latest evaluation
    distributions: dict[str, dict[str, int]]
    criterion_titles: dict[str, str]
    missed_moments: list[MissedMoment]
    usage: Usage = Usage()  # the whole room's LLM tokens and estimated cost


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".").casefold()


def missed_moments(sessions: Sequence[SessionFacts], top: int = 5) -> list[MissedMoment]:
    """The coaching 'missed moment' texts that recur most across completed sessions."""
    counts: Counter[tuple[str, str]] = Counter()
    shown: dict[tuple[str, str], str] = {}
    for facts in sessions:
        if not facts.completed:
            continue
        for item in facts.criteria():
            text = ((item.get("coaching") or {}).get("missed_moment") or "").strip()
            if not text:
                continue
            key = (str(item.get("id")), _normalized(text))
            counts[key] += 1
            shown.setdefault(key, text)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [MissedMoment(criterion_id=k[0], text=shown[k], count=n) for k, n in ranked[:top]]


def score_distributions(
    sessions: Sequence[SessionFacts],
) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """Per criterion, how many completed sessions scored 0, 1, 2, 3 (official scores) and the titles."""
    distributions: dict[str, dict[str, int]] = {}
    titles: dict[str, str] = {}
    for facts in sessions:
        if not facts.completed:
            continue
        for item in facts.criteria():
            cid = item.get("id")
            score = facts.final_score(str(cid)) if cid is not None else None
            if cid is None or score is None:
                continue
            bucket = distributions.setdefault(str(cid), {str(level): 0 for level in LEVELS})
            bucket[str(int(score))] = bucket.get(str(int(score)), 0) + 1
            titles.setdefault(str(cid), str(item.get("title") or cid))
    return distributions, titles


def build_dashboard(
    participants: Sequence[Participant], sessions: Sequence[SessionFacts], *, top_missed: int = 5
) -> Dashboard:
    """Everything the live dashboard shows, from one read of the workshop's facts."""
    people = []
    for person in sorted(participants, key=lambda p: p.display_name.casefold()):
        mine = [s for s in sessions if s.user_id == person.user_id]
        done = sorted((s for s in mine if s.completed), key=lambda s: s.ended_at or s.started_at)
        last = done[-1].total if done else None
        people.append(
            ParticipantStatus(
                display_name=person.display_name,
                in_progress=sum(not s.completed for s in mine),
                completed=len(done),
                last_total=None if last is None else int(last),
                usage=usage_of(mine),
            )
        )
    distributions, titles = score_distributions(sessions)
    return Dashboard(
        participants=len(participants),
        sessions_in_progress=sum(not s.completed for s in sessions),
        sessions_completed=sum(s.completed for s in sessions),
        people=people,
        distributions=distributions,
        criterion_titles=titles,
        missed_moments=missed_moments(sessions, top_missed),
        usage=usage_of(sessions),
    )
