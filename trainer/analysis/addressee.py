"""Who the therapist speaks to, and which partner a remark is about.

Addressed: names used as vocatives ("Marc, ..."), everyone for "you both" /
"each of you", the partner *not* named when "you" sits next to a third-person
name, otherwise the client who just spoke. `about` resolves the reference
nearest to a cue: "you/your" -> the addressed partner, a name -> that
partner, "he/she" -> the partner who is not addressed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from trainer.analysis.text import fold_accents

_BOTH = re.compile(
    r"\b(?:you both|both of you|each of you|you two|the two of you|either of you|"
    r"both your|you each|you guys|you folks|all of you|the both of you|each one of you)\b",
    re.IGNORECASE,
)
# Forms that address both partners as the ones spoken to (not "give up on the two of you").
BOTH_ADDRESS = re.compile(
    r"(?:^|[.!?,:;]\s*|\b(?:and|so|now|okay|well)\s+)(?:you both|both of you|each of you|you two|the two of you|either of you)\b"
    r"|\b(?:you both|you two|you each|you guys|both of you|each of you)\b(?! (?:as|for|and)\b)"
    r"|\b(?:with|for|from|ask|asking|hear from|like) (?:you both|both of you|each of you|the two of you|you two)\b",
    re.IGNORECASE,
)
_SECOND = re.compile(r"\b(?:you|your|you're|you've|you'd|you'll|yours|yourself|u|ur|ya|youre|youve|yourselves)\b", re.IGNORECASE)
_THIRD = re.compile(r"\b(?:he|his|he's|himself|she|hers|she's|herself|her(?= (?:\w+ing|own|way|\w+ness|anger|silence|pushing|reaching)\b))\b", re.IGNORECASE)
_LEADS = (r"(?:and|so|now|okay|ok|well|but|alright|right|also|then|oh|and now|so now|sorry|thanks|thank you|hey|hi|look|"
          r"listen|please|honestly|frankly|seriously|ngl|tbh|wow|oh sure|sure|hmm|hm|um|erm|uh|ah|aw|oof|gosh|yeah|yes|"
          r"no|good|great|my bad|i'm sorry|im sorry|cheers|okay so|ok so|right so|so yeah|just out of curiosity|"
          r"out of curiosity|gently|quick question|morning|good morning|afternoon|good afternoon|evening|good evening|"
          r"welcome|welcome back|hello|hiya)")


# Titles and kin terms said before a name ("Ate Liza", "Mrs Tan", "Pastor Jun", "dear Rosa").
_TITLES = (r"(?:mr|mrs|ms|miss|mx|dr|sir|madam|ma'am|mister|auntie|aunty|aunt|uncle|pastor|father|brother|sister|"
           r"bro|sis|kuya|ate|tita|tito|manang|manong|bhai|bhaiya|baji|apa|encik|puan|cik|abang|kak|akka|anna|"
           r"herr|frau|se\u00f1or|se\u00f1ora|senor|senora|don|do\u00f1a|dona|sr|sra|signor|signora|monsieur|madame|dear|my dear)")


# A name opens its sentence after a lead word ("so Lena"; with a comma, "ok, Lena", only where
# punctuation after the name is checked) or a title, itself maybe after a lead ("so, Auntie Lena").
_AFTER_LEAD = {comma: re.compile(rf"(?:^|[.!?,]\s*){_LEADS}\s*{',?' if comma else ''}$", re.IGNORECASE)
               for comma in (False, True)}
_AFTER_TITLE = re.compile(rf"(?:^|[.!?,]\s*)(?:{_LEADS}\s*,?\s*)?{_TITLES}\.?$", re.IGNORECASE)


def _opens(before: str, comma: bool = False) -> bool:
    """Does a name right after `before` open its sentence (at its start, after a lead word or a title)?"""
    if not before or before[-1] in ".!?\"'(:;":
        return True
    return bool(_AFTER_LEAD[comma].search(before) or _AFTER_TITLE.search(before))


_WH = r"(?:what|whats|what's|how|hows|how's|when|where|why|who|which)\b"
# Names that are also ordinary words match only when capitalised ("will", "grace", "hope").
_WORD_NAMES = frozenset(["will", "grace", "hope", "faith", "joy", "may", "june", "april", "rose", "ruby", "pearl", "amber", "bill", "mark", "art", "sue", "dawn", "daisy", "iris", "lily", "violet", "summer", "autumn", "skye", "rich", "frank", "sunny", "chance", "gay", "major"])
# Words after a sentence-initial name that show the name is spoken to, not talked about.
_VOCATIVE_NEXT = re.compile(
    rf"(?:{_WH}|can|could|would|will|do|did|does|have|"
    r"are|were|i|i'm|im|i'd|id|i've|ive|you|your|you're|youre|u|ur|ya|tell|say|let|let's|lets|please|"
    r"is (?:that|this|it|there)|help|talk|turn|imagine|if|maybe|perhaps|hmm|hm|"
    r"ok|okay|right|yeah|yes|no|thank|thanks|wow|sorry|hang|wait|just|isn't (?:it|that|this|there)|dont|don't)\b",
    re.IGNORECASE,
)
# Words after a sentence-initial name that make it the subject talked about ("Ahmed reaches, Hana
# backs off", "Piers has apologised", "Noel always goes quiet"); anything else after a name that
# opens a sentence is spoken to it ("greg hiding in the garage...", "theo that sounds hard").
_SUBJECT_NEXT = re.compile(
    r"(?:(?:always|never|just|often|usually|still|then|also|really|only|sometimes|actually|even|apparently|"
    r"first|later|once|finally|eventually|suddenly|recently|barely|hardly|rarely|seldom|kind of|sort of|"
    r"(?!(?:honestly|seriously|frankly|literally|basically|totally)\b)\w+ly)\s+)?"
    r"(?:(?!(?:thats|its|whats|hows|lets|wheres|whos|heres|theres|this|yes|us|always|perhaps|plus|unless|as)\b)"
    r"[a-z]+[a-rt-z]s|is|was|has|had|and|or|[a-z]+ed|said|told|went|got|came|left|made|took|gave|thought|felt|"
    r"can't|cant|won't|wont|doesn't|doesnt|didn't|didnt|isn't|wasn't|hasn't|hadn't|wouldn't|'s|"
    r"should|shouldn't|must|might|may|withdrew|lost|by|grew|kept|began|ran|sat|stood|spent|broke|found|knew|saw|"
    r"heard|held|brought|bought|fell|forgot|wrote|drove|slept|woke|wore|won|hid|ain't)\b"
    r"(?<!\bneed)(?<!\bindeed)",
    re.IGNORECASE)


@lru_cache(maxsize=64)
def _name_rx(names: tuple[str, ...]) -> re.Pattern[str] | None:
    usable = sorted({n for n in names if n.strip()}, key=lambda n: (-len(n), n))
    if not usable:
        return None
    # "Tomas" typed without its accent still names Tomás.
    spellings = sorted({v for n in usable for v in (n, fold_accents(n))}, key=lambda n: (-len(n), n))
    # ... or when a lowercase one opens the turn as a vocative ("faith, ...", "hope what happened").
    parts = [f"{re.escape(n)}|^(?i:{re.escape(n)})(?=\\s*,|\\s+{_WH})" if n.lower() in _WORD_NAMES else f"(?i:{re.escape(n)})"
             for n in spellings]
    return re.compile(r"\b(" + "|".join(parts) + r")\b")


# A short setting phrase between a leading name and the question: "Greg, on weekdays, how...".
_LEADING_PHRASE = re.compile(
    r"(?:on|in|at|for|about|during|when|with|before|after|since|now|then|just|honestly|quickly|thinking)\b[^.!?,]{0,60},\s*"
    r"(?:how|what|whats|what's|when|where|who|why|which|do|does|did|is|are|can|could|would|tell|talk|walk)\b",
    re.IGNORECASE)
# A word that makes a closing name its object: "apart from Jen?", "what do you say to Paul?".
_OBJECT_BEFORE = re.compile(r"\b(?:from|to|with|about|for|at|of|than|like|without|and|or|by|toward|towards|"
                            r"tell|told|ask|asked|love|loves|leave|left|los(?:e|es|ing|t)|hurting|trust(?:s|ing)?|blam(?:e|es|ing)|marr(?:y|ied|ying)|"
                            r"protect(?:s|ing)?|push(?:es|ing)?|chas(?:e|es|ing)|punish(?:es|ing)?|"
                            r"disappoint(?:s|ing)?|fail(?:s|ing)?|upset(?:s|ting)?|resent(?:s|ing)?)\s*$", re.IGNORECASE)
# Phrases that hand the floor to a named partner: "I'd like to hear from Greg first".
_FLOOR_TO = re.compile(r"\b(?:hear from|start(?:ing)? with|begin(?:ning)? with|come to|over to|go to|turn to you,)\s*$",
                       re.IGNORECASE)
# A name given the first turn: "tell me about your families, jen first", "Rosa first, then Jen".
_FIRST_AFTER = re.compile(r"\s*,?\s*(?:first|to start|to begin|(?:you )?go(?:es)? first)\b"
                          r"(?=\s*(?:[,.:;!?\u2014-]|$|then\b|if\b|please\b|though\b))", re.IGNORECASE)


def _canonical(found: str, clients: Sequence[str]) -> str:
    return next((c for c in clients if fold_accents(c).lower() == fold_accents(found).lower()), found)


def _spoken_to(text: str, before: str, after: str) -> bool:
    """Is a name with no punctuation after it a vocative? At the start of a sentence, when what
    follows is a question word, a pronoun or an imperative; at the end, when it closes the turn."""
    opens = _opens(before)
    if opens and after and after[:1].isalpha():
        if _VOCATIVE_NEXT.match(after) or _LEADING_PHRASE.match(after):  # "Greg on weekdays, how does..."
            return True
        subject = _SUBJECT_NEXT.match(after)
        if subject and re.match(r"(?:isn't|wasn't)\s+\w+ing\b", after, re.IGNORECASE):
            # "wei isn't guilting lin into sex a form of pressure?": a question put to the name
            return bool(re.match(r"[^.!?]*\?", after))
        return not subject
    if opens and after[:1] in "'\"\u2018\u201c" and not re.search(r"\w", before) and not re.match(r".s\b", after):
        return True  # "declan 'no big deal' is just denial": their own words, put back to them
    closes = not after.strip(" ?!.\u2026") and bool(before) and before[-1].isalnum()
    # Closing a question put to "you" inside the turn: "don't you Belinda? How often...".
    closes_question = after[:1] == "?" and bool(before) and before[-1].isalnum() and not closes
    if closes_question and not _OBJECT_BEFORE.search(before):
        return bool(_SECOND.search(re.split(r"[.!?]\s", before)[-1]))
    if closes and _OBJECT_BEFORE.search(before):
        return False  # "who's in the house, apart from Jen?": Jen is talked about
    if closes:
        sentence = re.split(r"[.!?]\s", before)[-1]
        return bool(_SECOND.search(sentence)) or after.strip().startswith("?")
    return False


def _closes_you_clause(before: str) -> bool:
    """A name between a clause put to "you" and a comma is spoken to: "and the clock you bought
    at auction harold, what did it cost" (not "when you told Marc, ...": there he is its object)."""
    if not before or not before[-1].isalnum() or _OBJECT_BEFORE.search(before):
        return False
    clause = re.split(r"[.!?,;:]", before)[-1]
    return bool(_SECOND.search(clause))


