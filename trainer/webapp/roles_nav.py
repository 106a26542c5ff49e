"""Which pages each role gets: the navigation `streamlit_app.py` hands to st.navigation.

    user = auth.sync_oidc_user() or auth.current_user()
    page = st.navigation(pages_for(user, accounts=accounts_required(get_store())))

Showing a page is a convenience, not a permission: every page still reads
through `trainer.authz`, so a page reached by URL shows nothing it shouldn't.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from sqlalchemy import func, select

from trainer.accounts.oidc import is_oidc_configured
from trainer.paths import PROJECT_ROOT
from trainer.store.account_models import Account
from trainer.store.db import Store
from trainer.store.records import UserRecord
from trainer.webapp import state

# Absolute paths: st.Page and st.page_link resolve them the same way whichever
# script is the entry point (the app, or a test harness elsewhere).
_PAGES_DIR = Path(__file__).resolve().parent / "pages"
MINE = {
    "sign_in": str(_PAGES_DIR / "sign_in.py"),
    "join": str(_PAGES_DIR / "join.py"),
    "review": str(_PAGES_DIR / "review.py"),
    "calibration": str(_PAGES_DIR / "calibration.py"),
    "workshops": str(_PAGES_DIR / "workshop_admin.py"),
    "dashboard": str(_PAGES_DIR / "workshop_dashboard.py"),
    "people": str(_PAGES_DIR / "people.py"),
}


def app_page(name: str) -> str:
    """Absolute path of one of the practice app's pages (`state.PAGES`)."""
    return str(PROJECT_ROOT / state.PAGES[name])


BEHIND_SIGN_IN = {
    app_page("practice"): "Practice", app_page("report"): "Report", app_page("progress"): "Progress",
    MINE["review"]: "Review", MINE["calibration"]: "Calibration", MINE["workshops"]: "Workshops",
    MINE["dashboard"]: "Dashboard", MINE["people"]: "People",
}


def accounts_required(store: Store) -> bool:
    """Sign-in is required once any account exists or an identity provider is configured.

    Before that (a fresh single-user install), the practice app's display-name
    identity keeps working exactly as it did.
    """
    if is_oidc_configured():
        return True
    with store.transaction() as db:
        count = db.scalar(
            select(func.count()).select_from(Account).where(Account.workshop_id.is_(None))
        )
    return bool(count)


def landing_page(role: str) -> str:
    """Where a role starts after signing in: the queue, the workshops, or practice."""
    return {"supervisor": MINE["review"], "facilitator": MINE["workshops"]}.get(
        role, app_page("practice")
    )


def _page(path: str, title: str, icon: str, *, default: bool = False) -> st.Page:
    return st.Page(path, title=title, icon=icon, default=default)


def _behind_sign_in() -> list[st.Page]:
    """The pages people share links to, hidden from the menu: opened signed out, each shows
    the sign-in form (it asks for a signed-in user first) and then itself. Only pages
    that do ask are listed; the tools stay out of reach until sign-in."""
    return [st.Page(path, title=title, visibility="hidden") for path, title in BEHIND_SIGN_IN.items()]


def review_title(awaiting: int) -> str:
    """'Review', or 'Review (3)' while sessions wait for the supervisor."""
    return f"Review ({awaiting})" if awaiting > 0 else "Review"


def pages_for(
    user: UserRecord | None, *, accounts: bool = True, awaiting: int = 0
) -> dict[str, list[st.Page]]:
    """Navigation sections for the signed-in user's role (sign-in and join when nobody is).

    `awaiting`: sessions waiting for this reviewer, shown in the Review page's title.
    """
    if user is None and accounts:
        return {"": [
            _page(MINE["sign_in"], "Sign in", ":material/login:", default=True),
            _page(MINE["join"], "Join a workshop", ":material/group_add:"),
            *_behind_sign_in(),
        ]}
    role = user.role if user else "trainee"
    lands_on = {"supervisor": "review", "facilitator": "workshops"}.get(role)
    sections: dict[str, list[st.Page]] = {"Practise": [
        _page(app_page("practice"), "Practice", ":material/forum:", default=lands_on is None),
        _page(app_page("report"), "Report", ":material/description:"),
        _page(app_page("progress"), "Progress", ":material/timeline:"),
    ]}
    if role in ("supervisor", "admin"):
        sections["Supervise"] = [
            _page(MINE["review"], review_title(awaiting), ":material/rate_review:",
                  default=lands_on == "review"),
            _page(MINE["calibration"], "Calibration", ":material/balance:"),
        ]
    if role in ("facilitator", "admin"):
        sections["Workshops"] = [
            _page(MINE["workshops"], "Workshops", ":material/groups:", default=lands_on == "workshops"),
            _page(MINE["dashboard"], "Dashboard", ":material/monitoring:"),
        ]
    if role == "admin":
        sections["Administration"] = [_page(MINE["people"], "People", ":material/manage_accounts:")]
    sections["Tools"] = [
        _page(app_page("score"), "Score a transcript", ":material/upload_file:"),
        _page(app_page("library"), "Library", ":material/menu_book:"),
        _page(app_page("settings"), "Settings", ":material/tune:"),
    ]
    if accounts:
        sections["Account"] = [_page(MINE["sign_in"], "Account", ":material/account_circle:")]
        if role == "trainee":
            sections["Account"].append(_page(MINE["join"], "Join a workshop", ":material/group_add:"))
    return sections
