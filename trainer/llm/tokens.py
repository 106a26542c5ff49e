"""Token counting that never touches the network, plus per-call usage accounting.

tiktoken fetches its BPE files on first use; that fails offline and in
air-gapped clinics. The two encodings we need ship in ``encodings/`` and are
loaded through tiktoken's own loader with its expected sha256 (see
``encodings/SOURCE.md``), so a corrupted or swapped file is refused.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import tiktoken
import yaml
from tiktoken.load import check_hash, load_tiktoken_bpe

ENCODINGS_DIR = Path(__file__).resolve().parent / "encodings"

# From tiktoken_ext/openai_public.py (tiktoken 0.14): hashes, specials, split patterns.
_ENDOFTEXT, _FIM_PREFIX, _FIM_MIDDLE = "<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>"
_FIM_SUFFIX, _ENDOFPROMPT = "<|fim_suffix|>", "<|endofprompt|>"
_SPECS: dict[str, dict[str, Any]] = {
    "cl100k_base": {
        "hash": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        "pat_str": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
        "special_tokens": {
            _ENDOFTEXT: 100257,
            _FIM_PREFIX: 100258,
            _FIM_MIDDLE: 100259,
            _FIM_SUFFIX: 100260,
            _ENDOFPROMPT: 100276,
        },
    },
    "o200k_base": {
        "hash": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        "pat_str": "|".join(  # noqa: FLY002 - kept as in tiktoken_ext, for review
            [
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
                r"""\p{N}{1,3}""",
                r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
                r"""\s*[\r\n]+""",
                r"""\s+(?!\S)""",
                r"""\s+""",
            ]
        ),
        "special_tokens": {_ENDOFTEXT: 199999, _ENDOFPROMPT: 200018},
    },
}

# Models on o200k_base (tiktoken's own table, by prefix); everything else -> cl100k_base.
_O200K_PREFIXES = ("gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4",
                   "ft:gpt-4o", "gpt-oss")

# Chat framing overhead (OpenAI cookbook): per message, and to prime the reply.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3


@cache
def get_encoding(name: str) -> tiktoken.Encoding:
    """A shipped encoding, hash-checked by tiktoken; never downloaded."""
    if name not in _SPECS:
        raise ValueError(f"no shipped encoding {name!r} (have: {', '.join(sorted(_SPECS))})")
    spec = _SPECS[name]
    path = ENCODINGS_DIR / f"{name}.tiktoken"
    try:
        ranks = load_tiktoken_bpe(str(path), expected_hash=spec["hash"])
    except OSError:
        # tiktoken copies the file into TIKTOKEN_CACHE_DIR and raises if a user-set
        # cache dir is read-only; verify and parse directly instead.
        ranks = _load_bpe_uncached(path, spec["hash"])
    return tiktoken.Encoding(
        name=name,
        pat_str=spec["pat_str"],
        mergeable_ranks=ranks,
        special_tokens=dict(spec["special_tokens"]),
    )


def _load_bpe_uncached(path: Path, expected_hash: str) -> dict[bytes, int]:
    data = path.read_bytes()
    if not check_hash(data, expected_hash):
        raise ValueError(f"{path}: sha256 does not match tiktoken's expected hash")
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def encoding_name_for_model(model: str | None) -> str:
    """o200k_base for gpt-4o/4.1/5 and o-series; cl100k_base otherwise (incl. local models)."""
    name = (model or "").strip().lower().rsplit("/", 1)[-1]
    if name.startswith(_O200K_PREFIXES):
        return "o200k_base"
    return "cl100k_base"


def encoding_for_model(model: str | None) -> tiktoken.Encoding:
    """The shipped encoding to count tokens for ``model``."""
    return get_encoding(encoding_name_for_model(model))


def count_tokens(text: str, model: str | None = None) -> int:
    """Tokens in plain text; special-token lookalikes in user text count as text."""
    return len(encoding_for_model(model).encode(text or "", disallowed_special=()))


_LC_ROLES = {"human": "user", "ai": "assistant", "AIMessageChunk": "assistant"}


def _role_and_content(message: Any) -> tuple[str, str, str | None]:
    """(role, text, name) from a LangChain message or an OpenAI-style dict."""
    if isinstance(message, Mapping):
        role = str(message.get("role", "user"))
        content = message.get("content", "")
        name = message.get("name")
    else:
        role = str(getattr(message, "type", "user"))
        role = _LC_ROLES.get(role, role)
        content = getattr(message, "content", "")
        name = getattr(message, "name", None)
    if not isinstance(content, str):  # content blocks: count their text parts
        parts = []
        for block in content or []:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, Mapping) and isinstance(block.get("text"), str):
                parts.append(block["text"])
        content = "".join(parts)
    return role, content, name


def count_message(message: Any, model: str | None = None) -> int:
    """Tokens one chat message costs, framing included."""
    role, content, name = _role_and_content(message)
    enc = encoding_for_model(model)
    n = TOKENS_PER_MESSAGE + len(enc.encode(role, disallowed_special=()))
    n += len(enc.encode(content, disallowed_special=()))
    if name:
        n += TOKENS_PER_NAME + len(enc.encode(str(name), disallowed_special=()))
    return n


def count_messages(messages: Sequence[Any], model: str | None = None) -> int:
    """Prompt tokens for a chat request (estimate; exact for OpenAI chat models)."""
    return sum(count_message(m, model) for m in messages) + REPLY_PRIMING


def _is_system(message: Any) -> bool:
    return _role_and_content(message)[0] in ("system", "developer")


def trim_history(messages: Sequence[Any], budget: int, model: str | None = None) -> list[Any]:
    """Leading system messages plus the newest turns that fit in ``budget`` tokens.

    The newest message is always kept (the model cannot answer without it),
    even when it alone exceeds the budget. Order is preserved.
    """
    messages = list(messages)
    head: list[Any] = []
    while len(head) < len(messages) and _is_system(messages[len(head)]):
        head.append(messages[len(head)])
    rest = messages[len(head):]
    used = count_messages(head, model)
    kept: list[Any] = []
    for i, message in enumerate(reversed(rest)):
        cost = count_message(message, model)
        if i > 0 and used + cost > budget:
            break
        kept.append(message)
        used += cost
    return head + list(reversed(kept))


# ---------------------------------------------------------------- prices & usage


@cache
def load_prices(path: str | None = None) -> dict[str, dict[str, float]]:
    """USD per 1M tokens by model name, from prices.yaml (or another file)."""
    if path is None:
        text = resources.files("trainer.llm").joinpath("prices.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return {
        str(model): {"input": float(p["input"]), "output": float(p["output"])}
        for model, p in (data.get("openai") or {}).items()
    }


def price_for(model: str | None, *, priced: bool = True) -> dict[str, float]:
    """Price of ``model`` (longest matching prefix); zero for local servers or unknown models."""
    zero = {"input": 0.0, "output": 0.0}
    if not priced or not model:
        return zero
    prices = load_prices()
    name = model.strip().lower()
    if name in prices:
        return prices[name]
    matches = [k for k in prices if name.startswith(k + "-")]
    return prices[max(matches, key=len)] if matches else zero


@dataclass(frozen=True)
class CallUsage:
    """Tokens and estimated cost of one model call."""

    label: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    source: str  # "server" (reported by the server) or "tiktoken" (counted here)
    cost_usd: float


@dataclass
class UsageMeter:
    """Per-session token accounting: server numbers when reported, else tiktoken counts."""

    model: str | None = None
    priced: bool = False  # True only for OpenAI proper; local servers cost nothing here
    calls: list[CallUsage] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(
        self,
        prompt_messages: Sequence[Any],
        completion_text: str,
        usage_metadata: Mapping[str, Any] | None = None,
        *,
        label: str = "",
        model: str | None = None,
    ) -> CallUsage:
        """Record one call; falls back to counting when the server reported no usage."""
        model = model or self.model or ""
        usage = dict(usage_metadata or {})
        if usage.get("input_tokens") or usage.get("output_tokens"):
            prompt, completion = int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))
            source = "server"
        else:
            prompt = count_messages(prompt_messages, model)
            completion = count_tokens(completion_text, model)
            source = "tiktoken"
        price = price_for(model, priced=self.priced)
        cost = (prompt * price["input"] + completion * price["output"]) / 1_000_000
        entry = CallUsage(label, model, prompt, completion, source, round(cost, 8))
        with self._lock:
            self.calls.append(entry)
        return entry

    @property
    def prompt_tokens(self) -> int:
        return sum(c.prompt_tokens for c in self.calls)

    @property
    def completion_tokens(self) -> int:
        return sum(c.completion_tokens for c in self.calls)

    @property
    def cost_usd(self) -> float:
        return round(sum(c.cost_usd for c in self.calls), 8)

    def summary(self) -> dict[str, Any]:
        """Totals and per-call detail, JSON-ready (stored with the session)."""
        return {
            "model": self.model,
            "calls": len(self.calls),
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "cost_usd": self.cost_usd,
            "per_call": [asdict(c) for c in self.calls],
        }