def name_hits(text: str, clients: Sequence[str]) -> list[tuple[str, int, int, bool]]:
    """(name, start, end, is_vocative) for every partner name in the text."""
    rx = _name_rx(tuple(clients))
    if rx is None:
        return []
    hits = []
    for match in rx.finditer(text):
        before = text[: match.start()].rstrip()
        after = text[match.end() :].lstrip()
        opens = _opens(before, comma=True)
        vocative = bool(opens and after[:1] in (",", "?", "!", ".", "-", "\u2014", ":"))
        vocative = vocative or bool(before.endswith(",") and (not after or after[:1] in "?.!,;:-\u2014"))
        vocative = vocative or (not after[:1] in (",",) and _spoken_to(text, before, after))
        vocative = vocative or (after[:1] == "," and _closes_you_clause(before))
        # "Kirsty Morag, ..." / "ahmad nurul the hugs...": a name right after an opening vocative.
        vocative = vocative or bool(hits and hits[-1][3] and re.fullmatch(r"\s*(?:and|&)?\s*", text[hits[-1][2]:match.start()])
                                    and not text[: hits[-1][1]].strip())
        hits.append((_canonical(match.group(1), clients), match.start(), match.end(), vocative))
    return hits


def only_names(text: str, names: Sequence[str]) -> bool:
    """The turn says nothing but a partner's name, maybe with a filler ("Marc?", "so... Belinda"):
    it hands over the floor and asks nothing (no move, no fact)."""
    rest = fold_accents(text).lower()
    for name in names:
        rest = re.sub(rf"\b{re.escape(fold_accents(name).lower())}\b", " ", rest)
    return bool(names) and not re.sub(r"\b(?:and|so|well|hmm+|um+|erm+|ok(?:ay)?|yes|yeah)\b|[^\w]", "", rest)


