"""Live hints in practice mode: what the last turn did, in the trainee's language.

Built from the same turn analysis the evaluator scores with, so a hint never
contradicts the report ("you validated Marc's tuning out as protective").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from trainer.analysis import Move, TurnLabels

Tone = Literal["good", "note", "caution"]

STAGE_WORDS = {
    1: "owned a protective move",
    2: "showed the hurt beneath",
    3: "voiced a deeper fear or longing",
}


@dataclass(frozen=True)
class Hint:
    tone: Tone
    text: str


def _who(labels: TurnLabels, move: Move) -> str:
    names = labels.partners_for(move) or labels.addressed
    return " and ".join(names) if names else "the couple"


def _quote(labels: TurnLabels, move: Move) -> str:
    for cue in labels.cues:
        if cue.label == str(move) and cue.quote:
            short = cue.quote if len(cue.quote) <= 80 else cue.quote[:77] + "..."
            return f" (\u201c{short}\u201d)"
    return ""


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def move_hints(labels: TurnLabels, *, early_window: int) -> list[Hint]:
    """One hint per notable move of a therapist turn, most useful first."""
    hints: list[Hint] = []
    moves = set(labels.moves)
    ordinal = labels.therapist_ordinal or 0
    if Move.ABUSE in moves:
        hints.append(Hint("caution", "That remark would wound a real client; it is flagged for your supervisor."))
    if Move.OFF_FRAME in moves:
        hints.append(Hint("caution", "That stepped outside the role-play; the couple stays in character."))
    if Move.VALIDATE_PROTECTIVE in moves:
        who = _who(labels, Move.VALIDATE_PROTECTIVE)
        names = who.split(" and ")
        owner = " and ".join(_possessive(n) for n in names) if who != "the couple" else "a partner's"
        hints.append(Hint("good", f"You validated {owner} protective move{_quote(labels, Move.VALIDATE_PROTECTIVE)}."))
    if Move.INVITE_SEX in moves:
        when = "inside the early window" if ordinal <= early_window else "after the early window"
        hints.append(Hint("good", f"You opened the physical side of their bond, {when} (turn {ordinal})."))
    if Move.FOLLOW_UP_SEX in moves and Move.INVITE_SEX not in moves:
        hints.append(Hint("good", "You stayed with the physical relationship instead of moving on."))
    if Move.EVOKE_NEED in moves:
        hints.append(Hint("good", f"You invited {_who(labels, Move.EVOKE_NEED)} beneath the surface."))
    if Move.FRAME_CYCLE in moves:
        hints.append(Hint("good", "You named the cycle they are caught in."))
    if Move.REPAIR in moves:
        hints.append(Hint("good", "You owned a misstep; that repair matters."))
    if Move.SHAMING_SEX in moves:
        hints.append(Hint("caution", "That question about sex may land as blame; curiosity opens more."))
    if Move.SIDELINE_SEX in moves:
        hints.append(Hint("caution", "The physical relationship was set aside; an open invitation would keep it in the room."))
    if Move.BLAME in moves:
        hints.append(Hint("caution", f"{_who(labels, Move.BLAME)} may hear that as blame."))
    if Move.TAKE_SIDES in moves:
        hints.append(Hint("caution", "That may sound like taking a side; stay alongside both."))
    if Move.EQUATE_CYCLES in moves:
        hints.append(Hint("caution", "Treating the emotional and sexual cycles as the same may not match how each partner lives them."))
    if Move.GENERIC_EMPATHY in moves and Move.VALIDATE_PROTECTIVE not in moves:
        hints.append(Hint("note", "Warm, but general: naming the protective move itself would validate it."))
    if Move.ADVICE in moves:
        hints.append(Hint("note", "Advice this early tends to keep the session on the surface."))
    if not hints and Move.CONTENT_QUESTION in moves:
        hints.append(Hint("note", "A content question: useful for orientation, it stays on the surface."))
    return hints


def state_hints(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Hint]:
    """What visibly changed in each partner: a step down the ladder, else closing or easing."""
    if not before or not after:
        return []
    hints: list[Hint] = []
    for name, now in after.items():
        was = before.get(name) or {}
        stage, old_stage = int(now.get("stage", 0)), int(was.get("stage", 0))
        delta = float(now.get("defensiveness", 0)) - float(was.get("defensiveness", 0))
        if stage > old_stage and stage in STAGE_WORDS:  # one note per partner, the deepest
            hints.append(Hint("good", f"{name} {STAGE_WORDS[stage]}."))
        elif delta >= 1.0:
            hints.append(Hint("caution", f"{name} became more defensive."))
        elif delta <= -1.0:
            hints.append(Hint("good", f"{name} relaxed a little."))
    return hints


def turn_hints(
    labels: TurnLabels | dict[str, Any] | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    early_window: int,
) -> list[Hint]:
    """All hints for one exchange (move hints first, then visible state changes)."""
    moves: list[Hint] = []
    if labels is not None:
        parsed = labels if isinstance(labels, TurnLabels) else TurnLabels.model_validate(labels)
        moves = move_hints(parsed, early_window=early_window)
    return moves[:3] + state_hints(before, after)[:2]
