"""Label names of the corpus (see corpus/LABELS.md) and how they group for scoring."""

from __future__ import annotations

SEX_LABELS = ("invite_sex", "follow_up_sex", "sideline_sex", "shaming_sex")
STANCE_LABELS = ("validate_protective_move", "generic_empathy", "blame")
INTERVENTION_LABELS = ("evoke_need", "content_question", "advice")

THERAPIST_LABELS = (
    *SEX_LABELS,
    *STANCE_LABELS,
    "take_sides",
    "repair",
    *INTERVENTION_LABELS,
    "frame_cycle",
    "equate_cycles",
    "enactment",
    "off_frame",
    "abuse",
)

CLIENT_LABELS = (
    "mentions_sex",
    "protective_move_admitted",
    "protective_intent",
    "reactive_emotion",
    "need_or_fear",
    "practical_request",
    "hesitant",
    "confirms_conjecture",
    "rejects_conjecture",
    "defensiveness",
)

# Groups the benchmark reports a macro-F1 for (mean F1 over the group's labels).
GROUPS: dict[str, tuple[str, ...]] = {
    "sexual topic": SEX_LABELS,
    "validation / empathy / blame": STANCE_LABELS,
    "evocative / content / advice": INTERVENTION_LABELS,
    "other therapist moves": ("take_sides", "repair", "frame_cycle", "equate_cycles", "enactment", "off_frame", "abuse"),
    "client disclosures": CLIENT_LABELS,
}

# Labels that carry the partner(s) they are about.
ABOUT_LABELS = ("validate_protective_move", "blame", "take_sides", "repair")
