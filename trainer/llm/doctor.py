"""`trainer doctor`: check the configured provider the way a new user needs it checked.

Each check says ok / warn / fail and, when not ok, what to fix. The exit
code is non-zero only when something the app needs fails; offline mode
(nothing configured) is a valid state and passes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Literal

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from trainer.llm.capabilities import resolve_capabilities
from trainer.llm.chat import LLMUnavailable, short_error
from trainer.llm.client import LLMClient
from trainer.llm.settings import LLMConfigError, ProviderProfile, load_profile
from trainer.llm.tokens import count_tokens, encoding_name_for_model

Status = Literal["ok", "warn", "fail"]


class Check(BaseModel):
    name: str
    status: Status
    detail: str
    fix: str = ""
    seconds: float | None = None


class DoctorReport(BaseModel):
    profile: dict = Field(default_factory=dict)  # redacted: never holds the key
    checks: list[Check] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def add(self, name: str, status: Status, detail: str, fix: str = "",
            seconds: float | None = None) -> Check:
        check = Check(name=name, status=status, detail=detail, fix=fix,
                      seconds=None if seconds is None else round(seconds, 2))
        self.checks.append(check)
        return check

    def to_json(self) -> dict:
        return {"ok": self.ok, "exit_code": self.exit_code, "profile": self.profile,
                "checks": [c.model_dump() for c in self.checks]}


class _Probe(BaseModel):
    """Bounded schema, like the judge's: a literal and a short string."""

    answer: Literal["yes", "no"]
    reason: str = Field(default="", max_length=80)


_SETUP_HINT = ("set TRAINER_LLM_PROVIDER=openai and OPENAI_API_KEY, or TRAINER_LLM_BASE_URL "
               "and TRAINER_LLM_MODEL for a local server (Ollama, vLLM, llama.cpp, LM Studio)")


