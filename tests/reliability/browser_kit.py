"""A real `streamlit run` of the app and a headless Chromium, for the fault tests in a browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from reliability_kit import skip_unless_available

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENS = Path("/tmp/trainer-screens")
PLACEHOLDER = "Speak to the couple\u2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class App:
    """The app on a loopback port with its own data folder and the given environment."""

    def __init__(self, workdir: Path, env: dict[str, str] | None = None) -> None:
        self.port, self.workdir = free_port(), workdir
        self.log = workdir / "server.log"
        self.extra = dict(env or {})
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> App:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TRAINER_", "OPENAI", "DATABASE_URL"))}
        env.update(TRAINER_DATA_DIR=str(self.workdir / "data"), PYTHONUNBUFFERED="1",
                   TRAINER_SECRETS_FILE=str(self.workdir / "no-secrets.toml"),
                   TRAINER_LLM_CACHE_DIR=str(self.workdir / "cache"))
        env.update(self.extra)
        command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
                   "--server.port", str(self.port), "--server.headless", "true",
                   "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                   "--server.fileWatcherType", "none"]
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"server did not start; see {self.log}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def launch_browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        skip_unless_available(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_unless_available("playwright (Python package) is not installed")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def shoot(page, name: str, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / f"{name}.png"
    page.screenshot(path=str(target))
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(target, SCREENS / target.name)
    return target


def wait_idle(page, quiet_for: int = 4, limit: float = 90) -> None:  # type: ignore[no-untyped-def]
    """Until no script run is going on and nothing is stale, for about a second."""
    quiet, deadline = 0, time.monotonic() + limit
    while quiet < quiet_for and time.monotonic() < deadline:
        time.sleep(0.25)
        busy = page.locator('[data-testid="stStatusWidget"]').count() or page.locator(
            '[data-stale="true"]').count()
        quiet = 0 if busy else quiet + 1


def sign_in(page, url: str, name: str = "Ana") -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.get_by_role("heading", name="Welcome").wait_for(timeout=60_000)
    page.get_by_placeholder("Your name").fill(name)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Practice").wait_for(timeout=60_000)
    wait_idle(page)


def type_message(page, text: str) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_placeholder(PLACEHOLDER)
    box.fill(text)
    box.press("Enter")


def chat_texts(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every chat bubble's text, in order (name line first; the trainee's avatar icon name dropped)."""
    texts = [" ".join(t.split()) for t in page.locator('[data-testid="stChatMessage"]').all_inner_texts()]
    return [t.removeprefix("psychology ") for t in texts]


def no_traceback(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and 'File "' not in body
