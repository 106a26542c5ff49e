"""Chat models per provider profile, structured output per capability, bounded retries.

Everything that can go wrong with a model server (timeouts, rate limits,
dropped connections, garbage output) ends as one ``LLMUnavailable`` with a
one-line message, so callers fall back to the offline path instead of
showing a traceback.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage
from pydantic import BaseModel, SecretStr, ValidationError

from trainer.errors import TrainerError
from trainer.llm.deadline import Deadline, DeadlineExceeded, call_within
from trainer.llm.settings import LLMConfigError, ProviderProfile, StructuredMethod

T = TypeVar("T", bound=BaseModel)


class LLMUnavailable(TrainerError):
    """The model could not give a usable answer within our bounds; fall back offline."""

    def __init__(self, message: str, *, reason: str = "error", attempts: int = 1,
                 partial: str = "") -> None:
        self.reason = reason
        self.attempts = attempts
        self.partial = partial  # text already streamed before the failure
        super().__init__(" ".join(str(message).split()))


class MalformedOutput(Exception):
    """The model answered, but not in the shape we asked for (worth a retry)."""


# ----------------------------------------------------------------- chat models


def make_chat_model(
    profile: ProviderProfile,
    *,
    temperature: float = 0.7,
    max_tokens: int | None = None,
    streaming: bool = False,
) -> BaseChatModel:
    """A ChatOpenAI for the profile, with the output cap this server honours.

    ``max_retries=0`` because ``call_with_retries`` owns retrying (bounded, and
    one error at the end). Base URL and key are always passed explicitly so
    stray ``OPENAI_*`` variables cannot redirect requests or leak a key.
    """
    from langchain_openai import ChatOpenAI  # deferred: offline runs never need it

    if profile.is_offline:
        raise LLMConfigError("LLM provider is offline: no model server configured")
    problems = profile.problems()
    if problems:
        raise LLMConfigError("; ".join(problems))
    caps = profile.effective_capabilities()
    kwargs: dict[str, Any] = {
        "model": profile.model,
        "base_url": profile.effective_base_url,
        "api_key": SecretStr(profile.secret_key()),
        "timeout": profile.timeout,
        "max_retries": 0,
        "temperature": temperature,
        "streaming": streaming,
        "stream_usage": caps.stream_usage,
        "use_responses_api": False,  # compatible servers speak Chat Completions only
    }
    if max_tokens is not None:
        if caps.max_tokens_param == "max_completion_tokens":
            kwargs["max_tokens"] = max_tokens  # ChatOpenAI sends it as max_completion_tokens
        else:
            kwargs["extra_body"] = {"max_tokens": max_tokens}  # llama.cpp ignores the above
    return ChatOpenAI(**kwargs)


# ------------------------------------------------------------ structured output


@dataclass
class Structured(Generic[T]):
    """Outcome of one structured call: ``value`` is None when parsing failed."""

    value: T | None
    raw: AIMessage | None
    method: str
    error: str | None = None


def schema_instruction(schema: type[BaseModel]) -> str:
    """The prompt text for json_mode: the server cannot enforce the schema, so we ask."""
    return (
        "Reply with one JSON object only, no prose and no code fences. "
        "It must validate against this JSON schema:\n"
        + json.dumps(schema.model_json_schema(), separators=(",", ":"))
    )


def with_schema_instruction(messages: Sequence[BaseMessage], schema: type[BaseModel]
                            ) -> list[BaseMessage]:
    """Merge the schema instruction into the first system message (many chat
    templates accept only one, at the start)."""
    msgs = list(messages)
    text = schema_instruction(schema)
    if msgs and isinstance(msgs[0], SystemMessage) and isinstance(msgs[0].content, str):
        return [SystemMessage(content=f"{msgs[0].content}\n\n{text}"), *msgs[1:]]
    return [SystemMessage(content=text), *msgs]


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def extract_json(text: str) -> Any:
    """The first JSON object in ``text`` (code fences and chatter tolerated)."""
    candidates = [m.group(1) for m in _FENCE.finditer(text or "")] + [text or ""]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        for match in re.finditer(r"\{", candidate):
            try:
                obj, _ = decoder.raw_decode(candidate[match.start():])
            except ValueError:
                continue
            if isinstance(obj, dict):
                return obj
    raise MalformedOutput("no JSON object in the model's reply")


def parse_into(schema: type[T], text: str) -> T:
    """Validate JSON found in free text against ``schema``."""
    data = extract_json(text)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise MalformedOutput(f"reply does not match {schema.__name__}: "
                              f"{exc.error_count()} validation error(s)") from None


def _salvage(schema: type[T], raw: AIMessage | None) -> T:
    """Second chance when the method's own parser failed: tool args, then text."""
    if raw is None:
        raise MalformedOutput("no reply")
    for call in getattr(raw, "tool_calls", None) or []:
        try:
            return schema.model_validate(call.get("args") or {})
        except ValidationError:
            continue
    return parse_into(schema, message_text(raw))


