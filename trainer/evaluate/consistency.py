"""Is a report right about the session it describes? Checks one evaluation against its transcript.

`report_problems` returns one line per broken rule (empty: consistent):

- evidence: every quote is in the turn it cites; criterion 1 and 2 cite therapist turns,
  and criterion 1 only turns about the physical side (a follow-up must be about it);
- attribution: a quote put in a client's mouth ("Marc, you said ...") is that client's
  words; a "(turn N)" after a client's name is a turn that client spoke;
- turns: every turn the text names exists; a missed moment is a therapist turn, and for a
  late invitation the first natural chance comes before it, inside the early window;
- repair: a suggestion to repair blame speaks to the partner that turn blamed;
- already done: nothing is suggested that the trainee did at that very turn;
- wording: no template fragments ("(or push)", "{name}", a bare "?"), rationales do not
  repeat the rubric's anchor text, suggestions name the partner's own move when the
  session has it in their words;
- summary: one or two sentences, what went well and the one thing to try next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trainer.analysis.labels import Move, TurnLabels
from trainer.evaluate.result import Evaluation, find_verbatim
from trainer.evaluate.topic import about_physical, stays_on_topic
from trainer.evaluate.words import move_quote, refers_to_someone
from trainer.rubrics import Rubric
from trainer.transcript import Transcript

SEXUAL, VALIDATION, NEEDS = "raised_sexual_cycle_early", "validated_protective_moves", "drew_out_underlying_needs"

_FRAGMENT = re.compile(r"\(or |\{|\}|(?:^|\s)\?(?:\s|$|[.,])|\bNone\b|\s{2,}|\.\.(?!\.)|\s[,.;:]")
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{2,})[\"\u201d]")
_TURN_REF = re.compile(r"\bturns? (\d+)\b", re.IGNORECASE)
_PAREN_TURN = re.compile(r"\(turn (\d+)\)")
_REPAIR_OPENING = re.compile(r"^I want to take back what I said a moment ago, ")
_SCORE_ONLY = re.compile(r"^\s*\d+\s*/\s*\d+\s*\.?\s*$")
# The move each kind of suggestion makes, to see whether the trainee already made it at that turn.
_SUGGESTED_MOVE = {SEXUAL: Move.INVITE_SEX, VALIDATION: Move.VALIDATE_PROTECTIVE, NEEDS: Move.EVOKE_NEED}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def _runs(text: str, size: int) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def repeats(text: str, source: str, size: int = 6) -> bool:
    """`text` contains a run of `size` consecutive words of `source`."""
    return bool(_runs(text, size) & _runs(source, size))


def sentences_outside_quotes(text: str) -> list[str]:
    """The sentences of a text, quotes counted as part of the sentence they stand in."""
    plain = _QUOTED.sub("Q", text)
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", plain.strip()) if s.strip()]


def _similar(a: str, b: str) -> float:
    left, right = set(_words(a)), set(_words(b))
    return len(left & right) / max(1, len(left | right))


def _texts(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    coaching = result.coaching
    return [(name, value) for name, value in (
        ("rationale", result.rationale), ("did well", coaching.did_well),
        ("missed moment", coaching.missed_moment), ("try instead", coaching.try_instead),
    ) if value]


def _check_quotes(where: str, text: str, transcript: Transcript, clients: list[str]) -> Iterable[str]:
    turns = transcript.turns
    for match in _QUOTED.finditer(text):
        quote = match.group(1).strip()
        if find_verbatim(quote, " ".join(t.text for t in turns)) is None and not any(
            find_verbatim(quote, t.text) for t in turns
        ):
            # short phrases of the template's own voice ('maybe') are not claims about a turn
            if len(quote.split()) > 2:
                yield f"{where}: quotes words nobody said: \u201c{quote}\u201d"
            continue
        before = text[: match.start()].rstrip()
        if re.search(r"\bsaid\s*[:,]?$", before, re.IGNORECASE):
            named = [(m.start(), c) for c in clients for m in re.finditer(rf"\b{re.escape(c)}\b", before)]
            if named:
                speaker = max(named)[1]
                if not any(t.speaker == speaker and find_verbatim(quote, t.text) for t in turns):
                    yield f"{where}: attributes to {speaker} words {speaker} never said: \u201c{quote}\u201d"


def _check_said(where: str, text: str) -> Iterable[str]:
    """"You said" introduces the client's own words in quotes, never a paraphrase."""
    for match in re.finditer(r"\byou said\b\s*[:,]?\s*(.)?", text, re.IGNORECASE):
        if match.group(1) not in ('"', "\u201c"):
            yield f"{where}: puts words in a client's mouth without quoting them: \u201c{text}\u201d"


