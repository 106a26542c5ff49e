"""Live text from a streaming LLM renderer, forwarded to the page as it arrives.

Renderers may offer `stream(plan)` yielding `(speaker, text_delta)` (see
`trainer.render.base`). Wrapped in `StreamingRenderer`, the engine still gets
whole replies back, while the page shows the words as they come. Any problem
while streaming raises, and the engine answers the turn with offline lines.
"""

from __future__ import annotations

from collections.abc import Callable

from trainer.render import ClientReply, Renderer, RenderError, RenderPlan

DeltaSink = Callable[[str, str], None]


def can_stream(renderer: object) -> bool:
    return callable(getattr(renderer, "stream", None))


class StreamingRenderer:
    """A renderer proxy: streams through `on_delta`, returns complete replies."""

    def __init__(self, inner: Renderer, on_delta: DeltaSink) -> None:
        self.inner, self.on_delta = inner, on_delta
        self.name = getattr(inner, "name", "llm")

    def render(self, plan: RenderPlan) -> list[ClientReply]:
        texts: dict[str, list[str]] = {s.speaker: [] for s in plan.speakers}
        for speaker, delta in self.inner.stream(plan):  # type: ignore[attr-defined]
            if speaker not in texts:
                raise RenderError(f"streamed a line for {speaker!r}, who was not planned to speak")
            texts[speaker].append(delta)
            self.on_delta(speaker, delta)
        parsed = list(getattr(self.inner, "last_replies", None) or [])
        if [r.speaker for r in parsed] == [s.speaker for s in plan.speakers]:
            return parsed  # the renderer's own parse (keeps the model's nonverbal cues)
        replies = []
        for planned in plan.speakers:
            text = "".join(texts[planned.speaker]).strip()
            if not text:
                raise RenderError(f"no words streamed for {planned.speaker}")
            replies.append(ClientReply(speaker=planned.speaker, text=text, nonverbal=planned.line.nonverbal))
        return replies
