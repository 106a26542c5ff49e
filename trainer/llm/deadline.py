"""One overall deadline per model call, not per read.

An HTTP client's timeout applies to each read, so a server that sends a byte
every few seconds can hold a request for ever. Here the blocking work runs in
a daemon thread and the caller waits on it for at most what is left of the
deadline; when time is up the caller moves on (the worker's own request
timeout, capped at the deadline, ends it soon after, and its result is dropped).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

R = TypeVar("R")
_END = object()


class DeadlineExceeded(TimeoutError):
    """The call did not finish within its overall deadline."""


class Deadline:
    """A point in monotonic time; `None` seconds means no deadline."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = None if seconds is None else clock() + max(0.0, seconds)

    def remaining(self) -> float | None:
        """Seconds left (never negative), or None without a deadline."""
        return None if self._end is None else max(0.0, self._end - self._clock())

    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0.0

    def cap(self, seconds: float) -> float:
        """`seconds`, or what is left when that is less."""
        left = self.remaining()
        return seconds if left is None else min(seconds, left)

    def check(self, what: str = "call") -> None:
        if self.expired():
            raise DeadlineExceeded(f"{what}: no time left (deadline {self.seconds:g} s)")


def call_within(fn: Callable[[], R], deadline: Deadline | None, what: str = "call") -> R:
    """`fn()`, or DeadlineExceeded when it has not returned by the deadline."""
    if deadline is None or deadline.remaining() is None:
        return fn()
    deadline.check(what)
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="trainer-llm-call", daemon=True).start()
    if not done.wait(deadline.remaining()):
        raise DeadlineExceeded(f"{what}: no answer within {deadline.seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def iterate_within(make: Callable[[], Iterable[R]], deadline: Deadline | None,
                   what: str = "stream") -> Iterator[R]:
    """Items of `make()` as they come; DeadlineExceeded once the deadline passes.

    A producer thread reads the stream; closing this generator (or the
    deadline) tells it to stop at its next item and close the stream.
    """
    if deadline is None or deadline.remaining() is None:
        yield from make()
        return
    deadline.check(what)
    items: queue.Queue[tuple[object, Any]] = queue.Queue()
    stop = threading.Event()

    def produce() -> None:
        source = None
        try:
            source = iter(make())
            for item in source:
                if stop.is_set():
                    break
                items.put((None, item))
            items.put((_END, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            items.put(("error", exc))
        finally:
            close = getattr(source, "close", None)
            if callable(close):
                with contextlib.suppress(Exception):  # best effort: the request is abandoned
                    close()

    threading.Thread(target=produce, name="trainer-llm-stream", daemon=True).start()
    try:
        while True:
            try:
                kind, value = items.get(timeout=deadline.remaining())
            except queue.Empty:
                raise DeadlineExceeded(f"{what}: not finished within {deadline.seconds:g} s") from None
            if kind is _END:
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
