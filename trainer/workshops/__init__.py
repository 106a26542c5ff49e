"""Workshops: a facilitator's room of participants, its live dashboard, exports, records.

`spec`, `facts`, `dashboard`, `completion`, `exports` are pure; `service` and
`queries` work on the store through `trainer.authz`.
"""

from trainer.workshops.completion import CompletionRecord, completion_records
from trainer.workshops.dashboard import Dashboard, build_dashboard
from trainer.workshops.exports import to_csv, to_json
from trainer.workshops.facts import Participant, SessionFacts
from trainer.workshops.spec import InvalidWorkshop, WorkshopSpec, check_against_library

__all__ = [
    "CompletionRecord",
    "Dashboard",
    "InvalidWorkshop",
    "Participant",
    "SessionFacts",
    "WorkshopSpec",
    "build_dashboard",
    "check_against_library",
    "completion_records",
    "to_csv",
    "to_json",
]
