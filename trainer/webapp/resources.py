"""Things loaded once per server process, not on every rerun (st.cache_resource)."""

from __future__ import annotations

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