def addressed_partners(text: str, clients: Sequence[str], previous_speaker: str | None) -> list[str]:
    """Partners the therapist turn speaks to, in transcript order of `clients`.

    Vocatives in a question win (the partner asked is the one expected to answer);
    otherwise every vocative; "you both" means everyone.
    """
    clients = list(clients)
    if not clients:
        return []
    hits = name_hits(text, clients)
    first = next((name for name, _, end, _ in hits if _FIRST_AFTER.match(text[end:])), None)
    if first is not None:
        return [first]
    vocatives = [(name, start) for name, start, _, voc in hits if voc]
    vocatives += [(name, start) for name, start, _, voc in hits
                  if not voc and _FLOOR_TO.search(text[:start]) and not re.match(r"\s*and tell", text[start + len(name):])]
    if vocatives:
        asked = {name for name, start in vocatives if _in_question(text, start)}
        chosen = asked or {name for name, _ in vocatives}
        return [c for c in clients if c in chosen]
    if BOTH_ADDRESS.search(text):
        return clients
    named = {name for name, _, _, _ in hits}
    if named and _SECOND.search(text):
        others = [c for c in clients if c not in named]
        if others:
            return others
    if previous_speaker in clients:
        return [previous_speaker]
    return clients


def _in_question(text: str, pos: int) -> bool:
    end = re.search(r"[.!?]", text[pos:])
    return bool(end and end.group(0) == "?")


