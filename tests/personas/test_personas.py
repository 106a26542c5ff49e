"""Persona files: schema, one-line errors, completeness of the library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import shared_file, skip_unless_available
from trainer.errors import InputFileError, TrainerError
from trainer.paths import personas_dir
from trainer.personas import LADDER_STAGES, list_couples, load_couple, load_couple_file
from trainer.personas.rules import build_rules

EXPECTED = {"marc-belinda", "tomas-amara", "dana-greg", "jen-rosa", "nadia-paul", "ruth-harold"}
SEED_HOOK = shared_file("hooks", "seed_overlap.py")


def _marc_belinda() -> dict:
    return yaml.safe_load((personas_dir() / "marc-belinda.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_library_has_the_six_couples_sorted_by_id() -> None:
    couples = list_couples()
    ids = [c.id for c in couples]
    assert set(ids) == EXPECTED
    assert ids == sorted(ids)
    assert {c.difficulty for c in couples} == {"beginner", "intermediate", "advanced"}


@pytest.mark.parametrize("couple_id", sorted(EXPECTED))
def test_every_couple_is_complete(couple_id: str) -> None:
    couple = load_couple(couple_id)
    assert len(couple.partners) == 2
    for partner in couple.partners:
        texts = [line.text for stage in LADDER_STAGES for line in partner.ladder.stage(LADDER_STAGES.index(stage))]
        for name in type(partner.reactions).model_fields:
            reaction = getattr(partner.reactions, name)
            texts += [line.text for line in reaction.lines] if reaction else []
        texts += [line.text for line in partner.side_comments + partner.interruptions + partner.unknown_answers]
        if partner.enactment:
            texts += [line.text for name in type(partner.enactment).model_fields
                      for line in getattr(partner.enactment, name)]
        # Every authored line distinct within a partner: variants are real variants.
        assert len(texts) == len(set(texts)), f"{couple_id}/{partner.name} repeats a line"
        assert all(line.nonverbal for line in partner.ladder.guarded), "nonverbal cues are authored"


def test_marc_belinda_facts() -> None:
    couple = load_couple("marc-belinda")
    marc, belinda = couple.partner("Marc"), couple.partner("Belinda")
    assert (marc.emotional_cycle, marc.sexual_cycle) == ("withdrawer", "pursuer")
    assert (belinda.emotional_cycle, belinda.sexual_cycle) == ("pursuer", "withdrawer")
    assert belinda.sees_cycles_unequal and not marc.sees_cycles_unequal


def test_couples_cover_the_brief() -> None:
    couples = {c.id: c for c in list_couples()}
    dana = couples["dana-greg"].partner("Dana")
    assert dana.pronouns.startswith("she") and dana.sexual_cycle == "pursuer"
    assert couples["dana-greg"].partner("Greg").sexual_cycle == "withdrawer"
    jen_rosa = couples["jen-rosa"]
    assert {p.pronouns for p in jen_rosa.partners} == {"she/her"}
    assert min(p.age for p in couples["ruth-harold"].partners) >= 65


def test_every_couple_has_a_fact_sheet_and_the_details_it_never_gives() -> None:
    for couple in list_couples():
        assert len(couple.facts) >= 40, couple.id
        not_answered = [q.lower() for fact in couple.facts for q in fact.not_answered]
        assert len(not_answered) >= 36, couple.id
        assert len({f.id for f in couple.facts if f.not_answered}) >= 15, couple.id  # spread over the sheet
        answered = {q.lower() for fact in couple.facts for q in fact.questions}
        assert not answered & set(not_answered), couple.id  # one question, one side


def test_unknown_persona_is_one_line_error() -> None:
    with pytest.raises(TrainerError, match="unknown persona 'nobody'"):
        load_couple("nobody")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["partners"][0]["ladder"].pop("fear_voiced"), "partners.0.ladder.fear_voiced: Field required"),
        (lambda d: d["partners"][1].update(sexual_cycle="sometimes"), "partners.1.sexual_cycle"),
        (lambda d: d["partners"][0].update(favourite_colour="blue"), "partners.0.favourite_colour: unknown field"),
        (lambda d: d["partners"][0]["reactions"]["blame"].update(lines=["only one"]), "partners.0.reactions.blame.lines"),
        (lambda d: d.update(difficulty="expert"), "difficulty"),
        (lambda d: d["opening"][0].update(speaker="George"), "'George' is not a partner"),
        (lambda d: d.update(engine={"thresholds": {"closes_at": "soon"}}), "engine"),
        (lambda d: d.update(engine={"effects": {"tickle": {"openness": 1}}}), "unknown effect"),
        (lambda d: d["partners"].pop(), "partners"),
    ],
)
def test_broken_persona_gives_one_line_naming_file_and_field(tmp_path: Path, mutate, expected: str) -> None:
    data = _marc_belinda()
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(InputFileError) as info:
        load_couple_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert expected in message


def test_not_yaml_and_not_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="not valid YAML"):
        load_couple_file(bad)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="mapping"):
        load_couple_file(bad)


def test_cli_validate_broken_file_is_one_line_and_non_zero(tmp_path: Path) -> None:
    data = _marc_belinda()
    data["partners"][0]["ladder"].pop("guarded")
    path = _write(tmp_path, data)
    done = subprocess.run([sys.executable, "-m", "trainer", "personas", "validate", str(path)],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "partners.0.ladder.guarded" in lines[0] and str(path) in lines[0]


def test_personas_list_json_contract() -> None:
    done = subprocess.run([sys.executable, "-m", "trainer", "personas", "list", "--json"],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    import json

    rows = json.loads(done.stdout)
    marc = next(r for r in rows if r["id"] == "marc-belinda")
    assert set(marc) >= {"id", "title", "partners", "difficulty"}
    assert marc["partners"] == ["Marc", "Belinda"]


def test_rules_defaults_and_overrides() -> None:
    rules = build_rules()
    assert rules.thresholds.closes_at > rules.thresholds.deepen_max_defensiveness
    assert rules.effects["validation"].marks_validated
    assert rules.effects["evocative_ready"].max_stage == 3 > rules.effects["validation"].max_stage
    tuned = build_rules({"thresholds": {"closes_at": 6.5}})
    assert tuned.thresholds.closes_at == 6.5
    assert tuned.thresholds.deepen_max_defensiveness == rules.thresholds.deepen_max_defensiveness


def test_persona_and_engine_files_share_no_sentence_with_the_seeds() -> None:
    if not SEED_HOOK.exists():
        skip_unless_available("seed articles not present on this machine")  # fails in CI
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(SEED_HOOK), str(root)], check=False, capture_output=True, text=True, timeout=120)
    mine = ("personas/", "trainer/personas/", "trainer/engine/", "trainer/render/", "tests/personas/", "tests/engine/")
    assert not [line for line in done.stdout.splitlines() if line.startswith(mine)]


@pytest.mark.parametrize("couple_id", sorted(EXPECTED))
def test_voiced_fears_are_recognised_by_the_shared_analysis(couple_id: str) -> None:
    """A fear the engine lets a partner voice must count as one for the evaluator too."""
    from trainer.analysis import Disclosure, analyze_turn
    from trainer.transcript import Turn

    couple = load_couple(couple_id)
    for partner in couple.partners:
        for line in partner.ladder.fear_voiced:
            turns = [Turn(speaker="therapist", text=f"{partner.name}, what is the scariest part for you?"),
                     Turn(speaker=partner.name, text=line.text)]
            labels = analyze_turn(turns, 1, couple.names)
            assert Disclosure.NEED_OR_FEAR in labels.disclosures, f"{partner.name}: {line.text}"
