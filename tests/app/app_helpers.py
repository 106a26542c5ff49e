"""Helpers for the app tests (a module of its own so test files can import it)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "streamlit_app.py"


def new_app() -> AppTest:
    """A fresh browser session on the app (a new AppTest = a new visitor or a restart)."""
    return AppTest.from_file(str(APP), default_timeout=60)


def sign_in(at: AppTest, name: str = "Ana") -> AppTest:
    at.run()
    at.text_input[0].input(name)
    at.button[0].click()
    return at.run()


def no_problems(at: AppTest) -> None:
    """No exception element, i.e. no traceback shown to the user."""
    assert not at.exception, [e.value for e in at.exception]


def texts(at: AppTest) -> str:
    """Everything markdown/caption/alerts show, as one string for `in` checks."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [a.value for kind in (at.info, at.warning, at.error, at.success) for a in kind]
    parts += [t.value for t in at.title] + [h.value for h in at.subheader]
    return "\n".join(parts)
