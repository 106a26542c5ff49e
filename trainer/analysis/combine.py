"""Where the rule layer and the learned layer meet: one place decides a turn's final labels.

The rules run first (addressee, history, verbatim cues). The learned heads read
each sentence together with the rules' findings and decide which labels hold;
a label both agree on keeps the rules' precise words and partner, a label only
the heads see is quoted by the sentence that scored highest, and a rule label
the heads overrule is dropped. Where the sexual topic stands decides whether an
engagement with it is an invitation or a follow-up.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import numpy as np

from trainer.analysis.addressee import about_partners, only_names
from trainer.analysis.history import SEX_MOVES, History
from trainer.analysis.labels import Cue, Disclosure, Move, TurnLabels
from trainer.analysis.learned.features import TurnFeatures, client_features, therapist_features
from trainer.analysis.learned.heads import load_heads
from trainer.analysis.learned.lexical import load_lexical
from trainer.analysis.protective import stop_directive
from trainer.analysis.rules import points_elsewhere, rule_labels
from trainer.analysis.text import Span, is_question, sentence_quote, sentences
from trainer.transcript import Turn

# Cue tags that qualify a label: kept only while their label is.
_TAG_PARENT = {
    "validation_undercut": "validate_protective_move",
    "need_conjecture": "evoke_need",
    "need_in_answer": "need_or_fear",
    "confirms_need_conjecture": "confirms_conjecture",
}
_ABOUT = {"validate_protective_move", "blame", "take_sides", "repair"}
# An abuse label flags the session and makes the couple recoil, so it needs the rules' hostile
# words too unless the heads are nearly certain: ordinary clinical talk must never draw it.
ABUSE_ALONE = 0.9
INVITE_WITHOUT_WORDS = 0.97
CLIENT_SEX_WITHOUT_WORDS = 0.5
# Moves that leave no room for a content question in the same turn (training corpus: 12 of 1,967 co-occur).
NOT_ASKING_FOR_FACTS = ("off_frame", "shaming_sex", "abuse")
RULE_MARGIN = 0.25
_TENTATIVE = re.compile(r"\b(?:wonder|perhaps|maybe|guess|imagine|could it be|is it that|am i right|is that right|"
                        r"i'm curious if|might|sounds like|seems like|i sense)\b", re.IGNORECASE)


def learned_layer_enabled() -> bool:
    """The learned heads join the rules (default); `TRAINER_ANALYSIS=rules` reads with the rules
    alone, for comparison (benchmarks/analysis_generalization.py prints both)."""
    return os.environ.get("TRAINER_ANALYSIS", "learned").strip().lower() != "rules"


def final_labels(turns: Sequence[Turn], index: int, names: tuple[str, ...], history: History,
                 learned: bool | None = None) -> tuple[TurnLabels, bool]:
    """The turn's labels, and whether a client turn ends on the sexual topic (for the history)."""
    rule, f = rule_labels(turns, index, names, history)
    turn = turns[index]
    if learned is None:
        # The heads were fitted on couples' sessions; one-client counselling is outside what they
        # learned, so it is read by the rules alone (which also keeps long archives fast).
        learned = learned_layer_enabled() and len(names) >= 2
    if not learned:
        rule.confidence = {key: 1.0 for key in [*map(str, rule.moves), *map(str, rule.disclosures)]}
        return rule, f.last_sentence_sexual
    if turn.is_therapist:
        feats = therapist_features(turn.text, rule, f, history, names)
        labels = _join_therapist(rule, feats, turn.text, names, history, f.mentions)
        return labels, False
    feats = client_features(turn.text, rule, f, history, names)
    labels, sexual_sentence = _join_client(rule, feats, turn.text, history)
    if not labels.has(Disclosure.MENTIONS_SEX):
        return labels, False
    # Where the rules know no words for it, the sentence the heads heard it in tells whether the
    # turn ends on it ("I miss her feet on my legs at night. Silly.").
    ends = f.last_sentence_sexual if f.mentions else sexual_sentence >= len(feats.spans) - 2
    return labels, ends


class _Decisions:
    """Per head: best probability, the sentence it came from, and whether it holds: above its
    threshold, or a little below it when the rules found the same label (both layers lean the
    same way; the rules are precise on the wording they know)."""

    def __init__(self, role: str, feats: TurnFeatures, rule_found: set[str]) -> None:
        heads, words = load_heads(role), load_lexical(role)
        probs = heads.probabilities(feats.matrix)
        lexical = dict(zip(words.labels, words.probabilities(feats.words).tolist(), strict=True))
        self.best = {label: (1 - words.weight) * float(probs[:, j].max()) + words.weight * lexical[label]
                     for j, label in enumerate(heads.labels)}
        # The encoder's own word, for the bars that ask the heads to be nearly certain.
        self.encoder = {label: float(probs[:, j].max()) for j, label in enumerate(heads.labels)}
        self.where = {label: int(np.argmax(probs[:, j])) for j, label in enumerate(heads.labels)}
        self.holds = {label: self.best[label] >= heads.threshold(label) - (RULE_MARGIN if label in rule_found else 0)
                      for label in heads.labels}