def sentence_addressee(text: str, start: int, end: int, clients: Sequence[str], previous_speaker: str | None,
                       turn_addressed: Sequence[str]) -> list[str]:
    """Who "you" means in the sentence text[start:end]: its own vocative, else the latest
    vocative before it in the turn, else the partner who just spoke, else the turn's addressees."""
    hits = [(name, s) for name, s, _, voc in name_hits(text, clients) if voc and s < end]
    inside = [name for name, s in hits if s >= start]
    if inside:
        return [c for c in clients if c in inside]
    if BOTH_ADDRESS.search(text[start:end]):
        return list(clients)
    if hits:
        return [hits[-1][0]]
    if previous_speaker in clients:
        return [previous_speaker]
    return list(turn_addressed)


def about_partners(
    text: str, pos: int, addressed: Sequence[str], clients: Sequence[str], window: tuple[int, int] | None = None
) -> list[str]:
    """The partner(s) a cue at `pos` concerns: the nearest reference before it in its
    sentence; with none before it, the partner spoken to (an object after the cue,
    as in "pushing her away", is not who the cue is about)."""
    lo, hi = window if window else (0, len(text))
    refs: list[tuple[int, list[str]]] = []
    for name, start, _, voc in name_hits(text[lo:hi], clients):
        if not voc:
            refs.append((lo + start, [name]))
    others = [c for c in clients if c not in addressed]
    for match in _THIRD.finditer(text, lo, hi):
        named_third = [r for r in refs if r[0] < match.start()]
        if len(others) == 1:
            refs.append((match.start(), others))
        elif named_third:
            refs.append((match.start(), named_third[-1][1]))
    both_spans = [m.span() for m in _BOTH.finditer(text, lo, hi)]
    for start, _ in both_spans:
        refs.append((start, list(clients)))
    for match in _SECOND.finditer(text, lo, hi):
        if not any(s <= match.start() < e for s, e in both_spans):
            refs.append((match.start(), list(addressed)))
    before = [r for r in refs if r[0] <= pos]
    if not before:
        return list(addressed)
    return max(before, key=lambda r: r[0])[1] or list(addressed)
