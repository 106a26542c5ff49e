"""Names of what a browser session keeps in st.session_state (one place, no typos)."""

from __future__ import annotations

USER = "trainer_user"  # UserRecord of the display name given on this visit
LIVE = "trainer_live"  # LiveSession being practised
MODE = "trainer_mode"  # practice | assessment, as last chosen
REPORT = "trainer_report_id"  # session id whose report to show
FLASH = "trainer_flash"  # one-shot message shown on the next page
ERROR = "trainer_error"  # one-shot problem to show above the chat
JOB = "trainer_turn_job"  # TurnJob: the message being answered in the background
QUEUE = "trainer_queue"  # messages sent while the couple was still speaking, in order
RESTORE = "trainer_restore"  # text to put back in the chat box on the next run
NOTES = "trainer_notes"  # (kind, text) notes for the next run, under the header
ENDED = "trainer_ended_id"  # a session ended elsewhere, whose report to link to
CHAT = "chat"  # the chat box's widget key

PAGES = {
    "practice": "trainer/webapp/pages/practice.py",
    "report": "trainer/webapp/pages/report.py",
    "progress": "trainer/webapp/pages/progress.py",
    "score": "trainer/webapp/pages/score.py",
    "library": "trainer/webapp/pages/library.py",
    "settings": "trainer/webapp/pages/settings.py",
}