def _check_turn_refs(where: str, text: str, transcript: Transcript, clients: list[str]) -> Iterable[str]:
    turns = transcript.turns
    for match in _TURN_REF.finditer(text):
        index = int(match.group(1))
        if index >= len(turns):
            yield f"{where}: names turn {index}, which does not exist"
    for match in _PAREN_TURN.finditer(text):
        index = int(match.group(1))
        if index >= len(turns) or turns[index].is_therapist:
            continue
        clause = re.split(r"[;.]|\(turn \d+\)", text[: match.start()])[-1]
        named = [c for c in clients if re.search(rf"\b{re.escape(c)}\b", clause)]
        if named and turns[index].speaker not in named:
            yield (f"{where}: says {', '.join(named)} at turn {index}, "
                   f"but {turns[index].speaker} spoke that turn")


def _check_evidence(result, transcript: Transcript) -> Iterable[str]:  # type: ignore[no-untyped-def]
    turns = transcript.turns
    for item in result.evidence:
        if item.turn >= len(turns) or find_verbatim(item.quote, turns[item.turn].text) is None:
            yield f"{result.id}: evidence turn {item.turn} does not say \u201c{item.quote}\u201d"
            continue
        therapist = turns[item.turn].is_therapist
        if result.id in (SEXUAL, VALIDATION) and not therapist:
            yield f"{result.id}: evidence turn {item.turn} is a client's, not the therapist's"
        invite = result.first_raised_turn
        on_topic = (stays_on_topic(transcript, item.turn, invite) if invite is not None and item.turn > invite
                    else about_physical(transcript, item.turn))
        if result.id == SEXUAL and therapist and not on_topic:
            yield f"{result.id}: evidence turn {item.turn} is not about the physical side: \u201c{item.quote}\u201d"
    if result.id == SEXUAL and result.score == 3:
        cited = sorted({e.turn for e in result.evidence})
        invite = result.first_raised_turn if result.first_raised_turn is not None else (cited[0] if cited else None)
        follow = [t for t in cited if invite is not None and t > invite]
        if invite is None or not follow or not stays_on_topic(transcript, follow[0], invite):
            yield f"{result.id}: scored 3, but no cited follow-up stays with the physical side"


def _check_missed(result, transcript: Transcript, labels: list[TurnLabels], rubric: Rubric) -> Iterable[str]:  # type: ignore[no-untyped-def]
    coaching = result.coaching
    turn = coaching.missed_turn
    if turn is None:
        return
    turns = transcript.turns
    if turn >= len(turns) or not turns[turn].is_therapist:
        yield f"{result.id}: the missed moment (turn {turn}) is not a therapist turn"
        return
    if coaching.missed_moment and not re.search(rf"\bturn {turn}\b", coaching.missed_moment):
        yield f"{result.id}: the missed moment names another turn than {turn}"
    if result.id == SEXUAL and result.score == 2 and result.first_raised_turn is not None and (
        "after the early window" in (coaching.missed_moment or "")
    ):
        ordinal = transcript.therapist_ordinal(turn)
        if turn >= result.first_raised_turn or ordinal > rubric.early_window:
            yield (f"{result.id}: the first natural chance (turn {turn}) does not come before the "
                   f"invitation (turn {result.first_raised_turn}) inside the early window")
    suggestion = coaching.try_instead or ""
    if suggestion and _similar(suggestion, turns[turn].text) >= 0.6:
        yield f"{result.id}: suggests at turn {turn} what the trainee said there"
    move = _SUGGESTED_MOVE.get(result.id)
    if result.id == VALIDATION and "blame" in (coaching.missed_moment or "").lower():
        move = Move.REPAIR
        blamed = _blamed_at(labels[turn])
        focus = _addressed_name(_REPAIR_OPENING.sub("", suggestion), transcript.client_names)
        if suggestion and focus not in blamed:
            yield (f"{result.id}: the repair speaks to {focus or 'nobody'}, not to "
                   f"{', '.join(blamed) or 'anyone'}, who was blamed at turn {turn}")
        quoted = [e for e in result.evidence if e.turn == turn]
        if not any(refers_to_someone(e.quote, transcript.client_names) for e in quoted):
            yield f"{result.id}: says turn {turn} blamed someone, but cites no such words from it"
    if result.id == SEXUAL and "stay with" in suggestion.lower():
        invite = result.first_raised_turn
        if invite is None or not stays_on_topic(transcript, turn, invite):
            return  # a turn labelled as a follow-up that left the topic did not stay with it
        move = Move.FOLLOW_UP_SEX
    if move is not None and suggestion and move in labels[turn].moves:
        focus = _addressed_name(_REPAIR_OPENING.sub("", suggestion), transcript.client_names)
        about = labels[turn].partners_for(move) or labels[turn].addressed
        if move == Move.VALIDATE_PROTECTIVE:  # a validation taken back at once was not done
            taken_back = {c.about for c in labels[turn].cues if c.label == "validation_undercut"}
            about = [p for p in about if p not in taken_back]
            if not about:
                return
        if not about or focus is None or focus in about:
            yield f"{result.id}: suggests {move.value.replace('_', ' ')} at turn {turn}, which the trainee already did there"


