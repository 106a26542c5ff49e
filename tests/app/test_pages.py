"""Every page renders without a traceback; the score page copes with bad files."""

from __future__ import annotations

import json

from app_helpers import no_problems, sign_in, texts
from streamlit.testing.v1 import AppTest

SCORE = "trainer/webapp/pages/score.py"
GOOD = {
    "format": "trainer.transcript/v1",
    "persona": "marc-belinda",
    "turns": [
        {"speaker": "Belinda", "text": "We can't talk without fighting."},
        {"speaker": "therapist", "text": "How are touch and affection going between you two?"},
        {"speaker": "Marc", "text": "There isn't much. I stopped asking."},
        {"speaker": "therapist", "text": "What is it like for you when you stop asking, Marc?"},
        {"speaker": "Marc", "text": "Lonely. Like she doesn't want me."},
    ],
}


def open_page(app: AppTest, path: str, *, signed_in: bool = True) -> AppTest:
    if signed_in:
        sign_in(app)
    else:
        app.run()
    app.switch_page(path).run()
    no_problems(app)
    return app


def upload(app: AppTest, *files: tuple[str, bytes]) -> AppTest:
    app.file_uploader[0].set_value([(name, data, "application/json") for name, data in files]).run()
    no_problems(app)
    return app


def test_score_page_reports_a_good_transcript(app: AppTest) -> None:
    open_page(app, SCORE, signed_in=False)
    assert "Score a transcript" in texts(app)
    upload(app, ("session.json", json.dumps(GOOD).encode()))
    assert any(m.label == "Total" for m in app.metric)
    assert "Raised the sexual cycle early" in texts(app)
    assert len(app.download_button) == 3


def test_score_page_explains_bad_files_without_a_traceback(app: AppTest) -> None:
    open_page(app, SCORE, signed_in=False)
    no_therapist = {"format": "trainer.transcript/v1", "turns": [{"speaker": "Marc", "text": "Hi"}]}
    upload(
        app,
        ("notes.json", b"this is not json"),
        ("wrong.json", json.dumps({"format": "other/v9", "turns": []}).encode()),
        ("clients-only.json", json.dumps(no_therapist).encode()),
        ("binary.json", b"\xff\xfe\x00garbage"),
    )
    errors = [e.value for e in app.error]
    assert len(errors) == 4
    assert "notes.json" in errors[0] and "not valid JSON" in errors[0]
    assert "wrong.json" in errors[1] and "format" in errors[1]
    assert "clients-only.json" in errors[2] and "therapist" in errors[2]
    assert "binary.json" in errors[3]
    assert not app.metric  # nothing scored, nothing half-drawn


def test_score_page_scores_the_good_files_among_bad_ones(app: AppTest) -> None:
    open_page(app, SCORE, signed_in=False)
    upload(app, ("bad.json", b"{"), ("good.json", json.dumps(GOOD).encode()))
    assert len(app.error) == 1 and "bad.json" in app.error[0].value
    assert any(m.label == "Total" for m in app.metric)


def test_library_lists_couples_and_rubrics(app: AppTest) -> None:
    open_page(app, "trainer/webapp/pages/library.py", signed_in=False)
    shown = texts(app)
    assert "Business partners at home" in shown
    assert "Raised the sexual cycle early" in [e.label for e in app.expander]
    assert "in the emotional cycle" not in shown


def test_settings_show_engine_and_judge_but_never_the_key(app: AppTest, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TRAINER_LLM_PROVIDER", "openai_compatible")
    monkeypatch.setenv("TRAINER_LLM_MODEL", "llama3.1:8b")
    monkeypatch.setenv("TRAINER_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("TRAINER_LLM_API_KEY", "sk-very-secret-value")
    open_page(app, "trainer/webapp/pages/settings.py", signed_in=False)
    shown = texts(app)
    assert "llama3.1" in shown and "11434" in shown
    assert "set (hidden)" in shown
    assert "sk-very-secret-value" not in repr(app._tree)


def test_settings_offline_by_default(app: AppTest) -> None:
    open_page(app, "trainer/webapp/pages/settings.py", signed_in=False)
    assert "Offline" in texts(app)


def test_report_page_without_a_session_points_to_progress(app: AppTest) -> None:
    open_page(app, "trainer/webapp/pages/report.py")
    assert "End a practice session" in texts(app)


def test_report_of_someone_elses_session_is_not_shown(app: AppTest) -> None:
    sign_in(app)
    app.query_params["session"] = "00000000-0000-0000-0000-000000000000"
    app.switch_page("trainer/webapp/pages/report.py").run()
    no_problems(app)
    assert "No such session" in texts(app)
    app.query_params["session"] = "not-a-uuid"
    app.run()
    no_problems(app)
    assert "No such session" in texts(app)


def test_progress_page_when_empty(app: AppTest) -> None:
    open_page(app, "trainer/webapp/pages/progress.py")
    assert "No sessions yet" in texts(app)


def test_pages_that_need_a_name_ask_for_it(app: AppTest) -> None:
    for path in ("trainer/webapp/pages/progress.py", "trainer/webapp/pages/report.py"):
        app.run()
        app.switch_page(path).run()
        no_problems(app)
        assert [t.value for t in app.title] == ["Welcome"]
