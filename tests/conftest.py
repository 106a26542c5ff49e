"""Suite-wide guards: no network but loopback, and no silent skips in CI."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# These machines are noisy: no per-example deadlines, no slowness health checks.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded(real):
    def connect(self: socket.socket, address: object):  # type: ignore[no-untyped-def]
        if not _is_loopback(address):
            raise OSError(f"test tried to reach the network: {address!r} (only loopback is allowed)")
        return real(self, address)

    return connect


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs offline: a connection to anything but loopback fails loudly."""
    monkeypatch.setattr(socket.socket, "connect", _guarded(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(_real_connect_ex))


def skip_unless_available(reason: str) -> None:
    """Skip a test whose real part is missing here, but fail in CI, where nothing may be skipped."""
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def keep_screenshot(path: Path) -> None:
    """Also copy a screenshot to $TRAINER_SCREENSHOT_DIR, when the person running the tests
    asked for one; by default screenshots stay in the test's own tmp folder."""
    folder = os.environ.get("TRAINER_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def shared_file(*parts: str) -> Path:
    """A file of the shared folder the project was written beside (`../shared`): the source
    articles, the clinical spec, the AnnoMI sessions. Looked for beside the project or one of its
    parents, beside the repository a clone was made from, or at TRAINER_SHARED_DIR; returns the
    first candidate that exists (else the plain `../shared` path, for the test's message)."""
    root = Path(__file__).resolve().parents[1]
    bases = [Path(os.environ["TRAINER_SHARED_DIR"])] if os.environ.get("TRAINER_SHARED_DIR") else []
    bases += [ancestor / "shared" for ancestor in root.parents]
    origin = _origin_path(root)
    if origin is not None:
        bases += [ancestor / "shared" for ancestor in origin.parents]
    for base in bases:
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    return root.parent.joinpath("shared", *parts)


def _origin_path(root: Path) -> Path | None:
    """Where a clone came from, when that was a folder on this machine."""
    import subprocess

    try:
        url = subprocess.run(["git", "-C", str(root), "config", "--get", "remote.origin.url"],
                             capture_output=True, text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    url = url.removeprefix("file://")
    path = Path(url) if url and "://" not in url and ":" not in url.split("/")[0] else None
    return path.resolve() if path is not None and path.exists() else None
