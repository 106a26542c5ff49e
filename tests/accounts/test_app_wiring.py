"""AppTest of the real entry point (streamlit_app.py) with accounts, roles and workshops wired in.

Each role's navigation, the fresh-install display-name experience, sign-out,
what a trainee finds when typing another role's page address, the report's
supervisor feedback, and a workshop seat's restricted practice page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from tests.accounts.dbkit import person, played
from tests.review.apptest_kit import texts
from trainer import store as st
from trainer.accounts.assignments import assign_supervisor
from trainer.practice import PracticeService
from trainer.practice.config import Backends
from trainer.review import OverrideChange, save_review
from trainer.store.access import Viewer
from trainer.store.records import UserRecord
from trainer.webapp import state
from trainer.webapp.auth import AUTH_KIND, WORKSHOP
from trainer.webapp.roles_nav import BEHIND_SIGN_IN
from trainer.workshops.queries import workshop_dashboard
from trainer.workshops.service import create_workshop, join_workshop
from trainer.workshops.spec import WorkshopSpec

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
OFFLINE = Backends("offline", "offline", "offline", None, None, False)
PRACTISE = ["Practice", "Report", "Progress"]
TOOLS = ["Score a transcript", "Library", "Settings"]
SUPERVISE = ["Review", "Calibration"]
WORKSHOPS = ["Workshops", "Dashboard"]
SAY = [
    "Welcome, both of you. What brings you in today?",
    "When you go quiet, it sounds like a way to keep things from blowing up. That makes sense.",
    "How are touch and affection going between you these days?",
]


def app(viewer: Viewer | None = None, name: str = "Someone", **state_values: object) -> AppTest:
    """The real app in a new browser session, signed in as `viewer` (None: nobody yet)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if viewer is not None:
        at.session_state[state.USER] = UserRecord(
            id=viewer.user_id, display_name=name, role=viewer.role, created_at=datetime.now(UTC))
        at.session_state[AUTH_KIND] = "password"
    for key, value in state_values.items():
        at.session_state[key] = value
    return at.run()


def nav(at: AppTest) -> list[str]:
    """Titles of the pages the sidebar lists on the last run.

    Signed out, the pages people share links to are registered too, hidden from
    the menu (they show the sign-in form); they come after the listed ones.
    """
    titles = [info["page_name"] for info in at._registered_pages.values()]
    if titles[:2] == ["Sign in", "Join a workshop"]:
        assert titles[2:] == list(BEHIND_SIGN_IN.values())
        return titles[:2]
    return titles


def by_url(at: AppTest, url_path: str) -> AppTest:
    """Open a page by its address, as a browser does (st.Page hashes the URL path)."""
    at._page_hash = calc_hash(url_path)
    return at.run()


def test_a_fresh_install_needs_no_account(app_db: str, store: st.Store) -> None:
    at = app()
    assert nav(at) == PRACTISE + TOOLS  # no sign-in, no account pages
    assert "Welcome" in texts(at)
    at.text_input[0].input("Ana")
    at.button[0].click().run()
    assert not at.exception and at.session_state[state.USER].role == "trainee"
    assert "Practice" in [t.value for t in at.title]
    assert at.sidebar.button(key="sign-out").label == "Switch person"


def test_once_an_account_exists_visitors_sign_in_first(app_db: str, store: st.Store) -> None:
    person(store, "ana")
    at = app()
    assert nav(at) == ["Sign in", "Join a workshop"]
    assert "Sign in" in [t.value for t in at.title] and "Welcome" not in texts(at)
    for page in ("practice", "progress", "report", "review", "people", "settings", "score"):
        opened = by_url(app(), page)  # a typed address or a link: the sign-in form, nothing else
        assert [t.value for t in opened.title] == ["Sign in"], page
        assert not {"Your progress", "Choose a couple", "Database", "Language model"} & set(
            texts(opened).split("**")), page
        assert not opened.dataframe and not opened.metric


def test_a_link_opened_signed_out_opens_after_signing_in(app_db: str, store: st.Store) -> None:
    ana = person(store, "ana")
    sid = played(store, ana)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["session"] = str(sid)
    at = by_url(at, "report")
    assert "Please sign in first" in texts(at) and not at.metric
    at.text_input[0].input("ana")
    at.text_input[1].input("ana-correct-horse")
    at.button(key="FormSubmitter:local-sign-in-Sign in").click().run()
    assert not at.exception, at.exception
    assert any(m.label == "Total" for m in at.metric)  # the report the link pointed to


@pytest.mark.parametrize(("role", "extra", "lands_on"), [
    ("trainee", [], "Practice"),
    ("supervisor", SUPERVISE, "Sessions to review"),
    ("facilitator", WORKSHOPS, "Workshops"),
    ("admin", SUPERVISE + WORKSHOPS + ["People"], "Practice"),
])
def test_each_role_gets_its_pages(app_db: str, store: st.Store, role: str, extra: list[str],
                                  lands_on: str) -> None:
    at = app(person(store, "pat", role), "Pat")
    assert not at.exception, at.exception
    account = ["Account", "Join a workshop"] if role == "trainee" else ["Account"]
    assert nav(at) == PRACTISE + extra + TOOLS + account
    assert lands_on in texts(at)
    assert f"Signed in as **Pat** \u00b7 {role}" in [c.value for c in at.sidebar.caption]


