"""Users: who practises. Identity is a display name for now (accounts come next)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer.cleantext import strip_controls, trim_invisible, visible
from trainer.errors import TrainerError
from trainer.store.access import Viewer
from trainer.store.convert import user_record
from trainer.store.db import Store
from trainer.store.models import User
from trainer.store.records import UserRecord

MAX_DISPLAY_NAME = 80


class InvalidName(TrainerError):
    """A display name that cannot identify anyone."""


def normalize_display_name(display_name: str) -> str:
    """Trimmed, single-spaced name; refuses empty, invisible, over-long or control-laden names."""
    raw = str(display_name or "")
    if strip_controls(raw).replace("\n", "").replace("\t", "") != raw.replace("\n", "").replace("\t", ""):
        raise InvalidName("A name can only hold letters, numbers, spaces and punctuation; "
                          "please type it again.")
    name = " ".join(trim_invisible(raw).split())
    if not name or not visible(name):
        raise InvalidName("Please enter a name.")
    if len(name) > MAX_DISPLAY_NAME:
        raise InvalidName(f"Please keep the name under {MAX_DISPLAY_NAME} characters.")
    return name


def create_user(
    store: Store, display_name: str, *, role: str = "trainee", username: str | None = None
) -> UserRecord:
    with store.transaction() as db:
        user = User(display_name=normalize_display_name(display_name), role=role, username=username)
        db.add(user)
        db.flush()
        return user_record(user)


def get_or_create_user_by_display_name(store: Store, display_name: str) -> UserRecord:
    """The user known by this display name (case-insensitive), created on first visit."""
    name = normalize_display_name(display_name)
    username = name.casefold()
    for _attempt in range(2):
        with store.transaction() as db:
            found = db.scalars(select(User).where(User.username == username)).first()
            if found is not None:
                return user_record(found)
        try:
            return create_user(store, name, username=username)
        except IntegrityError:  # created at the same moment elsewhere: read it back
            continue
    raise TrainerError("could not create the user; please try again")


def get_user(store: Store, user_id: uuid.UUID) -> UserRecord | None:
    with store.transaction() as db:
        user = db.get(User, user_id)
        return user_record(user) if user else None


def viewer_for(user: UserRecord) -> Viewer:
    return Viewer(user_id=user.id, role=user.role)


