"""Server-side cost of the practice app: time per trainee turn, time to render a report.

Per turn: the service layer as the practice page calls it (validate, offline
engine, store turns + snapshot in one transaction), on a fresh SQLite file
(or `--database-url`, e.g. PostgreSQL). Report: the report page run through
Streamlit's AppTest (the script run a browser would wait for), cold and warm.

    .venv/bin/python benchmarks/app_turns.py [--sessions 5] [--turns 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRIPT = [
    "Welcome, both of you. What brings you in today?",
    "Marc, when you go quiet or leave the room, it sounds like a way to keep things from blowing up.",
    "Belinda, when you push to talk, it sounds like you are fighting for the two of you.",
    "Many couples find the physical side changes too. How are touch and affection going?",
    "What is that like for you, Marc, when she turns away in bed?",
    "Belinda, what happens inside you when he reaches for you?",
    "So the more one of you reaches, the more the other pulls back, and round it goes.",
    "Maybe part of you is afraid of being left alone with all of it?",
    "What would it mean to you if he noticed how tired you are?",
    "That sounds hard.",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_turns(url: str, sessions: int, turns: int) -> tuple[list[float], str]:
    from trainer.practice import PracticeService
    from trainer.practice.config import Backends
    from trainer.store import get_or_create_user_by_display_name, open_store

    store = open_store(url)
    service = PracticeService(store, Backends("offline", "offline", "offline", None, None, False))
    user = get_or_create_user_by_display_name(store, "Benchmark")
    samples: list[float] = []
    last_id = ""
    for number in range(sessions):
        live = service.start(user, "marc-belinda", seed=number + 1)
        service.send(user, live, SCRIPT[0])  # warm-up turn, not counted
        for index in range(turns):
            started = time.perf_counter()
            service.send(user, live, SCRIPT[(index + 1) % len(SCRIPT)])
            samples.append(time.perf_counter() - started)
        last_id = str(service.end(user, live).id)
    store.dispose()
    return samples, last_id


def time_report(session_id: str, runs: int) -> tuple[float, list[float]]:
    from streamlit.testing.v1 import AppTest

    from trainer.store import get_or_create_user_by_display_name, open_store
    from trainer.webapp import state

    store = open_store()
    user = get_or_create_user_by_display_name(store, "Benchmark")
    store.dispose()
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    app.session_state[state.USER] = user
    app.session_state[state.REPORT] = session_id
    app.run()  # the practice page: the server is up, the background warm-up starts
    from trainer.webapp.resources import warm_up

    warm_up().join()  # what a live server has done by the time a session ends
    app.switch_page(state.PAGES["report"])
    started = time.perf_counter()
    app.run()
    cold = time.perf_counter() - started
    assert not app.exception and any(m.label == "Total" for m in app.metric), "report did not render"
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        app.run()
        warm.append(time.perf_counter() - started)
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--turns", type=int, default=20, help="timed turns per session")
    parser.add_argument("--report-runs", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TRAINER_DATA_DIR"] = tmp
        for var in ("TRAINER_LLM_PROVIDER", "TRAINER_LLM_BASE_URL", "DATABASE_URL"):
            os.environ.pop(var, None)
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        from trainer.store import database_url, redacted_url

        url = database_url()
        samples, session_id = time_turns(url, args.sessions, args.turns)
        ms = [s * 1000 for s in samples]
        print(f"database: {redacted_url(url)}")
        print(f"practice turn (service layer, offline engine, stored): n={len(ms)} "
              f"median={statistics.median(ms):.1f} ms  p95={percentile(ms, 0.95):.1f} ms  "
              f"max={max(ms):.1f} ms")
        cold, warm = time_report(session_id, args.report_runs)
        print(f"report page render (AppTest script run): first after start-up={cold * 1000:.0f} ms  "
              f"warm median={statistics.median(warm) * 1000:.0f} ms "
              f"(n={len(warm)}, p95={percentile(warm, 0.95) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