def test_sign_out_from_the_sidebar(app_db: str, store: st.Store) -> None:
    at = app(person(store, "sue", "supervisor"), "Sue")
    at.sidebar.button(key="sign-out").click().run()
    assert state.USER not in at.session_state and nav(at) == ["Sign in", "Join a workshop"]


def test_a_trainee_typing_the_review_address_sees_nothing(app_db: str, store: st.Store) -> None:
    ana, ben = person(store, "ana"), person(store, "ben")
    sid = played(store, ana)
    at = app(ben, "Ben")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("trainer/webapp/pages/review.py")
    for path in ("review", "calibration", "workshops", "dashboard"):
        page = by_url(app(ben, "Ben"), path)
        assert not page.exception
        assert [t.value for t in page.title] == ["Practice"]  # the default page, not the queue
        assert "Ana" not in texts(page) and str(sid) not in texts(page)
    at.query_params["session"] = str(sid)
    report = at.switch_page("trainer/webapp/pages/report.py").run()
    assert "No such session" in texts(report) and not report.metric


def _session_with_review(store: st.Store, *, reviewed: bool):  # type: ignore[no-untyped-def]
    """Ana plays a real offline session; her supervisor Sue overrides one score and comments."""
    ana, sue = person(store, "ana"), person(store, "sue", "supervisor")
    assign_supervisor(store, sue.user_id, ana.user_id)
    service = PracticeService(store, OFFLINE)
    user = UserRecord(id=ana.user_id, display_name="Ana", role="trainee", created_at=datetime.now(UTC))
    live = service.start(user, "marc-belinda", seed=3)
    for text in SAY:
        service.send(user, live, text)
    record = service.end(user, live)
    save_review(store, sue, record.id, expected_version=0, overall_comment="Steady, <b>warm</b> pacing.",
                overrides={"validated_protective_moves": OverrideChange(3, "You named Marc's quiet.")},
                reviewed=reviewed)
    return ana, sue, record.id


@pytest.mark.parametrize("reviewed", [True, False])
def test_the_report_shows_supervisor_feedback_once_reviewed(app_db: str, store: st.Store,
                                                             reviewed: bool) -> None:
    ana, sue, sid = _session_with_review(store, reviewed=reviewed)
    at = app(ana, "Ana", **{state.REPORT: str(sid)})
    at.switch_page("trainer/webapp/pages/report.py").run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert any(m.label.startswith("Total") for m in at.metric) and "Feedback by criterion" in shown
    if not reviewed:  # a draft stays with the supervisor
        assert "Feedback from" not in shown and "Steady" not in shown
        return
    assert "Feedback from Sue" in shown and "Steady, \\<b\\>warm\\</b\\> pacing." in shown
    assert "Validated each partner's protective moves" in shown and "**3 / 3**, your supervisor's score, counts" in shown
    assert "You named Marc's quiet." in shown
    # the supervisor reading the same report sees the same feedback; another trainee nothing
    sue_at = app(sue, "Sue", **{state.REPORT: str(sid)})
    sue_at.switch_page("trainer/webapp/pages/report.py").run()
    assert "Feedback from Sue" in texts(sue_at)
    ben_at = app(person(store, "ben"), "Ben", **{state.REPORT: str(sid)})
    ben_at.switch_page("trainer/webapp/pages/report.py").run()
    assert "Steady" not in texts(ben_at) and "No such session" in texts(ben_at)


def test_a_workshop_participant_practises_on_the_facilitators_terms(app_db: str, store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    w = create_workshop(store, fay, WorkshopSpec(
        title="Thursday lab", date=date(2026, 11, 26), couples=["ruth-harold", "jen-rosa"],
        rubric_id="eft-first-session", mode="assessment"))
    seat = join_workshop(store, w.join_code, "Pia")
    at = app(seat.viewer, "Pia", **{WORKSHOP: w.id, AUTH_KIND: "seat"})
    assert not at.exception, at.exception
    starts = [b.key for b in at.button if (b.key or "").startswith("start-")]
    assert starts == ["start-ruth-harold", "start-jen-rosa"]  # only the workshop's, in its order
    assert not at.segmented_control  # the facilitator chose the mode
    assert any("Thursday lab" in c.value and "Assessment" in c.value for c in at.caption)
    at.button(key="start-jen-rosa").click().run()
    live = at.session_state[state.LIVE]
    assert live.mode == "assessment" and live.rubric.id == w.rubric_id and live.couple.id == "jen-rosa"
    board = workshop_dashboard(store, fay, w.id)  # tagged: the facilitator sees it at once
    assert (board.participants, board.sessions_in_progress) == (1, 1)
    # the same trainee outside a workshop: every couple, and the mode is theirs to choose
    solo = app(person(store, "cy"), "Cy")
    assert len([b for b in solo.button if (b.key or "").startswith("start-")]) == 6
    assert solo.segmented_control


def test_progress_is_ones_own_practice_whatever_the_role(app_db: str, store: st.Store) -> None:
    ana, root = person(store, "ana"), person(store, "root", "admin")
    played(store, ana)
    assert st.list_sessions_for_user(store, root) == []
    assert st.criterion_history(store, root) == [] and st.latest_unfinished_session(store, root) is None
    at = app(root, "Root")
    at.switch_page("trainer/webapp/pages/progress.py").run()
    assert "No sessions yet" in texts(at)
    own = played(store, root, complete=False)
    assert [s.id for s in st.list_sessions_for_user(store, root)] == [own]
    assert st.latest_unfinished_session(store, root).id == own
    assert len(st.list_sessions_for_user(store, ana)) == 1
