"""The browser's session cookie: Streamlit reads it, a small well-kept component writes it.

Streamlit gives the cookies a browser sent when it connected
(`st.context.cookies`) but has no way for a script to set one (its own
`st.login` cookie is only for OIDC; `st.App` could serve an HTTP route that
sets one, but would change how the app is served). Writing goes through
extra-streamlit-components' CookieManager, rendered only while a write is
pending: `queue_set` / `queue_delete` record the wish, and `sync()` (called
once per run by the entry script) renders the writer until the browser
confirms. The cookie holds a signed token only; whether it still opens a
session is decided on the server (`trainer.accounts.browser_sessions`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from trainer.accounts.session_settings import COOKIE_NAME

PENDING = "trainer_cookie_pending"  # {"n": int, "value": str, "expires": datetime} to write
_SEQUENCE = "trainer_cookie_seq"
_PAST = datetime(2000, 1, 1, tzinfo=UTC)


def read_token() -> str | None:
    """The token the browser sent when this tab connected (None outside a browser)."""
    try:
        value = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no client context (bare mode, some test harnesses)
        return None
    return value if isinstance(value, str) and value else None


def _queue(value: str, expires: datetime) -> None:
    number = int(st.session_state.get(_SEQUENCE, 0)) + 1
    st.session_state[_SEQUENCE] = number
    st.session_state[PENDING] = {"n": number, "value": value, "expires": expires}


def queue_set(token: str, lifetime: timedelta) -> None:
    """Ask the browser to keep `token` (written on this run's `sync()`, or the next)."""
    _queue(token, datetime.now(UTC) + lifetime)


def queue_delete() -> None:
    """Ask the browser to drop the cookie (an expiry in the past removes it)."""
    _queue("", _PAST)


def _secure() -> bool:
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001
        return False
    return isinstance(url, str) and url.startswith("https://")


def sync() -> None:
    """Render the cookie writer while a write is pending; stop once the browser confirmed it."""
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    done_key = f"trainer-cookie-write-{pending['n']}"
    if st.session_state.get(done_key) is True:
        st.session_state.pop(PENDING, None)
        return
    import extra_streamlit_components as stx  # declares its component: import only when used

    manager = stx.CookieManager(key=f"trainer-cookie-read-{pending['n']}")
    manager.set(
        COOKIE_NAME, pending["value"], key=done_key, path="/", expires_at=pending["expires"],
        same_site="lax", secure=_secure() or None,
    )