def structured(
    model: BaseChatModel, schema: type[T], profile: ProviderProfile,
    method: StructuredMethod | None = None,
) -> Callable[[Sequence[BaseMessage]], Structured[T]]:
    """A callable messages -> Structured, using the method this server supports.

    json_schema / function_calling use ChatOpenAI's own structured output (with
    the raw message kept for usage); json_mode asks for a JSON object and parses
    it from text. Any method falls back to parsing JSON from the raw text, and a
    json_schema request the server rejects as invalid (400) is retried once as
    function_calling.
    """
    method = method or profile.effective_capabilities().structured_method
    if method == "json_mode":
        bound = model.bind(response_format={"type": "json_object"})

        def run_json_mode(messages: Sequence[BaseMessage]) -> Structured[T]:
            raw = bound.invoke(with_schema_instruction(messages, schema))
            try:
                return Structured(parse_into(schema, message_text(raw)), raw, method)
            except MalformedOutput as exc:
                return Structured(None, raw, method, str(exc))

        return run_json_mode

    def run(messages: Sequence[BaseMessage]) -> Structured[T]:
        used: str = method
        try:
            runnable = model.with_structured_output(schema, method=used, include_raw=True)
            out = runnable.invoke(list(messages))
        except openai.BadRequestError:
            if used != "json_schema":
                raise
            # OpenAI strict mode refuses some JSON Schema keywords (e.g. on bounded
            # strings); non-strict tool calling takes the same schema.
            used = "function_calling"
            runnable = model.with_structured_output(schema, method=used, include_raw=True)
            out = runnable.invoke(list(messages))
        raw, parsed = out.get("raw"), out.get("parsed")
        if isinstance(parsed, schema):
            return Structured(parsed, raw, used)
        try:
            return Structured(_salvage(schema, raw), raw, used)
        except MalformedOutput as exc:
            return Structured(None, raw, used, str(exc))

    return run


def message_text(message: BaseMessage | None) -> str:
    """Plain text of a message whatever its content shape."""
    if message is None:
        return ""
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in content
                   if isinstance(b, (str, dict)))


# ------------------------------------------------------------------- retries


_RETRYABLE = {"timeout", "rate_limit", "connection", "server_error", "malformed_output"}


def classify(exc: BaseException) -> str:
    """A short reason for an exception; decides retrying and the user message."""
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
        return "timeout"
    if isinstance(exc, openai.RateLimitError):
        return "rate_limit"
    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError, ConnectionError)):
        return "connection"
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return "auth"
    if isinstance(exc, openai.NotFoundError):
        return "not_found"
    if isinstance(exc, openai.InternalServerError):
        return "server_error"
    if isinstance(exc, openai.APIStatusError):
        return "bad_request" if exc.status_code < 500 else "server_error"
    if isinstance(exc, openai.APIError):  # e.g. an error event inside a stream
        return "server_error"
    if isinstance(exc, (MalformedOutput, ValidationError, json.JSONDecodeError)):
        return "malformed_output"
    if isinstance(exc, LLMConfigError):
        return "config"
    return "error"


_REASON_TEXT = {
    "timeout": "timed out",
    "rate_limit": "rate-limited",
    "connection": "connection failed",
    "server_error": "server error",
    "malformed_output": "malformed output",
    "auth": "API key rejected",
    "not_found": "model or endpoint not found",
    "bad_request": "request rejected",
    "config": "not configured",
    "error": "unexpected error",
}

_KEYLIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{4,}|Bearer\s+\S+)")


def short_error(exc: BaseException, limit: int = 160) -> str:
    """One line describing ``exc``, with anything key-like blanked out."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = _KEYLIKE.sub("[redacted]", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_retryable(reason: str) -> bool:
    return reason in _RETRYABLE


def backoff_delay(attempt: int, base: float = 0.5, cap: float = 4.0) -> float:
    """Seconds to wait after failed ``attempt`` (1-based): 0.5, 1, 2, 4, 4 ..."""
    return min(cap, base * (2 ** (attempt - 1)))


def unavailable(exc: BaseException, *, attempts: int, what: str = "LLM call",
                partial: str = "") -> LLMUnavailable:
    """The single error callers see, built from the last underlying failure."""
    reason = classify(exc)
    tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
    msg = f"{what} failed: {_REASON_TEXT[reason]} {tries} ({short_error(exc)})"
    err = LLMUnavailable(msg, reason=reason, attempts=attempts, partial=partial)
    err.__cause__ = exc
    return err


def call_with_retries(
    fn: Callable[[], Any],
    *,
    attempts: int,
    on_error: Callable[[BaseException, int, bool], None] | None = None,
    what: str = "LLM call",
    backoff: float = 0.5,
    max_backoff: float = 4.0,
    sleep: Callable[[float], None] = time.sleep,
    until: Deadline | None = None,
) -> Any:
    """Run ``fn`` up to ``attempts`` times on transient failures, then raise LLMUnavailable.

    With ``until``, the attempts and the waits between them all fit in that one
    deadline (a server trickling bytes cannot stretch it); without, worst-case
    time is about attempts x request timeout + the backoff sum.
    ``on_error(exc, attempt, will_retry)`` lets callers log or show a notice.
    """
    attempts = max(1, attempts)
    for attempt in range(1, attempts + 1):
        try:
            return call_within(fn, until, what)
        except LLMUnavailable:
            raise
        except Exception as exc:
            delay = backoff_delay(attempt, backoff, max_backoff)
            will_retry = (attempt < attempts and is_retryable(classify(exc))
                          and not isinstance(exc, DeadlineExceeded)
                          and (until is None or (until.remaining() or 0.0) > delay))
            if on_error is not None:
                on_error(exc, attempt, will_retry)
            if not will_retry:
                raise unavailable(exc, attempts=attempt, what=what) from exc
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
