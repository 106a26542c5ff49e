"""What the practice page needs when a participant practises inside a workshop.

How the practice page (trainer/webapp/pages/practice.py) uses them:

    workshop = workshop_for_practice(store, user)
    library = allowed_couples(library, workshop)        # only the workshop's couples
    mode = workshop.mode if workshop else chosen_mode    # the facilitator decides
    live = service.start(user, couple_id, mode=mode, rubric_id=workshop.rubric_id ...)
    record_started_session(store, user, live.id)         # the facilitator sees it

A workshop seat's sessions are the facilitator's to see anyway (trainer.authz);
tagging matters for trainees who joined with their own account, whose other
sessions stay private.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TypeVar

from trainer.errors import TrainerError
from trainer.store.access import NotFound, Viewer
from trainer.store.db import Store
from trainer.store.records import UserRecord
from trainer.webapp.auth import active_workshop
from trainer.workshops.service import WorkshopInfo, get_workshop, tag_session

T = TypeVar("T")


def workshop_for_practice(store: Store, user: UserRecord) -> WorkshopInfo | None:
    """The workshop this browser session practises in, if any (and if still visible)."""
    workshop_id = active_workshop()
    if workshop_id is None:
        return None
    try:
        return get_workshop(store, Viewer(user.id, user.role), workshop_id, manage=False)
    except NotFound:
        return None


def allowed_couples(library: Mapping[str, T], workshop: WorkshopInfo | None) -> dict[str, T]:
    """The couples to offer: all of them, or the workshop's (in the facilitator's order)."""
    if workshop is None:
        return dict(library)
    return {cid: library[cid] for cid in workshop.couples if cid in library}


def record_started_session(store: Store, user: UserRecord, session_id: uuid.UUID) -> bool:
    """Mark a session as played in the active workshop; False when there is none."""
    workshop_id = active_workshop()
    if workshop_id is None:
        return False
    try:
        tag_session(store, Viewer(user.id, user.role), session_id, workshop_id)
    except (NotFound, TrainerError):
        return False
    return True
