"""Practice page: pick a couple, hold the first session, end it to get the report.

Inside a workshop the facilitator decides: only the workshop's couples are
offered, its mode and rubric apply, and each session is recorded as played there.

Each message is answered by a `TurnJob` in the background, so a click, a
second message, a page change or a closed tab cannot cut a turn in half: the
page only follows the job, and Streamlit's stop/rerun exceptions (which it
raises at the page's next call) end the following, never the turn.
"""

from __future__ import annotations

import logging

import streamlit as st

try:  # where Streamlit keeps its stop/rerun exceptions (BaseException: `except Exception` misses them)
    from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException
except ImportError:  # older Streamlit
    from streamlit.runtime.scriptrunner.exceptions import ScriptControlException  # type: ignore[no-redef]

from trainer.errors import InputFileError, TrainerError
from trainer.faults import describe
from trainer.personas import Couple
from trainer.practice import LiveSession, md_escape
from trainer.practice.notices import notice
from trainer.practice.sync import SessionMoved, SessionWasEnded
from trainer.practice.turnjob import TurnJob, start_turn
from trainer.rubrics import DEFAULT_RUBRIC_ID
from trainer.store import ConcurrentUpdate, NotFound, latest_unfinished_session, viewer_for
from trainer.webapp import state
from trainer.webapp.components import picker, session_view
from trainer.webapp.components.chat import render_turn
from trainer.webapp.components.fault_view import from_database
from trainer.webapp.components.workshop_standing import render_standing
from trainer.webapp.identity import require_user
from trainer.webapp.resources import couple_library, get_service
from trainer.webapp.workshop_practice import (
    allowed_couples,
    record_started_session,
    workshop_for_practice,
)

log = logging.getLogger(__name__)
CHAT_HEIGHT = 620  # px: the conversation scrolls, the side panel stays in view
POLL = 0.1  # seconds between looks at the turn being answered
user = require_user()
service = get_service()
catalogue = couple_library()
library: dict[str, Couple] = catalogue.by_id()


def show_flash() -> None:
    for key, show in ((state.FLASH, st.info), (state.ERROR, st.warning)):
        message = st.session_state.pop(key, None)
        if message:
            show(message)
    ended = st.session_state.pop(state.ENDED, None)
    if ended:
        st.session_state[state.REPORT] = ended
        st.page_link(state.PAGES["report"], label="Open its report", icon=":material/description:")


def broken_couples() -> None:
    """Couples left out because their file is broken: details for whoever runs the app."""
    if not catalogue.broken:
        return
    if user.role == "admin" or not _accounts_in_use():
        with st.expander(f":material/warning: {len(catalogue.broken)} couple file(s) could not be loaded"):
            for problem in catalogue.broken:
                name = problem.path.replace("\\", "/").rsplit("/", 1)[-1]
                st.markdown(f"**{md_escape(name)}**: {md_escape(problem.problem)}")
                st.caption(md_escape(problem.path))
            st.caption("Those couples are not offered until their files are fixed and the app restarted.")
    else:
        st.caption(":material/info: Some couples are unavailable right now; an administrator can see why.")


def _accounts_in_use() -> bool:
    from trainer.webapp.roles_nav import accounts_required

    return accounts_required(service.store)


def resume(session_id: str) -> None:
    try:
        live = service.resume(user, session_id)
        for key in (state.JOB, state.QUEUE, state.RESTORE, state.NOTES):
            st.session_state.pop(key, None)
        st.session_state[state.LIVE] = live
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
    broken_couples()
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
                for key in (state.JOB, state.QUEUE, state.RESTORE, state.NOTES):
                    st.session_state.pop(key, None)  # nothing of an earlier session carries over
                st.session_state[state.LIVE] = live
                record_started_session(service.store, user, live.id)  # the facilitator sees it
        except Exception as exc:  # never a traceback in front of a trainee
            log.exception("start failed")
            if isinstance(exc, InputFileError) or from_database(exc):
                st.session_state[state.ERROR] = describe(exc).text  # e.g. a broken rubric file
            else:
                st.session_state[state.ERROR] = (
                    str(exc) if isinstance(exc, TrainerError) else "The session could not start; please try again.")
        st.rerun()


# --- the session ----------------------------------------------------------------


def queue_message() -> None:
    """on_submit of the chat box (runs before the page): check the text, then queue it.

    A refused message goes back into the box so the trainee can edit it.
    """
    text = st.session_state.get(state.CHAT) or ""
    cleaned, refusal = service.check(text)
    if refusal:
        _note("warning" if cleaned else "info", refusal)  # nothing to send is a gentle note
        if cleaned:
            st.session_state[state.RESTORE] = text
        return
    st.session_state.setdefault(state.QUEUE, []).append(cleaned)


def _note(kind: str, text: str) -> None:
    st.session_state.setdefault(state.NOTES, []).append((kind, text))


def give_back(*texts: str) -> None:
    """Put unsent text back into the chat box (shown on the next run)."""
    unsent = [t for t in (*texts, *st.session_state.pop(state.QUEUE, [])) if t]
    if unsent:
        st.session_state[state.RESTORE] = "\n\n".join(unsent)


