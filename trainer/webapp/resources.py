"""Things loaded once per server process, not on every rerun (st.cache_resource)."""

from __future__ import annotations

import threading

import streamlit as st

from trainer.personas import Couple, list_couples
from trainer.practice import PracticeService, active_backends
from trainer.rubrics import Rubric, list_rubrics
from trainer.store import Store, database_url, open_store


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return open_store(url)  # applies pending migrations once per process


def get_store() -> Store:
    """The database for the configured URL (migrated on first use)."""
    return _store(database_url())


@st.cache_resource(show_spinner=False)
def _service(url: str) -> PracticeService:
    return PracticeService(_store(url), active_backends())


def get_service() -> PracticeService:
    return _service(database_url())


@st.cache_resource(show_spinner=False)
def couples() -> list[Couple]:
    """The persona library (read once; restart the server after editing a persona)."""
    return list_couples()


@st.cache_resource(show_spinner=False)
def rubrics() -> list[Rubric]:
    return list_rubrics()


def _warm() -> None:
    """Import and validate one chart ahead of time: the first report then opens fast."""
    from trainer.practice.report import StatePoint
    from trainer.webapp.components.charts import state_chart

    chart = state_chart([StatePoint(1, "A", "openness", 1.0)], ["A"])
    if chart is not None:
        chart.to_dict()


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Once per server process, in the background (nobody waits for it)."""
    thread = threading.Thread(target=_warm, name="trainer-warm-up", daemon=True)
    thread.start()
    return thread
