"""Key flows through the real app script (AppTest): sign in, practise, end, report, resume."""

from __future__ import annotations

from app_helpers import new_app, no_problems, sign_in, texts
from streamlit.testing.v1 import AppTest

from trainer.practice import md_escape
from trainer.practice.notices import notice
from trainer.store import get_or_create_user_by_display_name, get_session, open_store, viewer_for
from trainer.store import list_sessions_for_user as sessions_of

TURNS = [
    "Welcome, both of you. What brings you in today?",
    (
        "Marc, when you go quiet or leave the room, it sounds like a way to keep things from "
        "blowing up. That makes sense."
    ),
    (
        "Many couples find the physical side changes too. How are touch and affection going "
        "between you two?"
    ),
]


def start(at: AppTest, couple: str = "marc-belinda", mode: str | None = None) -> AppTest:
    if mode:
        at.segmented_control(key="mode-choice").set_value(mode).run()
    at.button(key=f"start-{couple}").click().run()
    no_problems(at)
    return at


def say(at: AppTest, text: str) -> AppTest:
    at.chat_input(key="chat").set_value(text).run()
    no_problems(at)
    return at


def stored_sessions(data_dir, name: str = "Ana"):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{data_dir / 'trainer.db'}")
    try:
        viewer = viewer_for(get_or_create_user_by_display_name(store, name))
        return [get_session(store, viewer, s.id) for s in sessions_of(store, viewer)]
    finally:
        store.dispose()


def test_first_visit_asks_for_a_name_and_refuses_an_empty_one(app: AppTest) -> None:
    app.run()
    assert [t.value for t in app.title] == ["Welcome"]
    app.text_input[0].input("   ")
    app.button[0].click()
    app.run()
    assert any("enter a name" in e.value for e in app.error)
    app.text_input[0].input("Ana")
    app.button[0].click()
    app.run()
    no_problems(app)
    assert [t.value for t in app.title] == ["Practice"]
    assert "Ana" in "".join(c.value for c in app.sidebar.caption)


def test_couple_cards_show_title_summary_and_difficulty_but_no_cycles(app: AppTest) -> None:
    sign_in(app)
    shown = texts(app)
    for title in ("Business partners at home",):
        assert title in shown
    assert len([b for b in app.button if b.key and b.key.startswith("start-")]) >= 2
    assert "in the emotional cycle" not in shown  # who pursues is revealed after the session


def test_three_turns_end_and_report_shows_scores_and_evidence(app: AppTest, data_dir) -> None:  # type: ignore[no-untyped-def]
    start(sign_in(app))
    opening = [m.name for m in app.chat_message]
    assert opening and set(opening) <= {"Marc", "Belinda"}
    assert app.button(key="end-session").disabled
    for turn in TURNS:
        say(app, turn)
    names = [m.name for m in app.chat_message]
    assert names.count("You") == 3 and len(names) > len(opening) + 3
    partner_msgs = [m for m in app.chat_message if m.name in ("Marc", "Belinda")]
    assert all(m.markdown[0].value == f"**{m.name}**" for m in partner_msgs)  # name, not colour
    assert any(m.caption for m in partner_msgs)  # nonverbal cues apart from the words
    assert "Your turn 3 of the early window (6)" in [p.proto.text for p in app.get("progress")]
    assert "Hints" in texts(app)

    stored = stored_sessions(data_dir)
    assert len(stored) == 1 and stored[0].status == "in_progress"
    assert len(stored[0].turns) == len(names)  # every turn written as it happened

    app.button(key="end-session").click().run()
    no_problems(app)
    shown = texts(app)
    assert "Business partners at home" in shown
    assert any(m.label == "Total" for m in app.metric)
    assert "Feedback by criterion" in shown
    assert "Raised the sexual cycle early" in shown
    assert "(#report-turn-" in shown  # evidence links into the transcript
    assert "Rubric, score" in shown  # the rubric's anchor text beside each score
    assert "in the emotional cycle" in shown  # the cycles, revealed after the session
    assert {b.label for b in app.download_button} == {
        "Transcript (JSON)", "Report (Markdown)", "Report (PDF)"}
    assert app.get("vega_lite_chart")  # openness / defensiveness chart
    assert stored_sessions(data_dir)[0].status == "completed"


def test_assessment_mode_gives_no_hints(app: AppTest) -> None:
    start(sign_in(app), mode="assessment")
    say(app, TURNS[1])
    assert "Hints" not in texts(app)
    assert "Assessment" in texts(app)


