"""Practice page: pick a couple, hold the first session, end it to get the report.

Inside a workshop the facilitator decides: only the workshop's couples are
offered, its mode and rubric apply, and each session is recorded as played there.
"""

from __future__ import annotations

import logging

import streamlit as st

from trainer.errors import TrainerError
from trainer.personas import Couple
from trainer.practice import LiveSession, md_escape
from trainer.rubrics import DEFAULT_RUBRIC_ID
from trainer.store import ConcurrentUpdate, NotFound, latest_unfinished_session, viewer_for
from trainer.webapp import state
from trainer.webapp.components import picker, session_view
from trainer.webapp.components.chat import render_turn
from trainer.webapp.components.workshop_standing import render_standing
from trainer.webapp.identity import require_user
from trainer.webapp.resources import couples, get_service
from trainer.webapp.workshop_practice import (
    allowed_couples,
    record_started_session,
    workshop_for_practice,
)

log = logging.getLogger(__name__)
CHAT_HEIGHT = 620  # px: the conversation scrolls, the side panel stays in view
user = require_user()
service = get_service()
library: dict[str, Couple] = {couple.id: couple for couple in couples()}


def show_flash() -> None:
    for key, show in ((state.FLASH, st.info), (state.ERROR, st.warning)):
        message = st.session_state.pop(key, None)
        if message:
            show(message)


def resume(session_id: str) -> None:
    try:
        st.session_state[state.LIVE] = service.resume(user, session_id)
    except (TrainerError, NotFound) as exc:
        st.session_state[state.ERROR] = str(exc)
    except Exception:  # never a traceback in front of a trainee
        log.exception("resume failed")
        st.session_state[state.ERROR] = "That session could not be resumed; its turns are kept."
    st.rerun()


def picker_view() -> None:
    workshop = workshop_for_practice(service.store, user)
    offered = allowed_couples(library, workshop)
    st.title("Practice")
    st.write("Choose a couple for a first session. You lead; they respond the way real clients do.")
    if workshop is not None:
        st.caption(f":material/groups: **{md_escape(workshop.title)}** \u00b7 "
                   f"{picker.MODES.get(workshop.mode, workshop.mode)} \u00b7 set by your facilitator")
        render_standing(service.store, user, workshop)
    show_flash()
    unfinished = latest_unfinished_session(service.store, viewer_for(user))
    if unfinished and not st.session_state.get("resume-dismissed"):
        choice = picker.resume_banner(unfinished, library.get(unfinished.couple_id))
        if choice == "resume":
            resume(str(unfinished.id))
        elif choice == "dismiss":
            st.session_state["resume-dismissed"] = True
            st.rerun()
    if workshop is None:
        mode = picker.choose_mode(st.session_state.get(state.MODE, "practice"))
        st.session_state[state.MODE] = mode
    else:
        mode = workshop.mode
    if not offered:
        st.info("This workshop has no couples to practise with yet; please ask your facilitator.")
        return
    chosen = picker.couple_cards(list(offered.values()))
    if chosen:
        try:
            with st.spinner("The couple is taking their seats\u2026"):
                rubric_id = workshop.rubric_id if workshop else DEFAULT_RUBRIC_ID
                live = service.start(user, chosen, mode=mode, rubric_id=rubric_id)
                st.session_state[state.LIVE] = live
                record_started_session(service.store, user, live.id)  # the facilitator sees it
        except Exception as exc:  # never a traceback in front of a trainee
            log.exception("start failed")
            st.session_state[state.ERROR] = (
                str(exc) if isinstance(exc, TrainerError) else "The session could not start; please try again."
            )
        st.rerun()


def end(live: LiveSession) -> None:
    try:
        with st.spinner("Scoring your session\u2026"):
            record = service.end(user, live)
    except ConcurrentUpdate as exc:
        st.session_state.pop(state.LIVE, None)
        st.session_state[state.ERROR] = str(exc)
        st.rerun()
    except TrainerError as exc:
        st.warning(str(exc))
        return
    except Exception:  # never a traceback in front of a trainee
        log.exception("ending the session failed")
        st.error("Scoring did not work this time. Your session is saved; please try ending it again.")
        return
    st.session_state.pop(state.LIVE, None)
    st.session_state[state.REPORT] = str(record.id)
    st.switch_page(state.PAGES["report"], query_params={"session": str(record.id)})


def send(live: LiveSession, prompt: str, sink: session_view.ChatStream | None) -> list[tuple[str, str]]:
    """Answer and store one message; returns (kind, text) notes to show under the header."""
    try:
        outcome = service.send(user, live, prompt, on_delta=sink)
    except ConcurrentUpdate as exc:
        st.session_state.pop(state.LIVE, None)
        st.session_state[state.ERROR] = f"{exc}. Resume it to carry on."
        st.rerun()
    except TrainerError as exc:
        return [("warning", str(exc))]
    except Exception:  # never a traceback in front of a trainee
        log.exception("practice turn failed")
        return [("error", "Something went wrong with that turn; it was not saved. Please try again.")]
    return [("warning", outcome.message)] if outcome.message else []  # notices: live.notices


def session_page(live: LiveSession) -> None:
    prompt = st.chat_input("Speak to the couple\u2026", key="chat")
    top, notes_area = st.container(), st.container()  # filled once the turn is answered
    chat, side = st.columns([7, 3], gap="large")
    with chat:
        chat_log = st.container(height=CHAT_HEIGHT, border=True, autoscroll=True, key="chat-log")
    shown = len(live.turns)
    with chat_log:
        session_view.conversation(live)
    cleaned, refusal = service.check(prompt)
    notes: list[tuple[str, str]] = [("warning", refusal)] if refusal else []
    if cleaned and not refusal:
        with chat_log:
            fresh = st.empty()
            with fresh.container():
                render_turn("therapist", cleaned, None, live.couple.names)
            sink = session_view.ChatStream(st.empty(), live.couple.names) if live.is_llm else None
            notes = send(live, cleaned, sink)
            fresh.empty()
            if sink is not None:
                sink.slot.empty()
            with fresh.container():
                session_view.conversation(live, shown, reveal=live.is_llm and not (sink and sink.streamed))
    with top:
        if session_view.header(live):
            end(live)
    with notes_area:
        show_flash()
        for notice in live.notices:
            st.info(md_escape(notice), icon=":material/sync_problem:")
        live.notices.clear()
        for kind, text in notes:
            getattr(st, kind)(text)
    with side:
        session_view.side_panel(live)


live: LiveSession | None = st.session_state.get(state.LIVE)
if live is None:
    picker_view()
else:
    session_page(live)
