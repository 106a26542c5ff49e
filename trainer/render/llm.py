"""LLM renderer: the engine decides, a chat model (LangChain via `LLMClient`) speaks.

Why it is safe to hand the model a trainee's words: the prompt is built from
the `RenderPlan` only (surface facts + layers the engine unlocked), so hidden
fears are not in the model's context for any injection to extract. Output is
parsed from a labelled format and checked for out-of-character text; a bad
reply is retried a bounded number of times, then `RenderError` makes the
session answer that turn with the authored offline line, visibly.

One deadline covers a whole turn (all attempts, every slow chunk). Words
already streamed to the trainee are never taken back: when the stream is cut
or the model breaks character after some words, the words shown are kept and
only the partners who had not spoken yet get their authored line.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from trainer.llm import LLMClient, LLMUnavailable, ProviderProfile, load_profile
from trainer.llm.deadline import Deadline
from trainer.render.base import ClientReply, PersonaFacts, RenderError, RenderPlan
from trainer.render.llm_parse import BadOutput, Parsed, parse_reply
from trainer.render.llm_prompt import DEFAULT_PROMPT_BUDGET, build_messages

DEFAULT_MAX_TOKENS = 200
DEFAULT_TEMPERATURE = 0.8
OUTPUT_ATTEMPTS = 2  # tries per turn when the model answers, but unusably
COOLDOWN_SECONDS = 0.0  # fail fast this long after an outage (0: every turn tries the model again)
_DOWN = {"connection", "timeout"}


class LLMRenderer:
    """Voices a `RenderPlan` with a chat model; see `trainer.render.base` for the contract."""

    name = "llm"

    def __init__(self, client: LLMClient, *, prompt_budget: int = DEFAULT_PROMPT_BUDGET,
                 output_attempts: int = OUTPUT_ATTEMPTS, cooldown: float = COOLDOWN_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 turn_deadline: float | None = None) -> None:
        self.client = client
        self.turn_deadline = (turn_deadline if turn_deadline is not None
                              else client.profile.effective_turn_deadline)
        self.prompt_budget = prompt_budget
        self.output_attempts = max(1, output_attempts)
        self.cooldown = cooldown
        self.last_error: str | None = None  # one line, for a UI notice or a log
        self.last_replies: list[ClientReply] = []
        self.kept_partial = False  # the last turn kept streamed words after a failure
        self._clock = clock
        self._down_until = 0.0
        self._taken = 0  # meter calls already handed to the store (take_usage)
        self._surfaces: dict[str, PersonaFacts] = {}

    @property
    def meter(self) -> Any:
        return self.client.meter

    def messages(self, plan: RenderPlan) -> list[Any]:
        """Exactly what the model is sent for `plan` (tests inspect this).

        Partners' surface facts are remembered across turns so the system prompt
        stays the same all session (a prefix servers cache); unlocked layers
        are never remembered: they come from the current plan only.
        """
        for sp in plan.speakers:
            self._surfaces.setdefault(sp.speaker, sp.facts.model_copy(update={
                "reactive_emotions": [], "underlying_fears": [], "underlying_longings": [],
                "unlocked_examples": {}}))
        return build_messages(plan, budget=self.prompt_budget, model=self.client.profile.model,
                              surfaces=self._surfaces)

    # ----------------------------------------------------------------- render

    def render(self, plan: RenderPlan) -> list[ClientReply]:
        """Whole replies for the planned speakers, or RenderError after bounded retries."""
        self._check_up()
        self.kept_partial = False
        until = Deadline(self.turn_deadline)
        messages = self.messages(plan)
        label = f"render turn {plan.therapist_turn}"
        problem = "no attempt"
        for _attempt in range(self.output_attempts):
            try:
                text = self.client.complete(messages, label=label, until=until)
            except LLMUnavailable as exc:
                raise self._unavailable(exc) from exc
            try:
                return self._done(plan, text)
            except BadOutput as exc:
                problem = str(exc)
        raise self._fail(f"unusable model output after {self.output_attempts} tries: {problem}")

    def stream(self, plan: RenderPlan) -> Iterator[tuple[str, str]]:
        """Yield `(speaker, text_delta)` as the model writes; replies end in `last_replies`.

        Words are shown only once they can no longer change (whole words, outside
        an open [bracket]); a bad reply is retried only while nothing was shown.
        """
        self._check_up()
        self.last_replies, self.kept_partial = [], False
        until = Deadline(self.turn_deadline)
        messages = self.messages(plan)
        speakers = [s.speaker for s in plan.speakers]
        problem = "no attempt"
        for _attempt in range(self.output_attempts):
            shown: dict[str, str] = {}
            text, finished = "", False
            pieces = self.client.stream(messages, label=f"stream turn {plan.therapist_turn}",
                                        until=until)
            try:
                for piece in pieces:
                    text += piece
                    partial = parse_reply(text, speakers, plan.partners, final=False)
                    yield from _deltas(speakers, partial, shown)
                finished = True
                final = parse_reply(text, speakers, plan.partners, final=True)
                yield from _deltas(speakers, final, shown)
                if any(shown.get(s, "") != final[s].text for s in speakers):
                    raise BadOutput("streamed text and parsed reply differ")
                self._done(plan, text)
                return
            except LLMUnavailable as exc:
                failure = self._unavailable(exc)
                if any(shown.values()):
                    yield from self._keep(plan, text, shown, str(failure))
                    return
                raise failure from exc
            except BadOutput as exc:
                problem = str(exc)
                if not finished:  # we hung up early: count what the model wrote anyway
                    pieces.close()
                    self.meter.record(messages, text, None, label="stream turn (aborted)")
                if any(shown.values()):
                    self._fail(f"model output unusable mid-stream: {problem}")
                    yield from self._keep(plan, text, shown, self.last_error or problem)
                    return
        raise self._fail(f"unusable model output after {self.output_attempts} tries: {problem}")

    def _keep(self, plan: RenderPlan, text: str, shown: dict[str, str], why: str
              ) -> Iterator[tuple[str, str]]:
        """The words already shown stay (closed with an ellipsis when cut mid-sentence);
        partners who had not spoken yet get their authored line, marked as such."""
        cues: dict[str, str] = {}
        try:
            partial = parse_reply(text, [s.speaker for s in plan.speakers], plan.partners,
                                  final=False)
            cues = {name: p.nonverbal for name, p in partial.items()}
        except BadOutput:
            pass
        replies: list[ClientReply] = []
        cut = [s.speaker for s in plan.speakers if shown.get(s.speaker, "").strip()][-1]
        for sp in plan.speakers:
            words = shown.get(sp.speaker, "").strip()
            if words:
                if sp.speaker == cut and words[-1] not in ".!?\u2026\"'":
                    words += "\u2026"
                    yield sp.speaker, "\u2026"
                replies.append(ClientReply(speaker=sp.speaker, text=words,
                                           nonverbal=cues.get(sp.speaker, "")))
            else:
                replies.append(ClientReply(speaker=sp.speaker, text=sp.line.text,
                                           nonverbal=sp.line.nonverbal, fallback=True))
        self.last_replies, self.kept_partial = replies, True
        self.last_error = " ".join(why.split())

    def stream_text(self, plan: RenderPlan) -> RenderStream:
        """Display text as it arrives (for `st.write_stream`); `.replies` once consumed."""
        return RenderStream(self, plan)

    # ------------------------------------------------------------------ usage

    def take_usage(self) -> dict[str, Any] | None:
        """Tokens and cost of the calls since the last take (for the session's store row)."""
        calls = self.meter.calls[self._taken:]
        self._taken += len(calls)
        if not calls:
            return None
        return {"prompt_tokens": sum(c.prompt_tokens for c in calls),
                "completion_tokens": sum(c.completion_tokens for c in calls),
                "cost_usd": round(sum(c.cost_usd for c in calls), 8), "calls": len(calls)}

    def usage_summary(self) -> dict[str, Any]:
        """The whole session's usage (meter summary: tokens, estimated cost, per call)."""
        return self.meter.summary()

    # ---------------------------------------------------------------- helpers

    def _done(self, plan: RenderPlan, text: str) -> list[ClientReply]:
        speakers = [s.speaker for s in plan.speakers]
        parsed = parse_reply(text, speakers, plan.partners, final=True)
        for sp in plan.speakers:
            if sp.avoid and _same(parsed[sp.speaker].text, sp.avoid[-1]):
                raise BadOutput(f"{sp.speaker} repeated the previous line")
        replies = [ClientReply(speaker=s, text=parsed[s].text, nonverbal=parsed[s].nonverbal)
                   for s in speakers]
        self.last_replies, self.last_error = replies, None
        return replies

    def _check_up(self) -> None:
        if self._clock() < self._down_until:
            raise self._fail(self.last_error or "the model server is unavailable")

    def _unavailable(self, exc: LLMUnavailable) -> RenderError:
        if exc.reason in _DOWN:  # do not make every turn wait for a dead server
            self._down_until = self._clock() + self.cooldown
        return self._fail(str(exc))

    def _fail(self, message: str) -> RenderError:
        self.last_error = " ".join(message.split())
        return RenderError(self.last_error)


class RenderStream:
    """Iterate for display chunks (`Marc: words...`); `.replies` holds the parsed turn after."""

    def __init__(self, renderer: LLMRenderer, plan: RenderPlan) -> None:
        self.renderer, self.plan = renderer, plan
        self.replies: list[ClientReply] | None = None

    def __iter__(self) -> Iterator[str]:
        speaker = None
        for who, delta in self.renderer.stream(self.plan):
            if who != speaker:
                yield ("\n\n" if speaker else "") + f"**{who}:** "
                speaker = who
            yield delta
        self.replies = list(self.renderer.last_replies)


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _deltas(speakers: list[str], parsed: dict[str, Parsed], shown: dict[str, str]
            ) -> Iterator[tuple[str, str]]:
    """New text per speaker, in plan order: the next speaker starts once this one is done."""
    for name in speakers:
        if name not in parsed:
            return
        new, old = parsed[name].text, shown.get(name, "")
        if new.startswith(old) and len(new) > len(old):
            shown[name] = new
            yield name, new[len(old):]
        if not parsed[name].closed:
            return


def make_renderer(profile: ProviderProfile | None = None, *, max_tokens: int = DEFAULT_MAX_TOKENS,
                  temperature: float = DEFAULT_TEMPERATURE, **options: Any) -> LLMRenderer | None:
    """The configured LLM renderer, or None when no model is configured (offline).

    Raises LLMConfigError (one line) for unusable settings; callers fall back offline.
    """
    profile = profile or load_profile()
    if profile.is_offline:
        return None
    client = LLMClient.configured(profile, temperature=temperature, max_tokens=max_tokens,
                                  deadline=profile.effective_turn_deadline)
    assert client is not None
    return LLMRenderer(client, **options)


__all__ = ["LLMRenderer", "RenderStream", "make_renderer"]
