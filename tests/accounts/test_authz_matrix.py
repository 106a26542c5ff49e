"""Every role tries every other role's data: by listing, by session id, by workshop, by export.

The world: trainees Ana, Ben, Cy (Cy joins Fay's workshop with his account, plays one
session there and one privately); supervisor Sue (assigned Ana), supervisor Tom
(cohort with Ben); facilitators Fay (workshop W, seat Pia) and Gus (workshop W2,
seat Quinn); an admin. Each viewer must see exactly their share, nothing more.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from tests.accounts.dbkit import person, played
from trainer import store as st
from trainer.accounts.assignments import (
    add_cohort_member,
    add_cohort_supervisor,
    assign_supervisor,
    create_cohort,
)
from trainer.accounts.service import set_disabled, set_role
from trainer.authz import session_filter, user_filter, workshop_filter
from trainer.review import (
    OverrideChange,
    load_review,
    review_queue,
    review_session,
    save_review,
    supervisor_feedback,
)
from trainer.review.calibration_data import calibration_pairs
from trainer.store.access import NotFound, Viewer
from trainer.store.models import PracticeSession, User
from trainer.store.workshop_models import Workshop
from trainer.workshops.queries import workshop_export, workshop_facts
from trainer.workshops.service import create_workshop, join_with_account, join_workshop, tag_session
from trainer.workshops.spec import WorkshopSpec


def _spec(title: str) -> WorkshopSpec:
    return WorkshopSpec(title=title, date=date(2026, 11, 22), couples=["marc-belinda"],
                        rubric_id="eft-first-session")


@pytest.fixture
def world(store: st.Store) -> dict:
    v = {name: person(store, name, role) for name, role in [
        ("ana", "trainee"), ("ben", "trainee"), ("cy", "trainee"), ("sue", "supervisor"),
        ("tom", "supervisor"), ("fay", "facilitator"), ("gus", "facilitator"), ("root", "admin"),
    ]}
    assign_supervisor(store, v["sue"].user_id, v["ana"].user_id)
    cohort = create_cohort(store, "2026 intake")
    add_cohort_member(store, cohort, v["ben"].user_id)
    add_cohort_supervisor(store, cohort, v["tom"].user_id)
    w = create_workshop(store, v["fay"], _spec("W"))
    w2 = create_workshop(store, v["gus"], _spec("W2"))
    v["pia"] = join_workshop(store, w.join_code, "Pia").viewer
    v["quinn"] = join_workshop(store, w2.join_code, "Quinn").viewer
    join_with_account(store, v["cy"], w.join_code)
    s = {name: played(store, v[name]) for name in ("ana", "ben", "pia", "quinn", "sue", "fay")}
    s["cy_w"] = played(store, v["cy"])
    tag_session(store, v["cy"], s["cy_w"], w.id)
    s["cy_private"] = played(store, v["cy"])
    for sid, reviewer in ((s["ana"], "sue"), (s["ben"], "tom")):
        view = load_review(store, v[reviewer], sid)
        save_review(store, v[reviewer], sid, expected_version=view.version, reviewed=True,
                    overrides={"validated_protective_moves": OverrideChange(3, "good")})
    return {"v": v, "s": s, "w": {"W": w.id, "W2": w2.id}}


SEES = {
    "ana": {"ana"}, "ben": {"ben"}, "cy": {"cy_w", "cy_private"}, "pia": {"pia"},
    "quinn": {"quinn"}, "sue": {"sue", "ana"}, "tom": {"ben"},
    "fay": {"fay", "pia", "cy_w"}, "gus": {"quinn"},
    "root": {"ana", "ben", "pia", "quinn", "sue", "fay", "cy_w", "cy_private"},
}
REVIEWS = {"sue": {"ana"}, "tom": {"ben"}, "root": set(SEES["root"])}
WORKSHOPS = {"fay": {"W"}, "gus": {"W2"}, "root": {"W", "W2"}}


def _names(world: dict, ids: set[uuid.UUID]) -> set[str]:
    back = {sid: name for name, sid in world["s"].items()}
    return {back[i] for i in ids}


def test_listing_sessions_shows_exactly_each_roles_share(store: st.Store, world: dict) -> None:
    for name, viewer in world["v"].items():
        with store.transaction() as db:
            ids = set(db.scalars(select(PracticeSession.id).where(session_filter(viewer))))
        assert _names(world, ids) == SEES[name], name


def test_session_ids_of_others_are_not_found_for_review_or_feedback(
    store: st.Store, world: dict
) -> None:
    for name, viewer in world["v"].items():
        for target, sid in world["s"].items():
            if target in REVIEWS.get(name, set()):
                assert review_session(store, viewer, sid).id == sid
            else:
                with pytest.raises(NotFound):
                    review_session(store, viewer, sid)
                with pytest.raises(NotFound):
                    load_review(store, viewer, str(sid))
            if target in SEES[name]:
                supervisor_feedback(store, viewer, sid)
            else:
                with pytest.raises(NotFound):
                    supervisor_feedback(store, viewer, sid)


def test_app_reads_never_show_more_than_authz(store: st.Store, world: dict) -> None:
    for name, viewer in world["v"].items():
        for target, sid in world["s"].items():
            if target in SEES[name]:
                continue
            with pytest.raises(NotFound):
                st.get_session(store, viewer, sid)
        listed = {r.id for r in st.list_sessions_for_user(store, viewer)}
        assert _names(world, listed) <= SEES[name]


def test_workshops_dashboards_and_exports_only_for_their_facilitators(
    store: st.Store, world: dict
) -> None:
    all_ids = {str(sid) for sid in world["s"].values()}
    for name, viewer in world["v"].items():
        with store.transaction() as db:
            managed = set(db.scalars(select(Workshop.title).where(workshop_filter(viewer, manage=True))))
        assert managed == WORKSHOPS.get(name, set()), name
        for title, wid in world["w"].items():
            if title in WORKSHOPS.get(name, set()):
                _, _, facts = workshop_facts(store, viewer, wid)
                exported = workshop_export(store, viewer, wid, "csv") + workshop_export(
                    store, viewer, wid, "json")
                leaked = {i for i in all_ids if i in exported}
                assert leaked == {str(f.session_id) for f in facts}
                assert _names(world, {f.session_id for f in facts}) <= SEES[name]
            else:
                for fmt in ("csv", "json"):
                    with pytest.raises(NotFound):
                        workshop_export(store, viewer, wid, fmt)
                with pytest.raises(NotFound):
                    workshop_facts(store, viewer, str(wid))
    # Cy's private session never reaches Fay's export, though Cy is in her workshop
    fay_csv = workshop_export(store, world["v"]["fay"], world["w"]["W"], "csv")
    assert str(world["s"]["cy_private"]) not in fay_csv and str(world["s"]["cy_w"]) in fay_csv


PEOPLE = {
    "sue": {"Sue", "Ana"}, "tom": {"Tom", "Ben"}, "fay": {"Fay", "Pia", "Cy"},
    "gus": {"Gus", "Quinn"},
    "root": {"Ana", "Ben", "Cy", "Sue", "Tom", "Fay", "Gus", "Root", "Pia", "Quinn"},
}


def test_queues_calibration_and_people_lists_are_scoped(store: st.Store, world: dict) -> None:
    for name, viewer in world["v"].items():
        queue = {i.session_id for i in review_queue(store, viewer, include_reviewed=True)}
        assert _names(world, queue) == REVIEWS.get(name, set()), name
        pairs = {p.session_id for p in calibration_pairs(store, viewer)}
        assert _names(world, pairs) == {"ana", "ben"} & REVIEWS.get(name, set()), name
        with store.transaction() as db:
            people = set(db.scalars(select(User.display_name).where(user_filter(viewer))))
        assert people == PEOPLE.get(name, {name.title()}), name


def test_demoted_or_disabled_users_lose_access_at_the_next_query(
    store: st.Store, world: dict
) -> None:
    sue, ana_session = world["v"]["sue"], world["s"]["ana"]
    assert review_session(store, sue, ana_session)
    set_role(store, "sue", "trainee")
    with pytest.raises(NotFound):
        review_session(store, sue, ana_session)  # stale "supervisor" viewer: nothing
    with store.transaction() as db:
        assert not list(db.scalars(select(PracticeSession.id).where(session_filter(sue))))
    set_disabled(store, "tom")
    with store.transaction() as db:
        assert not list(db.scalars(select(PracticeSession.id).where(session_filter(world["v"]["tom"]))))


def test_forged_viewers_see_nothing(store: st.Store, world: dict) -> None:
    ana = world["v"]["ana"]
    forged = [
        Viewer(user_id=ana.user_id, role="admin"),  # claims a role the user does not hold
        Viewer(user_id=uuid.uuid4(), role="admin"),  # no such user
        Viewer(user_id=ana.user_id, role="root"),  # no such role
    ]
    for viewer in forged:
        with store.transaction() as db:
            assert not list(db.scalars(select(PracticeSession.id).where(session_filter(viewer))))
        with pytest.raises(NotFound):
            review_session(store, viewer, world["s"]["ben"])
