"""What the analysis remembers from earlier turns: where the sexual topic stands, who spoke last.

Advanced with the *final* labels of each turn (rules and learned layer joined),
so a later turn is read against what the earlier turns were judged to do.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from trainer.analysis.labels import Disclosure, Move, TurnLabels

SEX_MOVES = (Move.INVITE_SEX, Move.FOLLOW_UP_SEX, Move.SIDELINE_SEX, Move.SHAMING_SEX)


@dataclass
class SexState:
    """Where the sexual topic stands before the turn being labelled."""

    active: bool = False  # the previous therapist turn invited or followed up the topic
    client_since: bool = False  # a client mentioned it since the last therapist turn
    client_last_sexual: bool = False  # the latest client turn ends on it
    client_ever: bool = False
    invited: bool = False


@dataclass
class History:
    sex: SexState = field(default_factory=SexState)
    previous_speaker: str | None = None
    last_client_text: str = ""
    last_therapist_text: str = ""
    last_therapist_labels: TurnLabels | None = None
    recent_movers: list[str] = field(default_factory=list)
    last_therapist: int | None = None
    therapist_count: int = 0

    def copy(self) -> History:
        return copy.deepcopy(self)


def advance(history: History, is_therapist: bool, speaker: str, text: str, labels: TurnLabels,
            ends_sexual: bool) -> None:
    """Fold one labelled turn into the history."""
    st = history.sex
    if is_therapist:
        sex_move = next((m for m in labels.moves if m in SEX_MOVES), None)
        st.active = sex_move in (Move.INVITE_SEX, Move.FOLLOW_UP_SEX)
        st.invited = st.invited or sex_move == Move.INVITE_SEX
        st.client_since = False
        history.previous_speaker = None
        history.recent_movers = []
        history.last_therapist = labels.index
        history.last_therapist_text = text
        history.last_therapist_labels = labels
        history.therapist_count += 1
        return
    mentions = labels.has(Disclosure.MENTIONS_SEX)
    st.client_since = st.client_since or mentions
    st.client_last_sexual = mentions and ends_sexual
    st.client_ever = st.client_ever or mentions
    history.previous_speaker = speaker
    history.last_client_text = text
    owns = labels.has(Disclosure.PROTECTIVE_MOVE) or labels.has(Disclosure.PROTECTIVE_INTENT)
    history.recent_movers = [m for m in history.recent_movers if m != speaker] + ([speaker] if owns else [])
