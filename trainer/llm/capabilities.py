"""Detect what an OpenAI-compatible server can do, once per (base_url, model).

Servers differ in three ways that matter to us (measured on llama-cpp-python
0.3.x: json_schema -> HTTP 500, function_calling works; max_completion_tokens
ignored, extra_body max_tokens honoured; no usage in streams). Probing costs a
few short requests, so results are cached in-process and on disk
(``$TRAINER_LLM_CACHE_DIR`` or ``~/.cache/couples-trainer/capabilities.json``).
Explicit settings (TRAINER_LLM_STRUCTURED_METHOD, ...) always win.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

from trainer.llm.chat import classify, make_chat_model, message_text, short_error, structured
from trainer.llm.deadline import Deadline, call_within
from trainer.llm.settings import (
    OPENAI_CAPABILITIES,
    Capabilities,
    CapabilityOverrides,
    MaxTokensParam,
    ProviderProfile,
    StructuredMethod,
)

CACHE_VERSION = 1
PROBE_CAP = 4  # tokens allowed in cap probes
_memory: dict[str, Capabilities] = {}
_lock = threading.Lock()


def cache_path() -> Path:
    """The on-disk cache file (TRAINER_LLM_CACHE_DIR, XDG_CACHE_HOME, or ~/.cache)."""
    if os.environ.get("TRAINER_LLM_CACHE_DIR"):
        base = Path(os.environ["TRAINER_LLM_CACHE_DIR"])
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "couples-trainer"
    return base / "capabilities.json"


def cache_key(profile: ProviderProfile) -> str:
    return f"{profile.display_url or ''}|{profile.model or ''}"  # no credentials on disk


def _read_disk(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _write_disk(path: Path, key: str, caps: Capabilities) -> None:
    """Best effort: a read-only home must not break the app."""
    try:
        entries = _read_disk(path)
        entries[key] = {**caps.model_dump(exclude={"source"}), "detected_at": int(time.time())}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": CACHE_VERSION, "entries": entries}, indent=2),
                       "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def cached_capabilities(profile: ProviderProfile, path: Path | None = None
                        ) -> Capabilities | None:
    """Capabilities remembered for this server+model, in memory or on disk."""
    key = cache_key(profile)
    with _lock:
        if key in _memory:
            return _memory[key].model_copy(update={"source": "cached"})
    entry = _read_disk(path or cache_path()).get(key)
    if not entry:
        return None
    try:
        caps = Capabilities(**{k: v for k, v in entry.items() if k != "detected_at"},
                            source="cached")
    except ValueError:
        return None
    with _lock:
        _memory[key] = caps
    return caps


def clear_cache(path: Path | None = None, *, disk: bool = True) -> None:
    """Forget detected capabilities (e.g. after the server was upgraded)."""
    with _lock:
        _memory.clear()
    if disk:
        try:
            (path or cache_path()).unlink()
        except OSError:
            pass


# ------------------------------------------------------------------- probes


class _Probe(BaseModel):
    answer: Literal["yes", "no"]


_PROBE_QUESTION = [
    SystemMessage(content="You answer questions."),
    HumanMessage(content="Is water wet? Answer yes or no."),
]
_LONG_PROMPT = [HumanMessage(content="Write a long story about a lighthouse keeper.")]


def _with(profile: ProviderProfile, **caps: object) -> ProviderProfile:
    """The profile with some capabilities forced, for a probe."""
    base = profile.effective_capabilities()
    return profile.with_capabilities(base.model_copy(update=caps)).model_copy(
        update={"overrides": CapabilityOverrides()})


def probe_cap(profile: ProviderProfile, param: MaxTokensParam) -> bool | None:
    """True if the server stops at the cap, False if it ignores it, None if unclear.

    Streams, stops reading after a few chunks, and sets stop sequences, so an
    ignored cap costs little time even on servers that would otherwise write
    until n_ctx (and may keep generating after we hang up).
    """
    model = make_chat_model(_with(profile, max_tokens_param=param, stream_usage=False),
                            temperature=0, max_tokens=PROBE_CAP, streaming=True)
    chunks, finish = 0, None
    try:
        for chunk in model.stream(_LONG_PROMPT, stop=[".", "\n"]):
            if message_text(chunk):
                chunks += 1
            finish = chunk.response_metadata.get("finish_reason") or finish
            if chunks > PROBE_CAP + 3:
                return False
    except Exception as exc:
        if classify(exc) == "bad_request":  # the server rejects this parameter
            return False
        raise  # unreachable server etc.: detection as a whole fails
    if finish == "length":
        return True
    return None


def probe_stream_usage(profile: ProviderProfile, param: MaxTokensParam) -> bool:
    """True if a stream asked for usage (stream_options.include_usage) reports it."""
    model = make_chat_model(_with(profile, max_tokens_param=param, stream_usage=True),
                            temperature=0, max_tokens=PROBE_CAP, streaming=True)
    try:
        return any(getattr(c, "usage_metadata", None)
                   for c in model.stream(_LONG_PROMPT, stop=[".", "\n"]))
    except Exception:  # noqa: BLE001 - a server rejecting stream_options has no usage
        return False


def probe_structured(profile: ProviderProfile, method: StructuredMethod,
                     param: MaxTokensParam) -> bool:
    """True if ``method`` yields a schema-valid object on this server."""
    model = make_chat_model(_with(profile, max_tokens_param=param), temperature=0,
                            max_tokens=64)
    try:
        return structured(model, _Probe, profile, method=method)(_PROBE_QUESTION).value is not None
    except Exception:  # noqa: BLE001 - e.g. llama.cpp: HTTP 500 for json_schema
        return False


def detect_capabilities(profile: ProviderProfile,
                        log: Callable[[str], None] | None = None) -> Capabilities:
    """Probe the server for each capability not set explicitly (a few short requests)."""
    say = log or (lambda _msg: None)
    ov = profile.overrides
    param: MaxTokensParam = ov.max_tokens_param or "max_tokens_extra_body"
    if ov.max_tokens_param is None:
        if probe_cap(profile, "max_completion_tokens"):
            param = "max_completion_tokens"
        say(f"output cap: {param}")
    stream_usage = ov.stream_usage
    if stream_usage is None:
        stream_usage = probe_stream_usage(profile, param)
        say(f"stream usage: {stream_usage}")
    method: StructuredMethod = ov.structured_method or "json_mode"
    if ov.structured_method is None:
        for candidate in ("json_schema", "function_calling", "json_mode"):
            if probe_structured(profile, candidate, param):
                method = candidate
                break
        say(f"structured output: {method}")
    return Capabilities(structured_method=method, stream_usage=stream_usage,
                        max_tokens_param=param, source="detected")


def resolve_capabilities(
    profile: ProviderProfile,
    *,
    detect: bool = True,
    refresh: bool = False,
    path: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> ProviderProfile:
    """The profile with capabilities filled in: overrides > known > cache > detection.

    A profile that already carries capabilities is returned as is (unless
    ``refresh``), so resolving twice costs nothing.

    With ``detect=False`` an unknown server gets conservative defaults (no
    network). Detection failures (server down) also leave the defaults, so
    the next call can try again.
    """
    if profile.is_offline or (profile.capabilities is not None and not refresh):
        return profile
    ov = profile.overrides
    if ov.complete():
        caps = Capabilities(**ov.model_dump(), source="override")
        return profile.with_capabilities(caps)
    if profile.is_openai:
        return profile.with_capabilities(ov.apply(OPENAI_CAPABILITIES))
    if not refresh:
        cached = cached_capabilities(profile, path)
        if cached is not None:
            return profile.with_capabilities(ov.apply(cached))
    if not detect:
        return profile.with_capabilities(profile.effective_capabilities())
    try:  # bounded like a turn: a hanging server must not hold a session's start
        caps = call_within(lambda: detect_capabilities(profile, log=log),
                           Deadline(profile.effective_turn_deadline), "capability detection")
    except Exception as exc:  # noqa: BLE001 - server down: defaults now, retry next time
        if log:
            log(f"capability detection failed: {short_error(exc)}")
        fallback = profile.effective_capabilities()
        return profile.with_capabilities(
            fallback.model_copy(update={"source": "default (detection failed)"}))
    key = cache_key(profile)
    with _lock:
        _memory[key] = caps
    _write_disk(path or cache_path(), key, caps)
    return profile.with_capabilities(ov.apply(caps))
