"""LLMClient: the one object the renderer and judge hold.

It bundles profile, chat model, retries and the usage meter so that callers
only build messages and handle ``LLMUnavailable`` (fall back offline).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from pydantic import BaseModel

from trainer.llm.chat import (
    LLMUnavailable,
    MalformedOutput,
    backoff_delay,
    call_with_retries,
    classify,
    is_retryable,
    make_chat_model,
    message_text,
    structured,
    unavailable,
)
from trainer.llm.deadline import Deadline, DeadlineExceeded, iterate_within
from trainer.llm.settings import LLMConfigError, ProviderProfile, load_profile
from trainer.llm.tokens import UsageMeter

T = TypeVar("T", bound=BaseModel)
ErrorHook = Callable[[BaseException, int, bool], None]


class LLMClient:
    """Profile + chat model + bounded retries + usage accounting.

    Pass ``chat_model`` to inject a fake (tests, benchmarks); otherwise a
    ChatOpenAI is built from the profile. Every method raises only
    ``LLMUnavailable`` for model/server trouble. ``deadline`` (seconds) bounds
    each call as a whole, retries and slow streams included; a caller may pass
    its own ``until`` to share one deadline between several calls.
    """

    def __init__(
        self,
        profile: ProviderProfile,
        *,
        temperature: float = 0.7,
        max_tokens: int | None = None,
        meter: UsageMeter | None = None,
        chat_model: BaseChatModel | None = None,
        attempts: int | None = None,
        on_error: ErrorHook | None = None,
        sleep: Callable[[float], None] | None = None,
        deadline: float | None = None,
    ) -> None:
        self.profile = profile
        self.deadline = deadline
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.attempts = attempts if attempts is not None else profile.attempts
        self.on_error = on_error
        self.meter = meter if meter is not None else UsageMeter(
            model=profile.model, priced=profile.is_openai and not profile.is_offline)
        self._model = chat_model
        self._stream_model = chat_model
        self._sleep = sleep or time.sleep

    @classmethod
    def configured(cls, profile: ProviderProfile | None = None, *, detect: bool = True,
                   **kwargs: Any) -> LLMClient | None:
        """A client for the configured provider, or None in offline mode.

        Capabilities are resolved (known, cached, or probed once); raises
        LLMConfigError for unusable settings so the CLI can print one line.
        """
        from trainer.llm.capabilities import resolve_capabilities

        profile = profile or load_profile()
        if profile.is_offline:
            return None
        problems = profile.problems()
        if problems:
            raise LLMConfigError("; ".join(problems))
        return cls(resolve_capabilities(profile, detect=detect), **kwargs)

    # models are built lazily so an offline profile can still create a client
    @property
    def model(self) -> BaseChatModel:
        if self._model is None:
            self._model = make_chat_model(
                self._request_profile(), temperature=self.temperature, max_tokens=self.max_tokens)
        return self._model

    @property
    def stream_model(self) -> BaseChatModel:
        if self._stream_model is None:
            self._stream_model = make_chat_model(
                self._request_profile(), temperature=self.temperature, max_tokens=self.max_tokens,
                streaming=True)
        return self._stream_model

    def _request_profile(self) -> ProviderProfile:
        """The profile with its per-request timeout no longer than the call deadline."""
        if self.deadline is None or self.profile.timeout <= self.deadline:
            return self.profile
        return self.profile.model_copy(update={"timeout": self.deadline})

    def _until(self, until: Deadline | None) -> Deadline | None:
        return until if until is not None else (
            Deadline(self.deadline) if self.deadline is not None else None)

    def _what(self, label: str) -> str:
        """'LLM <label> (<host>)' for messages: says which server, never credentials."""
        url = urlsplit(self.profile.effective_base_url or "")
        host = url.hostname + (f":{url.port}" if url.port else "") if url.hostname else ""
        return f"LLM {label}" + (f" ({host})" if host else "")

    def _retry(self, fn: Callable[[], Any], label: str, until: Deadline | None) -> Any:
        return call_with_retries(fn, attempts=self.attempts, on_error=self.on_error,
                                 what=self._what(label), sleep=self._sleep, until=until)

    def _model_or_unavailable(self, getter: Callable[[], BaseChatModel]) -> BaseChatModel:
        try:
            return getter()
        except Exception as exc:
            raise unavailable(exc, attempts=0, what=self._what("setup")) from exc

    def complete(self, messages: Sequence[BaseMessage], *, label: str = "complete",
                 until: Deadline | None = None) -> str:
        """The model's reply text; usage recorded."""
        model = self._model_or_unavailable(lambda: self.model)

        def once() -> str:
            reply = model.invoke(list(messages))
            text = message_text(reply)
            self.meter.record(messages, text, _usage(reply), label=label)
            return text

        return self._retry(once, label, self._until(until))

    def stream(self, messages: Sequence[BaseMessage], *, label: str = "stream",
               until: Deadline | None = None) -> Iterator[str]:
        """Yield text chunks as they arrive; usage recorded at the end.

        Retries only before the first chunk (a retry after text was shown would
        duplicate it); a failure mid-stream raises LLMUnavailable carrying the
        partial text so the caller can decide what to keep. The deadline covers
        waiting for the first chunk, every gap between chunks, and retries.
        """
        model = self._model_or_unavailable(lambda: self.stream_model)
        until = self._until(until)
        for attempt in range(1, max(1, self.attempts) + 1):
            pieces: list[str] = []
            total: AIMessageChunk | None = None
            chunks = iterate_within(lambda: model.stream(list(messages)), until,
                                    self._what(label))
            try:
                for chunk in chunks:
                    total = chunk if total is None else total + chunk
                    text = message_text(chunk)
                    if text:
                        pieces.append(text)
                        yield text
            except GeneratorExit:
                chunks.close()
                raise
            except Exception as exc:
                delay = backoff_delay(attempt)
                will_retry = (not pieces and attempt < self.attempts
                              and is_retryable(classify(exc))
                              and not isinstance(exc, DeadlineExceeded)
                              and (until is None or (until.remaining() or 0.0) > delay))
                if self.on_error is not None:
                    self.on_error(exc, attempt, will_retry)
                if not will_retry:
                    raise unavailable(exc, attempts=attempt, what=self._what(label),
                                      partial="".join(pieces)) from exc
                self._sleep(delay)
                continue
            self.meter.record(messages, "".join(pieces), _usage(total), label=label)
            return

    def structured(self, messages: Sequence[BaseMessage], schema: type[T], *,
                   label: str = "structured", until: Deadline | None = None) -> T:
        """A validated ``schema`` instance; malformed replies are retried, then
        LLMUnavailable(reason="malformed_output") so the caller can fall back."""
        model = self._model_or_unavailable(lambda: self.model)
        run = structured(model, schema, self.profile)

        def once() -> T:
            out = run(messages)
            self.meter.record(messages, _completion_text(out.raw), _usage(out.raw),
                              label=label)
            if out.value is None:
                raise MalformedOutput(out.error or "unparseable reply")
            return out.value

        return self._retry(once, label, self._until(until))


def _usage(message: AIMessage | None) -> dict[str, Any] | None:
    """Server-reported usage, if the server reported any."""
    usage = getattr(message, "usage_metadata", None)
    return dict(usage) if usage else None


def _completion_text(message: AIMessage | None) -> str:
    """What the model generated, tool-call arguments included (for token counting)."""
    if message is None:
        return ""
    text = message_text(message)
    calls = getattr(message, "tool_calls", None) or []
    return text + "".join(json.dumps(c.get("args", {})) for c in calls)


__all__ = ["LLMClient", "LLMUnavailable"]