def test_empty_messages_get_a_note_and_long_ones_stay_in_the_box(app: AppTest, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TRAINER_MAX_MESSAGE_CHARS", "120")
    start(sign_in(app))
    before = len(app.chat_message)
    say(app, "   ")
    assert len(app.chat_message) == before and not app.warning
    assert [i.value for i in app.info] == [md_escape(notice("empty"))]
    say(app, "\u200b\u200d\u2060\ufeff")  # only invisible characters
    assert len(app.chat_message) == before
    assert [i.value for i in app.info] == [md_escape(notice("invisible"))]
    long = "x" * 300
    say(app, long)
    assert len(app.chat_message) == before
    assert any("limit is 120" in w.value for w in app.warning)
    box = app.chat_input(key="chat").proto
    assert box.set_value and box.value == long  # given back to edit, not wiped


def test_typed_markdown_and_html_are_shown_as_text(app: AppTest) -> None:
    start(sign_in(app))
    typed = "**Bold** <script>alert(1)</script> :red[alarm] $x$ [link](http://example.com)"
    say(app, typed)
    mine = [m for m in app.chat_message if m.name == "You"][-1]
    assert mine.markdown[1].value == md_escape(typed)
    for element in app.markdown:
        if "script" in element.value:
            assert not element.proto.allow_html


def test_resume_after_a_restart_keeps_every_turn(app: AppTest, data_dir) -> None:  # type: ignore[no-untyped-def]
    start(sign_in(app))
    say(app, TURNS[0])
    say(app, TURNS[1])
    before = [(m.name, m.markdown[-1].value) for m in app.chat_message]

    restarted = new_app()  # a new browser session, as after a refresh or a server restart
    sign_in(restarted)
    assert "Unfinished session" in texts(restarted)
    restarted.button(key="resume-latest").click().run()
    no_problems(restarted)
    after = [(m.name, m.markdown[-1].value) for m in restarted.chat_message]
    assert after == before
    say(restarted, TURNS[2])
    assert [m.name for m in restarted.chat_message].count("You") == 3
    restarted.button(key="end-session").click().run()
    no_problems(restarted)
    assert any(m.label == "Total" for m in restarted.metric)
    assert len(stored_sessions(data_dir)) == 1


def test_progress_lists_sessions_and_reopens_a_report(app: AppTest) -> None:
    start(sign_in(app))
    say(app, TURNS[2])
    app.button(key="end-session").click().run()
    app.switch_page("trainer/webapp/pages/progress.py").run()
    no_problems(app)
    assert "Your progress" in texts(app)
    table = app.dataframe[0].value
    assert list(table["Couple"]) == ["Business partners at home"]
    assert table["Total"][0].endswith("/ 9")
    assert app.get("vega_lite_chart")  # one chart per criterion
    app.button(key="open-report").click().run()
    no_problems(app)
    assert any(m.label == "Total" for m in app.metric)


def test_progress_resumes_an_unfinished_session(app: AppTest) -> None:
    start(sign_in(app))
    say(app, TURNS[0])
    app.switch_page("trainer/webapp/pages/progress.py").run()
    assert "Unfinished" in "".join(app.dataframe[0].value["Status"])
    app.button(key="resume-session").click().run()
    no_problems(app)
    assert [m.name for m in app.chat_message].count("You") == 1


def test_a_report_address_works_after_a_refresh_but_only_for_its_owner(app: AppTest) -> None:
    start(sign_in(app))
    say(app, TURNS[2])
    app.button(key="end-session").click().run()
    session_id = app.query_params["session"]
    assert session_id

    refreshed = new_app()  # same address, new browser session: asked for the name first
    refreshed.query_params["session"] = session_id
    sign_in(refreshed)
    refreshed.switch_page("trainer/webapp/pages/report.py").run()
    no_problems(refreshed)
    assert any(m.label == "Total" for m in refreshed.metric)

    stranger = new_app()
    stranger.query_params["session"] = session_id
    sign_in(stranger, "Ben")
    stranger.switch_page("trainer/webapp/pages/report.py").run()
    no_problems(stranger)
    assert not stranger.metric and "No such session" in texts(stranger)


def test_a_scoring_failure_keeps_the_session_and_shows_no_traceback(app: AppTest, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import trainer.practice.service as service_module

    start(sign_in(app))
    say(app, TURNS[2])

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("evaluator bug")

    with monkeypatch.context() as patch:
        patch.setattr(service_module, "evaluate", broken)
        app.button(key="end-session").click().run()
    no_problems(app)
    assert any("session is saved" in e.value for e in app.error)
    app.button(key="end-session").click().run()
    no_problems(app)
    assert any(m.label == "Total" for m in app.metric)
