"""LLM renderer prompt size: prompt tokens per turn over 40-turn sessions, with a fake chat model.

The prompt must stay bounded however long the session runs: turn 40 may cost
at most 1.5x turn 10 (issue 4). Tokens are what the usage meter records
(tiktoken, shipped encodings): no server, no network.
Run: `.venv/bin/python benchmarks/llm_prompt_tokens.py`; exits 1 if the bound fails.
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "engine"))

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from sim_conformance import MIXED_40, fill

from trainer.engine import start_session
from trainer.llm import LLMClient, ProviderProfile
from trainer.personas import list_couples
from trainer.render.llm import LLMRenderer

CHECK_TURNS = (10, 20, 40)
MAX_GROWTH = 1.5
_WHO = re.compile(r"Who speaks now, in this order: (.+?)\.\n")


class _Couple(GenericFakeChatModel):
    """Answers with one plausible-length labelled line per planned speaker."""

    messages: Any = iter(())
    n: int = 0

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        self.n += 1
        match = _WHO.search(str(messages[-1].content))
        names = match.group(1).split(", then ") if match else ["Someone"]
        text = "\n".join(f"{name}: [looks down] I don't know, it's been like this for a while, "
                         f"and I'm tired of it, honestly ({self.n})." for name in names)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def _profile(model: str) -> ProviderProfile:
    return ProviderProfile(provider="openai_compatible", base_url="http://127.0.0.1:9/v1",
                           model=model, overrides={"structured_method": "json_mode",
                                                   "stream_usage": False,
                                                   "max_tokens_param": "max_tokens_extra_body"})


def prompt_tokens_per_turn(couple: Any, *, seed: int = 0, model: str = "gpt-4.1-mini",
                           turns: int = 40) -> list[int]:
    """Prompt tokens of the render call(s) of each therapist turn 1..`turns`."""
    renderer = LLMRenderer(LLMClient(_profile(model), chat_model=_Couple()))
    session = start_session(couple, seed=seed, renderer=renderer)
    per_turn: list[int] = []
    for line in fill(MIXED_40, couple)[:turns]:
        before = len(renderer.meter.calls)
        result = session.respond(line)
        if result.render_notice:
            raise RuntimeError(f"{couple.id}: render fell back: {renderer.last_error}")
        per_turn.append(sum(c.prompt_tokens for c in renderer.meter.calls[before:]))
    return per_turn


def report(seeds: int = 3) -> bool:
    """Print turns 10/20/40 per couple (median over seeds); True when every bound holds."""
    print(f"LLM renderer prompt tokens per turn (fake model, tiktoken; median of {seeds} seeds)")
    print(f"{'couple':<16}" + "".join(f"{'turn ' + str(t):>10}" for t in CHECK_TURNS)
          + f"{'max':>8}{'40/10':>8}")
    ok = True
    for couple in list_couples():
        series = [prompt_tokens_per_turn(couple, seed=s) for s in range(seeds)]
        at = {t: statistics.median(s[t - 1] for s in series) for t in CHECK_TURNS}
        growth = at[40] / at[10]
        ok &= growth <= MAX_GROWTH
        print(f"{couple.id:<16}" + "".join(f"{at[t]:>10.0f}" for t in CHECK_TURNS)
              + f"{max(max(s) for s in series):>8}{growth:>8.2f}")
    print(f"bound: turn 40 <= {MAX_GROWTH}x turn 10: {'ok' if ok else 'FAILED'}")
    return ok


if __name__ == "__main__":
    sys.exit(0 if report() else 1)
