"""Real `streamlit run` server processes on loopback, sharing one database (for multi-instance tests)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAV_APP = ROOT / "tests" / "review" / "nav_app.py"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def harness(workdir: Path) -> Path:
    """The role-navigation test app, placed so the practice pages' relative links resolve.

    The practice app's pages link to each other by paths relative to the entry
    script ("trainer/webapp/pages/report.py"), so the entry script needs a
    `trainer` folder beside it: a symlink to the package, outside the repository.
    """
    folder = workdir / "app"
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / NAV_APP.name
    shutil.copy(NAV_APP, script)
    link = folder / "trainer"
    if not link.exists():
        link.symlink_to(ROOT / "trainer", target_is_directory=True)
    return script


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """One app instance: its own process and port, the database given by `database_url`."""

    def __init__(self, database_url: str, workdir: Path, name: str, script: Path | None = None) -> None:
        self.port, self.database_url = free_port(), database_url
        self.script = script or harness(workdir)
        self.workdir, self.log = workdir, workdir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 90) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TRAINER_LLM", "OPENAI"))}
        env.update(DATABASE_URL=self.database_url, PYTHONUNBUFFERED="1",
                   TRAINER_DATA_DIR=str(self.workdir / "data"),
                   TRAINER_SECRETS_FILE=str(self.workdir / "no-secrets.toml"))
        command = [sys.executable, "-m", "streamlit", "run", str(self.script),
                   "--server.port", str(self.port), "--server.headless", "true",
                   "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                   "--server.fileWatcherType", "none"]
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            if self.healthy():
                return
            time.sleep(0.3)
        raise AssertionError(f"server did not start; see {self.log}:\n{self.log.read_text()[-3000:]}")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