def _timed(fn: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def _fix(exc: LLMUnavailable, profile: ProviderProfile, default: str) -> str:
    """The most useful advice for why a call failed."""
    if exc.reason == "timeout":
        return (f"the server is slow: raise TRAINER_LLM_TIMEOUT (now {profile.timeout:g}s) "
                "or use a smaller model")
    if exc.reason == "auth":
        return "check the API key (TRAINER_LLM_API_KEY / OPENAI_API_KEY)"
    if exc.reason == "not_found":
        return "check TRAINER_LLM_MODEL against the server's model list"
    return default


def check_tokens(report: DoctorReport, model: str | None) -> None:
    """Token counting must work with no network (shipped, hash-checked encodings)."""
    name = encoding_name_for_model(model)
    try:
        n = count_tokens("How are you two feeling today?", model)
        report.add("token counting", "ok", f"{name} loaded offline from the package ({n} tokens "
                   "in a test sentence)")
    except Exception as exc:  # noqa: BLE001
        report.add("token counting", "fail", f"{name}: {short_error(exc)}",
                   "reinstall the package: trainer/llm/encodings/*.tiktoken is missing or altered")


def _list_models(profile: ProviderProfile) -> list[str]:
    import openai

    client = openai.OpenAI(base_url=profile.effective_base_url, api_key=profile.secret_key(),
                           timeout=profile.timeout, max_retries=0)
    return [m.id for m in client.models.list()]


def run_doctor(profile: ProviderProfile | None = None) -> DoctorReport:
    """Run every check in order; later checks are skipped when the server is unreachable."""
    report = DoctorReport()
    try:
        profile = profile or load_profile()
    except LLMConfigError as exc:
        report.add("configuration", "fail", str(exc), "fix the setting named above")
        check_tokens(report, None)
        return report
    report.profile = profile.redacted()

    if profile.is_offline:
        report.add("configuration", "ok", "offline mode: no model server configured; "
                   "simulator and evaluator run on the offline engine",
                   f"to use a model, {_SETUP_HINT}")
        check_tokens(report, None)
        return report
    problems = profile.problems()
    if problems:
        report.add("configuration", "fail", "; ".join(problems), _SETUP_HINT)
        check_tokens(report, profile.model)
        return report
    where = profile.display_url
    report.add("configuration", "ok", f"{profile.provider}: model {profile.model} at {where}")

    try:
        ids, secs = _timed(lambda: _list_models(profile))
    except Exception as exc:  # noqa: BLE001
        err = short_error(exc)
        fix = ("check the API key (TRAINER_LLM_API_KEY / OPENAI_API_KEY)"
               if "401" in err or "auth" in err.lower()
               else f"start the server or fix TRAINER_LLM_BASE_URL (now {where})")
        report.add("server reachable", "fail", f"GET {where}/models: {err}", fix)
        check_tokens(report, profile.model)
        return report
    report.add("server reachable", "ok", f"{where} answered /models", seconds=secs)
    if profile.model in ids:
        report.add("model listed", "ok", f"{profile.model} is served")
    else:
        shown = ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else "")
        report.add("model listed", "warn", f"{profile.model} not in /models ({shown or 'empty'})",
                   "set TRAINER_LLM_MODEL to a listed id (some servers answer any name)")

    notes: list[str] = []
    profile, secs = _timed(lambda: resolve_capabilities(profile, log=notes.append))
    caps = profile.effective_capabilities()
    report.profile = profile.redacted()
    status: Status = "warn" if "failed" in caps.source else "ok"
    report.add("capabilities", status,
               f"structured={caps.structured_method}, stream usage={caps.stream_usage}, "
               f"output cap={caps.max_tokens_param} ({caps.source})",
               "" if status == "ok" else "set TRAINER_LLM_STRUCTURED_METHOD, "
               "TRAINER_LLM_STREAM_USAGE and TRAINER_LLM_MAX_TOKENS_PARAM explicitly",
               seconds=secs)

    client = LLMClient(profile, temperature=0, max_tokens=32, attempts=1)
    messages = [SystemMessage(content="You are a helpful assistant."),
                HumanMessage(content="Say hello in one short sentence.")]
    try:
        text, secs = _timed(lambda: client.complete(messages, label="doctor chat"))
        report.add("chat", "ok", f"replied with {len(str(text))} characters", seconds=secs)
    except LLMUnavailable as exc:
        report.add("chat", "fail", str(exc),
                   _fix(exc, profile, "check the model name, the key and the server log"))

    try:
        chunks, secs = _timed(lambda: list(client.stream(messages, label="doctor stream")))
        n = len(chunks)  # type: ignore[arg-type]
        status = "ok" if n > 1 else "warn"
        report.add("streaming", status, f"{n} chunk(s)",
                   "" if n > 1 else "the server buffers replies; partners' lines appear at once",
                   seconds=secs)
    except LLMUnavailable as exc:
        report.add("streaming", "fail", str(exc),
                   _fix(exc, profile, "the server must support stream=true"))

    try:
        _, secs = _timed(lambda: LLMClient(profile, temperature=0, max_tokens=96, attempts=2)
                         .structured([HumanMessage(content="Is water wet? Answer yes or no, "
                                                   "with a short reason.")], _Probe,
                                     label="doctor structured"))
        report.add("structured output", "ok", f"schema-valid reply via {caps.structured_method}",
                   seconds=secs)
    except LLMUnavailable as exc:
        report.add("structured output", "fail", f"{caps.structured_method}: {exc}",
                   _fix(exc, profile, "try TRAINER_LLM_STRUCTURED_METHOD=function_calling or "
                        "json_mode; the LLM judge falls back to the offline evaluator meanwhile"))

    usage = client.meter.calls[-1] if client.meter.calls else None
    if usage is not None:
        report.add("token usage", "ok", f"last call: {usage.prompt_tokens} prompt + "
                   f"{usage.completion_tokens} completion tokens ({usage.source}), "
                   f"est. ${client.meter.cost_usd:.6f} for the checks")
    check_tokens(report, profile.model)
    return report


_STYLE = {"ok": "[green]ok[/]", "warn": "[yellow]warn[/]", "fail": "[red]FAIL[/]"}


def doctor_command(json_output: bool = False, profile: ProviderProfile | None = None) -> int:
    """Print the report (rich table, or JSON) and return the exit code for the CLI."""
    report = run_doctor(profile)
    if json_output:
        print(json.dumps(report.to_json(), indent=2))
        return report.exit_code
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    p = report.profile
    if p:
        console.print(f"LLM provider: [bold]{escape(str(p.get('provider')))}[/]"
                      + (f"  model: {escape(str(p.get('model')))}" if p.get("model") else "")
                      + (f"  base URL: {escape(str(p.get('base_url')))}" if p.get("base_url")
                         else "")
                      + (f"  key: {p.get('api_key')}" if p.get("provider") != "offline" else ""))
    table = Table(show_header=True, header_style="bold")
    for col in ("check", "status", "detail", "what to fix"):
        table.add_column(col, overflow="fold")
    for c in report.checks:
        detail = c.detail + (f" [{c.seconds:.2f}s]" if c.seconds is not None else "")
        table.add_row(c.name, _STYLE[c.status], escape(detail), escape(c.fix))
    console.print(table)
    console.print("[green]All needed checks passed.[/]" if report.ok
                  else "[red]Some checks failed; see 'what to fix'.[/]")
    return report.exit_code