def _blamed_at(turn: TurnLabels) -> list[str]:
    if not turn.is_therapist:
        return []
    return sorted({p for m in (Move.BLAME, Move.TAKE_SIDES) for p in turn.partners_for(m)})


def _addressed_name(text: str, clients: list[str]) -> str | None:
    for name in clients:
        if re.search(rf"\b{re.escape(name)}\b", text):
            return name
    return None


def _check_own_words(result, transcript: Transcript, labels: list[TurnLabels]) -> Iterable[str]:  # type: ignore[no-untyped-def]
    """A validation or repair names the partner's move in their own words when they said it."""
    suggestion = result.coaching.try_instead
    if result.id != VALIDATION or not suggestion:
        return
    name = _addressed_name(suggestion.replace("I want to take back what I said a moment ago, ", ""),
                           transcript.client_names)
    quote = move_quote(labels, name, near=result.coaching.missed_turn) if name else None
    if quote is not None and find_verbatim(quote.text, suggestion) is None:
        yield f"{result.id}: {name} named their move (\u201c{quote.text}\u201d, turn {quote.turn}), but the suggestion does not"


def _check_wording(result, rubric: Rubric) -> Iterable[str]:  # type: ignore[no-untyped-def]
    for where, text in _texts(result):
        if _FRAGMENT.search(text):
            yield f"{result.id} {where}: template fragment in \u201c{text}\u201d"
    try:
        anchors = rubric.criterion(result.id).anchors
    except KeyError:
        anchors = {}
    for level, anchor in anchors.items():
        if result.rationale and (anchor.strip() in result.rationale or repeats(result.rationale, anchor)):
            yield f"{result.id}: the rationale repeats the rubric's anchor {level}"


def _check_summary(evaluation: Evaluation) -> Iterable[str]:
    text = (evaluation.feedback or "").strip()
    if not text or _SCORE_ONLY.match(text):
        yield f"summary: says nothing but \u201c{text}\u201d"
        return
    parts = sentences_outside_quotes(text)
    if not 1 <= len(parts) <= 2:
        yield f"summary: {len(parts)} sentences, not one or two: \u201c{text}\u201d"
    if re.match(r"^\s*\d+\s*/\s*\d+", text):
        yield "summary: starts with a bare score"
    if not re.search(r"\bnext\b", text, re.IGNORECASE):
        yield "summary: does not say what to try next"
    if _FRAGMENT.search(text):
        yield f"summary: template fragment in \u201c{text}\u201d"


def report_problems(transcript: Transcript, evaluation: Evaluation, rubric: Rubric,
                    labels: list[TurnLabels] | None = None) -> list[str]:
    """Every way the report misdescribes the session (empty when it is consistent)."""
    if labels is None:
        from trainer.analysis import analyze_transcript

        labels = analyze_transcript(transcript)
    clients = transcript.client_names
    problems: list[str] = []
    for result in evaluation.criteria:
        problems += _check_evidence(result, transcript)
        problems += _check_missed(result, transcript, labels, rubric)
        problems += _check_own_words(result, transcript, labels)
        problems += _check_wording(result, rubric)
        for where, text in _texts(result):
            problems += _check_quotes(f"{result.id} {where}", text, transcript, clients)
            problems += _check_said(f"{result.id} {where}", text)
            problems += _check_turn_refs(f"{result.id} {where}", text, transcript, clients)
    problems += _check_summary(evaluation)
    if evaluation.feedback:
        problems += _check_quotes("summary", evaluation.feedback, transcript, clients)
        problems += _check_turn_refs("summary", evaluation.feedback, transcript, clients)
    return problems
