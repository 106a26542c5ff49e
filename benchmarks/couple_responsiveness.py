"""Does the simulated couple answer what was asked? Offline engine, several seeds.

Part 1 plays every item of benchmarks/responsiveness/*.yaml (a therapist line,
optionally after set-up lines, and what counts as responsive) with three seeds
and prints the responsive fraction per kind, per item file and overall.
Part 2 plays four trainee styles (skilled, content/advice, blame, mixed) with
every couple and prints in-session repeats of client lines, and the therapist
turn at which each partner first reaches each ladder stage.

    python benchmarks/couple_responsiveness.py [--seeds 0 1 2] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from trainer.engine import start_session
from trainer.personas import list_couples, load_couple

ITEMS = Path(__file__).resolve().parent / "responsiveness"
ENGAGED_EXCLUDED = ("facts.", "unknown_answers", "reactions.closed", "reactions.off_frame", "reactions.abuse",
                    "reactions.content_question", "side_comments", "interruptions", "reactions.partner_attacked")

STYLES: dict[str, list[str]] = {
    "skilled": [
        "What brings you both in today?",
        "{A}, when things get heated between you, what do you tend to do?",
        "{A}, that makes sense; pulling back like that is your way of keeping things from getting worse.",
        "{B}, and when {A} does that, what do you do?",
        "{B}, of course you push harder then; you're trying to reach {A}.",
        "Can I ask about the physical side too: touch, affection, sex? How has that been lately?",
        "So the more one of you reaches, the more the other steps back, and round it goes.",
        "{A}, what happens inside you when that happens?",
        "{B}, what's that like for you, underneath the frustration?",
        "{A}, what are you most afraid of in those moments?",
        "{B}, what do you long for most from {A}?",
        "{A}, what's the scariest part of that for you?",
        "{B}, and what are you afraid might happen between you?",
        "{A}, what would it mean to you if {B} really wanted you close?",
        "{B}, what's the fear underneath all that pushing?",
        "{A}, could you turn to {B} and tell them that?",
        "{B}, what was it like to hear that from {A}?",
        "{A}, it makes sense you'd protect yourself; going quiet has kept you safe.",
        "{B}, your pushing is your way of trying to reach {A}; of course you keep trying.",
        "{A}, what are you most afraid would happen if you let {B} see that?",
        "{B}, what's the fear underneath, when {A} pulls away?",
        "{A}, what do you need most from {B} right now?",
        "{B}, what would it mean to you if {A} reached back?",
        "{A}, what's the hardest part of saying that out loud?",
    ],
    "content_advice": [
        "How long have you two been together?",
        "Do you have children?",
        "{A}, what do you do for work?",
        "{B}, what about you, what's your job?",
        "Who looks after the money at home?",
        "What happened the last time you argued?",
        "You should try a weekly check-in on Sundays.",
        "Have you thought about a date night once a week?",
        "{A}, what time do you usually get home?",
        "Maybe you could both write down three things you appreciate each day.",
        "Where do you live?",
        "Have you had counselling before?",
        "Try to use I-statements when you talk about money.",
        "What does a normal evening look like?",
    ],
    "blame": [
        "What brings you in?",
        "{A}, honestly, shutting down like that is pretty selfish.",
        "{B}, the nagging has to stop; nobody wants to be lectured.",
        "{A}, you need to man up and talk to her.",
        "{B}, why are you always on at {A}?",
        "{A}, walking away is just avoidance. That's the real problem here.",
        "{B}, you're right, {A} should just listen to you.",
        "{B}, you're right, {A} should just listen to you.",
        "{A}, your silence is hurting everyone.",
        "{B}, you could try being less critical.",
        "{A}, what are you afraid of?",
        "{B}, what do you need from {A}?",
    ],
    "mixed": [
        "What brings you both in today?",
        "How long have you been together?",
        "{A}, it makes sense you go quiet; it keeps things calmer.",
        "{B}, you should really stop bringing it up at bedtime.",
        "How are things in the bedroom these days?",
        "{A}, what happens inside you when {B} turns away?",
        "Let's come back to that later; first, who pays the bills?",
        "{B}, it sounds like pushing is how you try to get through to {A}.",
        "{B}, what's that like for you underneath?",
        "{A}, what are you most scared of there?",
        "{A}, what do you long for from {B}?",
        "Maybe you could schedule some time together on weekends.",
        "{B}, what are you afraid would happen if you stopped pushing?",
    ],
}


def load_items(only: list[str] | None = None) -> list[tuple[str, dict]]:
    items = []
    for path in sorted(ITEMS.glob("*.yaml")):
        if only and not any(path.stem.startswith(prefix) for prefix in only):
            continue
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            items.append((path.stem, item))
    return items


def reply_kind(plans: list) -> set[str]:
    first = plans[0].pool
    kinds = set()
    if first.startswith("facts."):
        kinds.add("fact")
    if first == "unknown_answers":
        kinds.add("unknown")
    if first == "reactions.off_frame":
        kinds.add("meta")
    if first.startswith("enactment.") and (first == "enactment.refuse" or (
            len(plans) > 1 and plans[1].pool.startswith("enactment.hears"))):
        kinds.add("enactment")
    if not first.startswith(ENGAGED_EXCLUDED):
        kinds.add("engaged")
    return kinds


def responsive(item: dict, result) -> bool:
    plans = result.plan.speakers
    if not plans:
        return False
    expect = item.get("expect") or {}
    first = plans[0]
    if "speaker" in expect and first.speaker != expect["speaker"]:
        return False
    if "fact" in expect and not (first.pool.startswith("facts.") and first.pool.split(".")[1] in expect["fact"]):
        return False
    wanted = expect.get("reply")
    if wanted is not None:
        wanted = [wanted] if isinstance(wanted, str) else wanted
        if not set(wanted) & reply_kind(plans):
            return False
    hurt = result.flags or any(p.pool in ("reactions.abuse", "reactions.partner_attacked") for p in plans)
    return not (expect.get("no_flag") and hurt)


def play_item(item: dict, seed: int):
    session = start_session(load_couple(item["persona"]), seed=seed)
    session.opening()
    for line in item.get("setup") or []:
        session.respond(line)
    return session.respond(item["say"])


def part_items(seeds: list[int], verbose: bool, only: list[str] | None = None) -> None:
    by_kind: dict[str, list[bool]] = defaultdict(list)
    by_file: dict[str, list[bool]] = defaultdict(list)
    for source, item in load_items(only):
        for seed in seeds:
            result = play_item(item, seed)
            ok = responsive(item, result)
            by_kind[item["kind"]].append(ok)
            by_file[source].append(ok)
            if verbose and not ok:
                got = [(p.speaker, p.pool) for p in result.plan.speakers]
                print(f"  not responsive: {item['id']} seed {seed}: {item['say']!r} -> {got}")
    everything = [x for v in by_kind.values() for x in v]
    print(f"items: {len(everything) // len(seeds)} x {len(seeds)} seeds")
    for kind, hits in sorted(by_kind.items()):
        print(f"  {kind:12} {sum(hits) / len(hits):6.1%}  ({sum(hits)}/{len(hits)})")
    for source, hits in sorted(by_file.items()):
        print(f"  [{source}] {sum(hits) / len(hits):6.1%}  ({sum(hits)}/{len(hits)})")
    print(f"  {'overall':12} {sum(everything) / len(everything):6.1%}  ({sum(everything)}/{len(everything)})")


def part_styles(seeds: list[int]) -> None:
    repeats = 0
    sessions = 0
    table: dict[tuple[str, str], dict[str, list[int | None]]] = {}
    ends: dict[tuple[str, str], str] = {}
    for couple in list_couples():
        a, b = couple.names
        for style, lines in STYLES.items():
            firsts: dict[str, list[int | None]] = {a: [None] * 4, b: [None] * 4}
            for seed in seeds:
                session = start_session(couple, seed=seed)
                session.opening()
                for n, line in enumerate(lines, start=1):
                    result = session.respond(line.format(A=a, B=b))
                    if seed == seeds[0]:
                        for name, ps in result.state.partners.items():
                            for stage in range(1, ps.stage + 1):
                                firsts[name][stage] = firsts[name][stage] or n
                if seed == seeds[0]:
                    ends[(couple.id, style)] = "  ".join(
                        f"{name} s{ps.stage} d{ps.defensiveness:.1f} a{ps.alliance:.1f}"
                        for name, ps in result.state.partners.items())
                said = Counter(t.text for t in session.transcript().turns if not t.is_therapist)
                repeats += sum(c - 1 for c in said.values() if c > 1)
                sessions += 1
            table[(couple.id, style)] = firsts
    print(f"\nin-session repeats of a client line: {repeats} over {sessions} sessions")
    print(f"\nfirst therapist turn reaching stage 1 / 2 / 3 (seed {seeds[0]}; '-' never), and the state at the end"
          " (s stage, d defensiveness, a alliance)")
    for (couple_id, style), firsts in table.items():
        cells = "   ".join(f"{name}: " + "/".join(str(x) if x else "-" for x in stages[1:])
                           for name, stages in firsts.items())
        difficulty = load_couple(couple_id).difficulty
        print(f"  {couple_id:14} {difficulty:12} {style:15} {cells:34} end: {ends[(couple_id, style)]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--only", nargs="+", metavar="FILE", help="item files whose name starts so (own, dev, blind)")
    parser.add_argument("--items-only", action="store_true", help="skip the trainee-style sessions")
    args = parser.parse_args()
    part_items(args.seeds, args.verbose, args.only)
    if not args.items_only:
        part_styles(args.seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
