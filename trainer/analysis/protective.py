"""Protective moves: the therapist validating, blaming or siding; the client owning a move.

Validation = a named (or just-admitted) protective move + a frame that makes it
understandable or gives it a purpose ("makes sense", "your way of", "trying to
keep things calm", "protects"), not negated. Feeling-only empathy ("of course
you want to feel close") names no move, so it is empathy, not validation.
Blame = a directive or judgment about a partner's behaviour, or siding with one
partner; remarks that only voice a client's view ("you feel she always...") are
not the therapist's blame.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.analysis.addressee import about_partners, sentence_addressee
from trainer.analysis.lexicon import Lexicon, get_lexicon
from trainer.analysis.text import Span, clause_bounds, is_question, negated, normalize, sentences

_ANAPHOR = re.compile(
    r"\b(?:that|this|it|doing that|what you (?:do|did)|the way you|how you|those (?:moments|times)|that reaction|your reaction)\b",
    re.IGNORECASE,
)
_PERSPECTIVE = re.compile(
    r"\b(?:you (?:feel|felt|think|thought|believe|hear|heard|see|experience)|it feels|(?:sounds|seems) like (?:you feel|to you)|"
    r"to you|in your eyes|from your (?:side|view|point)|for you it|(?:he|she|they) (?:says|said|thinks|feels))\b",
    re.IGNORECASE,
)
_OWNER = re.compile(
    r"\b(?:I|I'm|I've|I'd|I'll)(?:\s+(?:just|usually|always|often|sometimes|then|tend to|try to|start to|"
    r"end up|kind of|sort of|will|would|'ll|get|got|go|went|can|could|might|also|still|really|do|did|am|was|have|had|"
    r"basically|honestly|probably|simply|mostly|completely|totally|even|keep|kept|start|started|actually|is|and))*\s*$",
    re.IGNORECASE,
)
_WHY_YOU = re.compile(r"\bwhy (?:are|do|won't|don't|can't|would|did|didn't|must|is it that|do you keep) (?:you|he|she)\b", re.IGNORECASE)
_STRONG_MOVE_ALONE = re.compile(r"\bno big deal\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """A label found in a turn: where, and which partner it concerns."""

    label: str
    start: int
    end: int
    about: tuple[str, ...] = ()
    sentence: int = 0


# "of course you want him to reach for you": a move wished for is a longing, not the partner's own move.
_WISHED = re.compile(
    r"\b(?:want|wants|wanted|wanting|wish|wishes|wished|long|longs|longed|longing|need|needs|needed|hope|hopes|hoped|"
    r"miss|misses|missed|would love|'d love|would like|'d like|ache|aches|yearn\w*|crave[sd]?)\b(?:\s+\w+){0,2}\s+(?:to|would|'d|could)\b(?:\s+\w+)?\s*$",
    re.IGNORECASE,
)


def _moves_in(lex: Lexicon, text: str, span: Span) -> list[re.Match[str]]:
    return list(lex.finditer("protective_move", span.text))


def _own_moves(sent: str, moves: list[re.Match[str]]) -> list[re.Match[str]]:
    """Moves the sentence attributes to a partner as done, not as wished for."""
    return [m for m in moves if not _WISHED.search(sent[max(0, m.start() - 40) : m.start()])]


def _blamed_spans(lex: Lexicon, sent: str) -> list[tuple[int, int]]:
    return [m.span() for m in lex.finditer("blame.judgment", sent) if not negated(sent, m.start(), window=2)]


def _clear_of(match: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    """A frame that overlaps a verdict ("a pretty unkind way to treat her") frames nothing as understandable."""
    return not any(s < match.end() and match.start() < e for s, e in spans)


def therapist_findings(
    lex: Lexicon,
    text: str,
    turn_addressed: Sequence[str],
    clients: Sequence[str],
    recent_movers: Sequence[str] = (),
    previous_speaker: str | None = None,
) -> list[Finding]:
    """Validation, blame, siding, repair and empathy in one therapist turn.

    `recent_movers`: clients whose latest turn admitted a protective move or
    intent, so "that makes sense" can refer back to it.
    """
    found: list[Finding] = []
    previous: tuple[Span, list[re.Match[str]], list[str]] | None = None  # the last sentence of this turn that named a move
    for index, span in enumerate(sentences(text)):
        sent = span.text
        addressed = sentence_addressee(text, span.start, span.end, clients, previous_speaker, turn_addressed)
        named_moves = _moves_in(lex, text, span)
        moves = _own_moves(sent, named_moves)
        validated_before = len(found)
        could_refer = _ANAPHOR.search(sent) is not None
        frames = [m for m in lex.finditer("validate_frame", sent) if not negated(sent, m.start())] if (moves or could_refer) else []
        strong = [m for m in lex.finditer("validate_frame_strong", sent) if not negated(sent, m.start())]
        if frames or strong:
            verdicts = _blamed_spans(lex, sent)
            frames = [m for m in frames if _clear_of(m, verdicts)]
            strong = [m for m in strong if _clear_of(m, verdicts)]
        if strong:
            frame = strong[0]
            who = _frame_owner(text, span, frame, moves, addressed, clients)
            found.append(Finding("validate_protective_move", span.start + frame.start(), span.start + frame.end(),
                                 tuple(who), index))
        elif frames and moves:
            frame = frames[0]
            who = _frame_owner(text, span, frame, moves, addressed, clients)
            found.append(Finding("validate_protective_move", span.start + min(moves[0].start(), frame.start()),
                                 span.start + max(moves[0].end(), frame.end()), tuple(who), index))
        elif frames and previous is not None and _ANAPHOR.search(sent) and not is_question(sent):
            # "Staying busy keeps you going. That makes sense to me.": the frame looks back at the move just named
            prev_span, prev_moves, prev_addressed = previous
            who = about_partners(text, prev_span.start + prev_moves[0].start(), prev_addressed, clients,
                                 (prev_span.start, prev_span.end))
            found.append(Finding("validate_protective_move", span.start + frames[0].start(),
                                 span.start + frames[0].end(), tuple(who), index))
        elif frames and recent_movers and _ANAPHOR.search(sent):
            named = _PERSON.search(sent[max(0, frames[0].start() - 16) : frames[0].end()])
            if named and any(c in addressed for c in clients):
                movers = [c for c in recent_movers if c in addressed] or list(addressed)
            else:
                movers = [c for c in recent_movers if c in addressed] or list(recent_movers)
            found.append(Finding("validate_protective_move", span.start + frames[0].start(),
                                 span.start + frames[0].end(), tuple(movers), index))
        elif _UNDERSTANDABLE.search(sent) and any(lex.has("protective_function", s.text) for s in _near(text, index)):
            found.append(Finding("validate_protective_move", span.start, span.end, tuple(addressed), index))
        repairs = [m for m in lex.finditer("repair", sent) if not negated(sent, m.start())]
        for match in repairs[:1]:
            found.append(Finding("repair", span.start + match.start(), span.start + match.end(), tuple(turn_addressed), index))
        if not repairs and not _SELF.match(sent):  # owning a misstep is not blaming a partner
            validating = len(found) > validated_before
            nearby = named_moves or (previous is not None and previous[0].end >= span.start - 2)
            found.extend(_blame(lex, text, span, index, named_moves, addressed, clients, recent_movers, validating, bool(nearby)))
        if moves:
            previous = (span, moves, addressed)
        elif previous is not None and index - _sentence_index(text, previous[0]) > 1:
            previous = None
        for match in lex.finditer("empathy", sent):
            if not negated(sent, match.start()):
                found.append(Finding("generic_empathy", span.start + match.start(), span.start + match.end(), tuple(addressed), index))
    return _dedupe(found)


def _sentence_index(text: str, span: Span) -> int:
    return next((i for i, s in enumerate(sentences(text)) if s.start == span.start), -1)


# "you might try letting him come to you": a gentle-sounding correction, when it follows a named move.
_TRY_INSTEAD = re.compile(
    r"\b(?:(?:you|he|she|they) (?:might|could|may|should) (?:want to |wish to |like to )?|(?:maybe|perhaps|just) )"
    r"(?:try|consider|think about|start) (?!(?:telling|sharing|saying|asking|showing|turning|letting (?:him|her|them) (?:know|see|in on)|noticing|feeling|sensing|imagining|picturing|breathing|slowing|pausing|staying with|sitting with|remembering|naming|putting words|getting curious|wondering)\b)\w+ing\b",
    re.IGNORECASE,
)
_EXPERIENCE = re.compile(r"\b(?:because|since|seems? to|seemed to|feels? like|felt like|as if|whenever)\b", re.IGNORECASE)
# An accusation only reflects when it is voiced as the client's worry or a conjecture ("if you're avoiding her...").
_ACCUSE_LEAD = re.compile(
    r"\b(?:when|whenever|if|because|since|as if|wonder\w*|maybe|perhaps|might|feels?|felt|worr\w+|afraid|scared|thinks?|thought|says?|said|believes?|fear\w*|not)\b",
    re.IGNORECASE,
)


def _blame(lex, text, span, index, moves, addressed, clients, recent_movers, validating=False, nearby=False) -> list[Finding]:
    sent = span.text
    window = (span.start, span.end)
    out: list[Finding] = []
    for match in lex.finditer("blame.correct", sent):
        if negated(sent, match.start(), window=2) or _voices_client(sent, match.start()):
            continue
        who = about_partners(text, span.start + match.start(), addressed, clients, window)
        out.append(Finding("blame", span.start + match.start(), span.start + match.end(), tuple(who), index))
        break
    if not out and nearby:
        match = _TRY_INSTEAD.search(sent)
        if match and not negated(sent, match.start(), window=2):
            who = about_partners(text, span.start + match.start(), addressed, clients, window)
            out.append(Finding("blame", span.start + match.start(), span.start + match.end(), tuple(who), index))
    if not validating:
        for match in lex.finditer("blame.accuse", sent):
            start, _ = clause_bounds(sent, match.start())
            if _ACCUSE_LEAD.search(sent[start : match.start()]) or _voices_client(sent, match.start()):
                continue
            who = about_partners(text, span.start + match.start(), addressed, clients, window)
            out.append(Finding("blame", span.start + match.start(), span.start + match.end(), tuple(who), index))
            break
    for concept in ("blame.directive", "blame.judgment"):
        for match in lex.finditer(concept, sent):
            if negated(sent, match.start(), window=2) or _voices_client(sent, match.start()):
                continue
            if concept == "blame.judgment" and _EXPERIENCE.search(sent[clause_bounds(sent, match.start())[0] : match.start()]):
                continue  # "because anything you say seems to make it worse": the client's experience, not a verdict
            if re.match(r"(?:if|why)\b", match.group(0), re.IGNORECASE) and not moves:
                continue
            if re.match(r"(?:stop|quit)\b", match.group(0), re.IGNORECASE) and not _clause_initial(sent, match.start()):
                continue
            lecture = re.search(r"\bto\b|\b(?:stop|quit|grow up|man up|calm down|get over|halfway)\b", match.group(0), re.IGNORECASE)
            if concept == "blame.directive" and not moves and not lecture:
                continue
            who = about_partners(text, span.start + match.start(), addressed, clients, window)
            out.append(Finding("blame", span.start + match.start(), span.start + match.end(), tuple(who), index))
    why = _WHY_YOU.search(sent)
    if why and moves and not negated(sent, why.start(), window=2):
        who = about_partners(text, span.start + moves[0].start(), addressed, clients, window)
        out.append(Finding("blame", span.start + why.start(), span.start + why.end(), tuple(who), index))
    for match in lex.finditer("blame.sides", sent):
        if negated(sent, match.start(), window=2) or _voices_client(sent, match.start()):
            continue
        backed = about_partners(text, span.start + match.start() + 1, addressed, clients, window)
        if re.match(r"you're", match.group(0), re.IGNORECASE):
            backed = list(addressed)
        against = tuple(c for c in clients if c not in backed) or tuple(addressed)
        out.append(Finding("take_sides", span.start + match.start(), span.start + match.end(), against, index))
    return out


_UNDERSTANDABLE = re.compile(r"\b(?:makes? (?:\w+ ){0,3}sense|understandable|of course|no wonder|I (?:can )?(?:see|get|understand) why)\b", re.IGNORECASE)
_SELF = re.compile(r"^\W*(?:\w+,\s*)?I (?:came|went|was|got|pushed|jumped|spoke|said|put|pressed|sounded)\b", re.IGNORECASE)
_PERSON = re.compile(r"\b(?:you|your|you're|he|his|he's|she|she's|her|they|their)\b", re.IGNORECASE)


def _near(text: str, index: int) -> list[Span]:
    spans = sentences(text)
    return list(spans[max(0, index - 1) : index + 2])


def _frame_owner(text, span, frame, moves, addressed, clients) -> list[str]:
    """Whose move a validating frame is about: the person the frame itself names
    ("your way of", "you trying to"), else the agent of the first move."""
    sent = span.text
    head = sent[max(0, frame.start() - 16) : frame.end()]
    if _PERSON.search(head) or any(n in head for n in clients):
        return about_partners(text, span.start + frame.end() - 1, addressed, clients, (span.start, span.end))
    anchor = moves[0].start() if moves else frame.start()
    return about_partners(text, span.start + anchor, addressed, clients, (span.start, span.end))


def stop_directive(text: str, names: tuple[str, ...]) -> int | None:
    """Where the turn tells a partner to stop their move ("you've got to stop hounding him",
    "stop whining"), which the corpus counts as advice besides the blame; None if it does not."""
    text = normalize(text)
    for match in get_lexicon(names).finditer("stop_directive", text):
        if re.match(r"(?:stop|quit)\b", match.group(0), re.IGNORECASE) and not _clause_initial(text, match.start()):
            continue
        if not _voices_client(text, match.start()):
            return match.start()
    return None


def _clause_initial(sentence: str, pos: int) -> bool:
    """An imperative ("Stop shutting down") opens its clause; "the only way to stop getting hurt" does not."""
    start, _ = clause_bounds(sentence, pos)
    lead = sentence[start:pos].strip().lower()
    return lead in ("", "so", "and", "just", "please", "then", "now", "okay", "look", "you", "you just", "just please",
                    "you could", "you can", "you might", "maybe", "maybe just", "perhaps", "you could just", "you can just")


def _voices_client(sentence: str, pos: int) -> bool:
    """The cue sits in a clause that reports a client's view, not the therapist's."""
    start, _ = clause_bounds(sentence, pos)
    head = sentence[max(0, start - 40) : pos]
    return bool(_PERSPECTIVE.search(head))


def _dedupe(found: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, tuple[str, ...], int]] = set()
    out = []
    for item in found:
        key = (item.label, item.about, item.sentence)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def client_findings(lex: Lexicon, text: str) -> list[Finding]:
    """A client owning a protective move or intent, reacting, or defending."""
    found: list[Finding] = []
    for index, span in enumerate(sentences(text)):
        sent = span.text
        for match in lex.finditer("protective_move", sent):
            start, _ = clause_bounds(sent, match.start())
            lead = sent[max(start, match.start() - 60) : match.start()]
            owned = _OWNER.search(lead)
            if (owned or _STRONG_MOVE_ALONE.search(match.group(0))) and not negated(sent, match.start(), window=2):
                found.append(Finding("protective_move_admitted", span.start + match.start(), span.start + match.end(), (), index))
                break
        for concept, label in (("client.intent", "protective_intent"), ("client.reactive", "reactive_emotion"),
                               ("client.defensive", "defensiveness")):
            match = lex.search(concept, sent)
            if match and (label == "defensiveness" or not negated(sent, match.start(), window=2)):
                found.append(Finding(label, span.start + match.start(), span.start + match.end(), (), index))
    return _dedupe(found)