def _rebuild(rule: TurnLabels, final: dict[str, float], where: dict[str, int], spans: Sequence[Span],
             text: str, default_about: list[str], about_of) -> TurnLabels:
    """Final labels: rule cues and partners where the rules agree, the best sentence otherwise."""
    out = rule.model_copy(deep=True)
    out.moves, out.disclosures, out.about, out.cues = [], [], {}, []
    rule_labels_present = {str(x) for x in [*rule.moves, *rule.disclosures]}
    for label, confidence in final.items():
        item: Move | Disclosure = Move(label) if rule.is_therapist else Disclosure(label)
        (out.moves if rule.is_therapist else out.disclosures).append(item)
        out.confidence[label] = round(confidence, 3)
        if label in rule_labels_present:
            out.about[label] = list(rule.about.get(label, []))
            out.cues.extend(c for c in rule.cues if c.label == label)
            continue
        span = spans[min(where.get(label, 0), len(spans) - 1)]
        quote = sentence_quote(text, span)
        partners = about_of(label, span) if label in _ABOUT else list(default_about)
        out.about[label] = partners
        for partner in partners or [None]:
            out.cues.append(Cue(label=label, quote=quote, about=partner))
    kept = set(final)
    for cue in rule.cues:
        parent = _TAG_PARENT.get(cue.label)
        if cue.label.startswith("sex_") and _sex_tag_kept(rule, kept) or parent is not None and parent in kept and parent in rule_labels_present:
            out.cues.append(cue)
    return out


def rule_sex_of(labels: TurnLabels) -> Move | None:
    return next((m for m in labels.moves if m in SEX_MOVES), None)


def _sex_tag_kept(rule: TurnLabels, kept: set[str]) -> bool:
    rule_sex = rule_sex_of(rule)
    return rule_sex is not None and str(rule_sex) in kept


def _reflects_client(history: History, text: str) -> bool:
    """A statement about the topic a client has just raised stays with it (a follow-up); asking
    the client to say more about it is what opens it for the therapist (an invitation)."""
    return history.sex.client_since and not any(is_question(s.text) for s in sentences(text))


