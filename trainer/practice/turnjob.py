"""One trainee message answered in a worker thread, apart from the page's script run.

Why a thread: Streamlit stops or reruns a page's script whenever the trainee
clicks, sends again, changes page or closes the tab (by raising an exception
at the page's next call). If the turn ran in the script, any of those would
cut it in half. Here the turn runs to its end and is stored whole whatever
the page does; the page only shows its words as they arrive, and picks the
result up on whichever run comes next.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from trainer.practice.live import LiveSession
from trainer.practice.service import PracticeService, TurnOutcome
from trainer.store import UserRecord


@dataclass
class TurnJob:
    """A message being answered: its words so far, then its outcome or error."""

    text: str
    start_len: int  # turns stored before this one: the job's turns come after
    started: float = field(default_factory=time.monotonic)
    outcome: TurnOutcome | None = None
    error: BaseException | None = None
    _deltas: list[tuple[str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _done: threading.Event = field(default_factory=threading.Event)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def streamed(self) -> bool:
        with self._lock:
            return bool(self._deltas)

    def wait(self, seconds: float) -> bool:
        """True once the turn is over (stored, refused or failed)."""
        return self._done.wait(seconds)

    def add(self, speaker: str, delta: str) -> None:
        """The delta sink handed to the service (runs in the worker thread)."""
        with self._lock:
            self._deltas.append((speaker, delta))

    def deltas(self, since: int = 0) -> list[tuple[str, str]]:
        """Words streamed so far, from position `since` on."""
        with self._lock:
            return list(self._deltas[since:])

    def elapsed(self) -> float:
        return time.monotonic() - self.started


# One turn at a time per session, whichever browser tab or rerun starts it.
_running: dict[object, threading.Lock] = {}
_registry_lock = threading.Lock()


def _session_lock(live: LiveSession) -> threading.Lock:
    with _registry_lock:
        return _running.setdefault(live.id, threading.Lock())


def start_turn(service: PracticeService, user: UserRecord, live: LiveSession, text: str,
               *, stream: bool) -> TurnJob:
    """Start answering `text` in the background and return at once."""
    job = TurnJob(text=text, start_len=len(live.turns))

    def run() -> None:
        lock = _session_lock(live)
        try:
            with lock:
                job.outcome = service.send(user, live, text, on_delta=job.add if stream else None)
        except BaseException as exc:  # noqa: BLE001 - handed to the page, which says what happened
            job.error = exc
        finally:
            job._done.set()

    threading.Thread(target=run, name=f"trainer-turn-{live.id}", daemon=True).start()
    return job
