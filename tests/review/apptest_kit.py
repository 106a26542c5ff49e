"""AppTest helpers: run the real pages, signed in as a given person, on the test database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from trainer.store.access import Viewer
from trainer.store.records import UserRecord
from trainer.webapp import state
from trainer.webapp.roles_nav import MINE

NAV_APP = str(Path(__file__).with_name("nav_app.py"))


def app_as(viewer: Viewer | None, name: str = "Someone", *, page: str | None = None,
           query: dict[str, str] | None = None, all_pages: bool = False) -> AppTest:
    """An AppTest of the role navigation, signed in as `viewer`, opened on `page` (a MINE key)."""
    at = AppTest.from_file(NAV_APP, default_timeout=60)
    if viewer is not None:
        at.session_state[state.USER] = UserRecord(
            id=viewer.user_id, display_name=name, role=viewer.role, created_at=datetime.now(UTC)
        )
    if all_pages:
        at.session_state["_all_pages"] = True
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(MINE[page]).run()
    return at


def texts(at: AppTest) -> str:
    """Everything the page wrote, to search for what a person would read."""
    parts = []
    for kind in ("markdown", "title", "caption", "info", "warning", "error", "success", "metric", "subheader"):
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "value", "")))
            parts.append(str(getattr(element, "label", "")))
    return "\n".join(parts)