def _join_therapist(rule: TurnLabels, feats: TurnFeatures, text: str, names: tuple[str, ...],
                    history: History, mentions: bool) -> TurnLabels:
    rule_sex = rule_sex_of(rule)
    found = {str(m) for m in rule.moves} | ({"engage_sex"} if rule_sex in (Move.INVITE_SEX, Move.FOLLOW_UP_SEX) else set())
    d = _Decisions("therapist", feats, found)
    if only_names(text, names):
        # "Marc?" hands him the floor and does nothing else: no move, however the heads, with no
        # words to go on, hear the couple's recent turns (nor a content question by its "?").
        d.holds = dict.fromkeys(d.holds, False)
    final: dict[str, float] = {}
    echo = rule_sex == Move.SIDELINE_SEX and any(c.label == "sex_echo" for c in rule.cues)
    # "Lena, go on." right after she raised it asks for more of it: a matter of sequence, which
    # the rules see, however little the words alone tell the heads.
    says_more = rule_sex == Move.INVITE_SEX and any(c.label == "sex_says_more" for c in rule.cues)
    if d.holds["shaming_sex"]:
        final["shaming_sex"] = d.best["shaming_sex"]
    elif (d.holds["engage_sex"] or says_more) and not echo:
        reflects = _reflects_client(history, text)
        if rule_sex in (Move.INVITE_SEX, Move.FOLLOW_UP_SEX):
            chosen = rule_sex
        else:
            chosen = Move.FOLLOW_UP_SEX if history.sex.active or reflects else Move.INVITE_SEX
        # Staying with the topic in words that never name it is a matter of continuity, which the
        # rules judge (an answer picked up, "that", "go on"): the heads alone would carry any turn
        # after an invitation along as a follow-up. An invitation in words the rules know for the
        # physical bond is taken at the heads' word; one without any needs the heads nearly sure
        # (a bare "and you?" must never open it), and none stands when the turn takes up something
        # else the client said ("you mentioned your brother moved in...", or "tell me about that"
        # after a last client turn about something else).
        sure = d.encoder["engage_sex"] >= INVITE_WITHOUT_WORDS
        unworded_invite = chosen == Move.INVITE_SEX and not (mentions or rule_sex == Move.INVITE_SEX or sure)
        unworded_follow_up = chosen == Move.FOLLOW_UP_SEX and not (mentions or rule_sex == Move.FOLLOW_UP_SEX
                                                                    or reflects)
        elsewhere = not mentions and rule_sex is None and points_elsewhere(
            [span.text for span in feats.spans], history.last_client_text, history.sex.client_last_sexual, names)
        if not (unworded_invite or unworded_follow_up or elsewhere):
            final[str(chosen)] = max(d.best["engage_sex"], 0.5) if says_more else d.best["engage_sex"]
            d.where[str(chosen)] = d.where["engage_sex"]
    elif d.holds["sideline_sex"]:
        final["sideline_sex"] = d.best["sideline_sex"]
    if echo and not any(label in final for label in ("shaming_sex", "sideline_sex")):
        # Echoing a client's mention and moving on is a matter of sequence, which the rules see.
        final["sideline_sex"] = 1.0
    for label in d.holds:
        if label in ("engage_sex", "sideline_sex", "shaming_sex") or not d.holds[label]:
            continue
        final[label] = d.best[label]
    if "repair" in final and Move.VALIDATE_PROTECTIVE in rule.moves and "validate_protective_move" not in final:
        # A repair that reframes the blamed move as understandable validates it (the rubric's repair).
        final["validate_protective_move"] = d.best["validate_protective_move"]
    if "abuse" in final and Move.ABUSE not in rule.moves and d.encoder["abuse"] < ABUSE_ALONE:
        del final["abuse"]
    if "blame" in final and "advice" not in final:
        stop_at = stop_directive(text, names)
        if stop_at is not None:
            final["advice"] = final["blame"]
            d.where["advice"] = next((k for k, span in enumerate(feats.spans) if span.contains(stop_at)), d.where["blame"])
    if "content_question" in final and any(label in final for label in NOT_ASKING_FOR_FACTS):
        # A question about the parking, a rhetorical "what kind of marriage is that?" or a jibe
        # wears a question's form without asking the couple for their facts.
        del final["content_question"]

    def about_of(label: str, span: Span) -> list[str]:
        return about_partners(text, span.end - 1, rule.addressed, list(names), (span.start, span.end)) or list(rule.addressed)

    out = _rebuild(rule, final, d.where, feats.spans, text, list(rule.addressed), about_of)
    if "blame" in out.about and "take_sides" in out.about and Move.BLAME not in rule.moves:
        # "She's right, he should listen": the blame the heads hear is of the partner sided against.
        out.about["blame"] = list(out.about["take_sides"])
        who = out.about["blame"][0] if out.about["blame"] else None
        out.cues = [c.model_copy(update={"about": who}) if c.label == "blame" else c for c in out.cues]
    if "evoke_need" in final and not any(c.label == "need_conjecture" for c in out.cues):
        span = feats.spans[min(d.where["evoke_need"], len(feats.spans) - 1)]
        if not is_question(span.text) or _TENTATIVE.search(span.text):
            out.cues.append(Cue(label="need_conjecture", quote=sentence_quote(text, span)))
    return out


def _join_client(rule: TurnLabels, feats: TurnFeatures, text: str, history: History) -> tuple[TurnLabels, int]:
    """The client turn's labels, and the sentence the heads heard the sexual topic in."""
    d = _Decisions("client", feats, {str(x) for x in rule.disclosures})
    final = {label: d.best[label] for label, holds in d.holds.items() if holds}
    if "mentions_sex" in final and Disclosure.MENTIONS_SEX not in rule.disclosures \
            and d.encoder["mentions_sex"] < CLIENT_SEX_WITHOUT_WORDS:
        # With no word of the physical side, the word model alone ("I bring it up, he says not
        # now") must not make the next question an invitation: the encoder has to hear it too.
        del final["mentions_sex"]
    if "confirms_conjecture" in final and "rejects_conjecture" in final:
        final.pop("rejects_conjecture" if d.best["confirms_conjecture"] >= d.best["rejects_conjecture"] else "confirms_conjecture")
    out = _rebuild(rule, final, d.where, feats.spans, text, [rule.speaker], lambda _l, _s: [rule.speaker])
    prev = history.last_therapist_labels
    if "confirms_conjecture" in final and prev is not None and any(c.label == "need_conjecture" for c in prev.cues) \
            and not any(c.label == "confirms_need_conjecture" for c in out.cues):
        first = next(c for c in out.cues if c.label == "confirms_conjecture")
        out.cues.append(Cue(label="confirms_need_conjecture", quote=first.quote, about=rule.speaker))
    return out, d.where["mentions_sex"]
