"""Things loaded once per server process, not on every rerun (st.cache_resource).

The database is opened (and migrated) on first use. If that fails, the
failure is remembered for a few seconds as a `StoreUnavailable` carrying the
sentence to show, so pages that need no database are not slowed down by
retrying on every click, and the next try after that may find it back.
"""

from __future__ import annotations

import logging
import threading
import time

import streamlit as st

from trainer.errors import TrainerError
from trainer.faults import Fault, describe
from trainer.personas import Couple
from trainer.practice import Backends, PracticeService, active_backends
from trainer.practice.library import CoupleLibrary, load_library
from trainer.rubrics import Rubric, list_rubrics
from trainer.store import Store, database_url, open_store, redacted_url
from trainer.store.db import connect_timeout, statement_timeout

log = logging.getLogger(__name__)
RETRY_AFTER = 10.0  # seconds a failed database stays failed before the next try
_failed: dict[str, tuple[float, StoreUnavailable]] = {}
_failed_lock = threading.Lock()


class StoreUnavailable(TrainerError):
    """The database cannot be used right now; `fault` says why in plain words."""

    def __init__(self, fault: Fault) -> None:
        self.fault = fault
        super().__init__(fault.text)


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return open_store(url)  # applies pending migrations once per process


def describe_store_error(exc: BaseException, url: str | None = None) -> Fault:
    """The sentence for a database failure, naming the database without its password."""
    url = url or database_url()
    try:
        where = redacted_url(url)
    except Exception:  # noqa: BLE001 - an unparsable URL is named as given, minus any password
        where = url.split("@")[-1]
    seconds = connect_timeout() if "connect" in str(exc).lower() else statement_timeout()
    return describe(exc, where=where, seconds=seconds)


def get_store() -> Store:
    """The database for the configured URL (migrated on first use), or StoreUnavailable."""
    url = database_url()
    with _failed_lock:
        failed = _failed.get(url)
    if failed and time.monotonic() - failed[0] < RETRY_AFTER:
        raise failed[1]
    try:
        store = _store(url)
    except Exception as exc:  # noqa: BLE001 - every start-up fault becomes a sentence
        fault = describe_store_error(exc, url)
        log.error("database unavailable (%s): %s", fault.key, fault.detail)
        error = StoreUnavailable(fault)
        with _failed_lock:
            _failed[url] = (time.monotonic(), error)
        raise error from None
    with _failed_lock:
        _failed.pop(url, None)
    return store


def store_or_none() -> Store | None:
    """The database if it can be used right now (for what works without it too)."""
    try:
        return get_store()
    except StoreUnavailable:
        return None


@st.cache_resource(show_spinner=False)
def _backends(url: str) -> Backends:
    return active_backends()


def backends() -> Backends:
    """Which engine and judge this server runs with (read once, beside its database)."""
    return _backends(database_url())


@st.cache_resource(show_spinner=False)
def _service(url: str) -> PracticeService:
    return PracticeService(_store(url), _backends(url))


def get_service() -> PracticeService:
    get_store()  # says why, in words, when the database cannot be used
    return _service(database_url())


@st.cache_resource(show_spinner=False)
def couple_library() -> CoupleLibrary:
    """The persona library (read once; restart the server after editing a persona).

    A broken file leaves out that couple only (see `CoupleLibrary.broken`).
    """
    return load_library()


def couples() -> list[Couple]:
    return couple_library().couples


@st.cache_resource(show_spinner=False)
def rubrics() -> list[Rubric]:
    return list_rubrics()


def _warm() -> None:
    """Import and validate one chart ahead of time (the first report then opens fast) and load the
    sentence encoder the turn analysis uses (the first practice turn then answers at once)."""
    from trainer.practice.report import StatePoint
    from trainer.webapp.components.charts import state_chart

    chart = state_chart([StatePoint(1, "A", "openness", 1.0)], ["A"])
    if chart is not None:
        chart.to_dict()
    try:
        from trainer.encoder import get_encoder

        get_encoder().encode(["warm up"])
    except Exception as exc:  # noqa: BLE001 - a missing model is reported where it is needed, as one line
        logging.getLogger(__name__).info("sentence encoder not warmed up: %s", exc)


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Once per server process, in the background (nobody waits for it)."""
    thread = threading.Thread(target=_warm, name="trainer-warm-up", daemon=True)
    thread.start()
    return thread
