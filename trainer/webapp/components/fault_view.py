"""A fault as one short screen: what is wrong, what to do; the details go to the log."""

from __future__ import annotations

import logging

import streamlit as st

from trainer.faults import Fault, describe
from trainer.practice import md_escape

log = logging.getLogger("trainer.webapp")


def show_fault(fault: Fault) -> None:
    """The whole message, and nothing technical."""
    with st.container(border=True, key="fault"):
        st.markdown(f"### :material/error: {md_escape(fault.title)}")
        st.markdown(md_escape(fault.what))
        st.markdown(f"**What to do:** {md_escape(fault.todo)}")
        st.caption("Technical details are in the server log.")


def show_exception(exc: BaseException) -> None:
    """Log `exc` in full and show its sentence (used around every page)."""
    fault: Fault | None = getattr(exc, "fault", None)
    if fault is None:
        from trainer.webapp.resources import describe_store_error

        fault = describe_store_error(exc) if from_database(exc) else describe(exc)
        log.error("page failed (%s)", fault.key, exc_info=exc)
    else:
        log.error("page unavailable (%s): %s", fault.key, fault.detail)
    show_fault(fault)


def from_database(exc: BaseException) -> bool:
    """True for SQLAlchemy, driver and migration errors (the database, not our code)."""
    names = {cls.__module__.split(".")[0] for cls in type(exc).__mro__}
    return bool(names & {"sqlalchemy", "psycopg", "sqlite3", "alembic"})
