"""One source of truth: the stored session decides; a tab's copy is checked against it.

Every action (send, end) first compares the tab's copy (its version) with the
store, and writes only if nobody wrote in between. When another tab or app
instance got there first, the tab learns it as an exception that carries the
session as stored, so the page can show it and keep the trainee's text.
"""

from __future__ import annotations

from trainer.practice.live import LiveSession
from trainer.practice.notices import notice
from trainer.store import (
    ConcurrentUpdate,
    SessionRecord,
    Store,
    UserRecord,
    get_session,
    viewer_for,
)


class SessionMoved(ConcurrentUpdate):
    """Another tab or instance added to this session since this tab last saw it."""

    def __init__(self, record: SessionRecord) -> None:
        self.record = record
        super().__init__(notice("moved"))


class SessionWasEnded(ConcurrentUpdate):
    """The session was ended elsewhere; its report is the place to go."""

    def __init__(self, record: SessionRecord) -> None:
        self.record = record
        super().__init__(notice("ended"))


def stored_session(store: Store, user: UserRecord, live: LiveSession, *,
                   with_turns: bool = False) -> SessionRecord:
    """The session as stored; raises when it was ended elsewhere."""
    record = get_session(store, viewer_for(user), live.id, with_turns=with_turns)
    if record.is_completed:
        raise SessionWasEnded(record)
    return record


def ensure_current(store: Store, user: UserRecord, live: LiveSession) -> SessionRecord:
    """The stored session, if this tab's copy is still current; else SessionMoved/SessionWasEnded."""
    record = stored_session(store, user, live)
    if record.version != live.version or record.turn_count != len(live.turns):
        raise SessionMoved(get_session(store, viewer_for(user), live.id))
    return record


def moved_or_ended(store: Store, user: UserRecord, live: LiveSession) -> ConcurrentUpdate:
    """After a write lost a race: the right exception, carrying the session as stored now."""
    record = get_session(store, viewer_for(user), live.id)
    return SessionWasEnded(record) if record.is_completed else SessionMoved(record)
