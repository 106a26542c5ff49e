"""Label transcript turns: what each therapist turn does (and to whom), what each client discloses.

Two layers, joined in `combine.py`: rules (`rules.py`: structure, addressee,
history, verbatim evidence) and a learned layer (`learned/`: a sentence encoder
with linear heads fitted on the project's labelled corpus, for meaning). This
module only runs them in order over a session and remembers the history.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from trainer.analysis.combine import final_labels, learned_layer_enabled
from trainer.analysis.history import History, advance
from trainer.analysis.labels import TurnLabels
from trainer.analysis.learned.features import prewarm
from trainer.transcript import Transcript, Turn

_PREFIXES: OrderedDict[int, History] = OrderedDict()
_MAX_PREFIXES = 512


def _label_and_advance(turns: Sequence[Turn], index: int, names: tuple[str, ...], history: History) -> TurnLabels:
    labels, ends_sexual = final_labels(turns, index, names, history)
    turn = turns[index]
    advance(history, turn.is_therapist, turn.speaker, turn.text, labels, ends_sexual)
    return labels


def analyze_transcript(transcript: Transcript) -> list[TurnLabels]:
    """Labels for every turn, in one forward pass."""
    names = tuple(transcript.client_names)
    history = History()
    if learned_layer_enabled() and len(names) >= 2:
        prewarm([t.text for t in transcript.turns], names)
    return [_label_and_advance(transcript.turns, i, names, history) for i in range(len(transcript.turns))]


def _prefix_keys(turns: Sequence[Turn], names: tuple[str, ...], upto: int) -> list[int]:
    keys = [hash((names, learned_layer_enabled()))]
    for turn in turns[:upto]:
        keys.append(hash((keys[-1], turn.speaker, turn.text)))
    return keys


def _history_before(turns: Sequence[Turn], index: int, names: tuple[str, ...]) -> History:
    """History after turns[:index], reusing the longest prefix seen before (the engine calls
    this after every trainee turn with one or two new turns at the end)."""
    keys = _prefix_keys(turns, names, index)
    start = next((j for j in range(index, -1, -1) if keys[j] in _PREFIXES), None)
    history = _PREFIXES[keys[start]].copy() if start is not None else History()
    for j in range(start or 0, index):
        _label_and_advance(turns, j, names, history)
        _remember(keys[j + 1], history)
    return history


def _remember(key: int, history: History) -> None:
    _PREFIXES[key] = history.copy()
    _PREFIXES.move_to_end(key)
    while len(_PREFIXES) > _MAX_PREFIXES:
        _PREFIXES.popitem(last=False)


def analyze_turn(turns: Sequence[Turn], index: int, clients: Sequence[str]) -> TurnLabels:
    """Labels of `turns[index]` given the turns before it (later turns are ignored)."""
    names = tuple(clients) or tuple(dict.fromkeys(t.speaker for t in turns if not t.is_therapist))
    history = _history_before(turns, index, names)
    labels, ends_sexual = final_labels(turns, index, names, history)
    # Remember the history after this turn too: the next call (this turn, then the couple's
    # replies) starts from here instead of reading this turn again.
    turn = turns[index]
    after = history.copy()
    advance(after, turn.is_therapist, turn.speaker, turn.text, labels, ends_sexual)
    _remember(_prefix_keys(turns, names, index + 1)[-1], after)
    return labels


__all__ = ["analyze_transcript", "analyze_turn"]