def end(live: LiveSession) -> None:
    try:
        with st.spinner("Scoring your session\u2026"):
            record = service.end(user, live)
    except SessionWasEnded as exc:
        ended_elsewhere(exc)
    except SessionMoved as exc:
        moved_on(exc, "")
    except ConcurrentUpdate as exc:
        st.session_state.pop(state.LIVE, None)
        st.session_state[state.ERROR] = str(exc)
        st.rerun()
    except TrainerError as exc:
        st.warning(str(exc))
        return
    except Exception:  # never a traceback in front of a trainee
        log.exception("ending the session failed")
        st.error(notice("score_failed"))
        return
    if record.turn_count != len(live.turns):
        st.session_state[state.FLASH] = notice("ended_stale", turns=record.turn_count)
    st.session_state.pop(state.LIVE, None)
    st.session_state[state.REPORT] = str(record.id)
    st.switch_page(state.PAGES["report"], query_params={"session": str(record.id)})


def moved_on(exc: SessionMoved, text: str) -> None:
    """Another tab moved the session on: show it as stored, keep the trainee's words."""
    try:
        st.session_state[state.LIVE] = service.resume(user, exc.record.id)
    except Exception:
        log.exception("reloading a moved session failed")
        st.session_state.pop(state.LIVE, None)
    give_back(text)
    st.session_state[state.ERROR] = str(exc)
    st.rerun()


def ended_elsewhere(exc: SessionWasEnded) -> None:
    st.session_state.pop(state.LIVE, None)
    st.session_state.pop(state.QUEUE, None)
    st.session_state[state.ERROR] = str(exc)
    st.session_state[state.ENDED] = str(exc.record.id)
    st.rerun()


def finish(job: TurnJob) -> None:
    """Take a finished turn's outcome: notes for the next run, or what went wrong, in words."""
    st.session_state.pop(state.JOB, None)
    error = job.error
    if isinstance(error, SessionWasEnded):
        ended_elsewhere(error)
    if isinstance(error, SessionMoved):
        moved_on(error, job.text)
    if error is not None:
        log.error("practice turn failed; nothing of it was stored", exc_info=error)
        give_back(job.text)
        _note("error", notice("store_down" if from_database(error) else "turn_failed"))
        return
    if job.outcome is not None and job.outcome.message:
        _note("warning", job.outcome.message)
        if job.outcome.keep_text:
            give_back(job.text)


def follow(job: TurnJob, live: LiveSession) -> None:
    """Show the turn being answered, its words as they stream, until it is stored."""
    render_turn("therapist", job.text, None, live.couple.names)
    sink = session_view.ChatStream(st.empty(), live.couple.names)
    status = st.empty()
    for waiting in st.session_state.get(state.QUEUE, []):
        render_turn("therapist", waiting, None, live.couple.names)
        st.caption(f":material/schedule_send: {notice('busy')}")
    seen, shown_second = 0, -1
    try:
        while True:
            done = job.wait(POLL)
            for speaker, delta in job.deltas(seen):
                sink(speaker, delta)
                seen += 1
            if done:
                break
            second = int(job.elapsed())
            if second != shown_second:  # a regular call to Streamlit: where a click can land
                if sink.streamed:
                    status.empty()
                else:
                    status.caption(":material/hourglass_top: The couple is answering\u2026")
                shown_second = second
    except ScriptControlException:
        # A click, a new message, a page change or a closed tab: only the showing stops.
        # The turn goes on in its thread and is stored whole; the next run picks it up.
        log.debug("page run interrupted while a turn was being answered; the turn continues")
        raise
    finish(job)
    st.rerun()  # draw the stored conversation, the header and the hints afresh


def session_page(live: LiveSession) -> None:
    job: TurnJob | None = st.session_state.get(state.JOB)
    if job is not None and job.done:  # finished while this page was not following it
        finish(job)
        job = None
    restore = st.session_state.pop(state.RESTORE, None)
    if restore is not None:  # before the box is drawn: unsent words go back into it
        st.session_state[state.CHAT] = restore
    st.chat_input("Speak to the couple\u2026", key=state.CHAT, on_submit=queue_message)
    if job is None and st.session_state.get(state.QUEUE):
        text = st.session_state[state.QUEUE].pop(0)
        job = start_turn(service, user, live, text, stream=live.is_llm)
        st.session_state[state.JOB] = job
    busy = job is not None
    top, notes_area = st.container(), st.container()
    chat, side = st.columns([7, 3], gap="large")
    with top:
        if session_view.header(live, busy=busy):
            end(live)
    with notes_area:
        show_flash()
        for text in live.notices:
            st.info(md_escape(text), icon=":material/sync_problem:")
        live.notices.clear()
        for kind, text in st.session_state.pop(state.NOTES, []):
            getattr(st, kind)(md_escape(text))
    with side:
        session_view.side_panel(live)
    with chat:
        chat_log = st.container(height=CHAT_HEIGHT, border=True, autoscroll=True, key="chat-log")
    with chat_log:
        session_view.conversation(live, upto=job.start_len if job else None)
        if job is not None:
            follow(job, live)


live: LiveSession | None = st.session_state.get(state.LIVE)
if live is None:
    picker_view()
else:
    session_page(live)
