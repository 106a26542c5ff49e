"""The practice app's service layer: what Streamlit pages call (no UI code here)."""

from trainer.practice.config import Backends, active_backends, max_message_chars
from trainer.practice.export import report_markdown, slug, transcript_json
from trainer.practice.hints import Hint, turn_hints
from trainer.practice.live import LiveSession
from trainer.practice.pdf import report_pdf
from trainer.practice.report import CriterionView, ReportView, TurnView, build_report
from trainer.practice.scoring import ScoredFile, score_upload
from trainer.practice.service import PracticeService, TurnOutcome
from trainer.practice.text import md_escape, one_line

__all__ = [
    "Backends",
    "CriterionView",
    "Hint",
    "LiveSession",
    "PracticeService",
    "ReportView",
    "ScoredFile",
    "TurnOutcome",
    "TurnView",
    "active_backends",
    "build_report",
    "max_message_chars",
    "md_escape",
    "one_line",
    "report_markdown",
    "report_pdf",
    "score_upload",
    "slug",
    "transcript_json",
    "turn_hints",
]
