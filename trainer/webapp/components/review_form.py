"""The supervisor's review of one session: evaluator's card beside the override controls.

The review version shown is remembered in the browser session when the review
is first opened, not re-read on every rerun: saving sends it back, so a save
made over someone else's newer one is refused (and said so) instead of
silently undoing it.
"""

from __future__ import annotations

import uuid

import streamlit as st

from trainer.practice import ReportView, md_escape
from trainer.review import (
    OverrideChange,
    ReviewConflict,
    ReviewError,
    ReviewView,
    load_review,
    review_history,
    save_review,
)
from trainer.review.audit_text import audit_sentence
from trainer.store.access import Viewer
from trainer.store.db import Store
from trainer.webapp.components.report_view import criterion_card, transcript_section

KEEP = "keep"


def _version_key(session_id: uuid.UUID) -> str:
    return f"review-version-{session_id}"


def shown_version(store: Store, viewer: Viewer, session_id: uuid.UUID) -> tuple[ReviewView, int]:
    """The current review, and the version this browser session is editing from."""
    review = load_review(store, viewer, session_id)
    key = _version_key(session_id)
    if key not in st.session_state:
        st.session_state[key] = review.version
    return review, int(st.session_state[key])


def forget_version(session_id: uuid.UUID) -> None:
    st.session_state.pop(_version_key(session_id), None)


def _score_label(option: object, evaluator: int | None) -> str:
    return f"Keep the evaluator's ({evaluator})" if option == KEEP else f"{option} / 3"


def review_form(store: Store, viewer: Viewer, view: ReportView, session_id: uuid.UUID) -> None:
    review, editing = shown_version(store, viewer, session_id)
    if review.version != editing:
        st.warning("Another reviewer has saved changes since you opened this review. "
                   "Saving now would be refused; reload to see their changes.",
                   icon=":material/sync_problem:")
    if st.button("Reload the latest review", icon=":material/refresh:", key=f"reload-{session_id}"):
        forget_version(session_id)
        st.rerun()
    status = "Reviewed" if review.reviewed else "Not reviewed yet"
    if review.reviewed and review.reviewed_by:
        status += f" by {md_escape(review.reviewed_by)}"
    st.caption(f"{status} \u00b7 version {review.version}")
    with st.form(f"review-{session_id}-{editing}", border=False):
        changes: dict[str, OverrideChange] = {}
        for criterion in view.criteria:
            criterion_card(view, criterion, key="review")
            current = review.overrides.get(criterion.id)
            options: list[object] = [KEEP, 0, 1, 2, 3]
            left, right = st.columns([1, 2])
            choice = left.selectbox(
                "Your score", options, index=options.index(current.score) if current else 0,
                format_func=lambda o, e=criterion.score: _score_label(o, e),
                key=f"score-{session_id}-{editing}-{criterion.id}",
            )
            comment = right.text_area(
                "Why (shown to the trainee)", value=current.comment or "" if current else "",
                max_chars=4000, height=80, key=f"why-{session_id}-{editing}-{criterion.id}",
            )
            if choice == KEEP:
                if current is not None:
                    changes[criterion.id] = OverrideChange(None)
            else:
                changes[criterion.id] = OverrideChange(int(choice), comment)  # type: ignore[arg-type]
        overall = st.text_area("Overall comment for the trainee", value=review.overall_comment or "",
                               max_chars=4000, key=f"overall-{session_id}-{editing}")
        done = st.checkbox("Mark as reviewed: the trainee sees your feedback, and your scores become "
                           "the official ones in their report, progress and every export",
                           value=review.reviewed,
                           key=f"done-{session_id}-{editing}")
        submitted = st.form_submit_button("Save review", type="primary", icon=":material/save:")
    if submitted:
        try:
            saved = save_review(store, viewer, session_id, expected_version=editing,
                                overrides=changes, overall_comment=overall, reviewed=done)
        except ReviewConflict as exc:
            st.error(str(exc), icon=":material/sync_problem:")
        except ReviewError as exc:
            st.error(str(exc))
        else:
            st.session_state[_version_key(session_id)] = saved.version
            st.toast("Review saved.", icon=":material/check:")
            st.rerun()
    transcript_section(view, key="review")
    with st.expander("History of this review"):
        entries = review_history(store, viewer, session_id)
        if not entries:
            st.caption("No changes yet.")
        titles = {c.id: c.title for c in view.criteria}
        for entry in entries:
            st.markdown(f"- {md_escape(audit_sentence(entry, titles))}")
