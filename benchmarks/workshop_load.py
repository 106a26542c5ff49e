"""A workshop under load: 30 participants practising at once on one PostgreSQL database.

1. Writes: participants join by code and play sessions (offline engine, 20 trainee
   turns each) concurrently from several processes, through the same service the
   practice page calls; prints per-turn write latency (the stored transaction of
   a turn: median, p95) and the whole server-side turn.
2. The facilitator's dashboard query on the result (median of repeated runs).
3. Verifies every turn is stored (per session: the turns the engine produced ==
   the rows in the database) and the dashboard counts all 30 people and sessions.
4. Peak memory (VmHWM) of a real `streamlit run streamlit_app.py` process while
   30 headless-Chromium clients on 127.0.0.1 each hold an open practice session.

    .venv/bin/python benchmarks/workshop_load.py [--participants 30] [--turns 20]
        [--processes 6] [--clients 30] [--database-url URL] [--skip-server]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from queue import Empty

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
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
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def schema_url(base: str) -> tuple[str, str]:
    """A fresh schema on the server (so the benchmark never touches real data)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


# --- 1. concurrent writers ---------------------------------------------------------------


def worker(url: str, code: str, indices: list[int], turns: int, think: float, out: mp.Queue) -> None:
    """One process: its participants play at the same time (a thread each)."""
    import trainer.practice.service as service_module
    from trainer.practice import PracticeService
    from trainer.store import open_store
    from trainer.store.records import UserRecord
    from trainer.workshops.service import join_workshop

    store = open_store(url, migrate=False)
    writes: list[float] = []
    real_append = service_module.append_turns

    def timed_append(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        real_append(*args, **kwargs)
        writes.append(time.perf_counter() - started)

    service_module.append_turns = timed_append
    service = PracticeService(store)

    def play(index: int) -> None:
        try:
            _play(index)
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
            out.put({"error": f"participant {index}: {exc!r}"})

    def _play(index: int) -> None:
        seat = join_workshop(store, code, f"Participant {index:02d}")
        user = UserRecord(id=seat.viewer.user_id, display_name=seat.display_name, role="trainee",
                          created_at=datetime.now(UTC))
        live = service.start(user, "marc-belinda", mode="practice", seed=index)
        turn_times = []
        for number in range(turns):
            started = time.perf_counter()
            outcome = service.send(user, live, SCRIPT[number % len(SCRIPT)])
            turn_times.append(time.perf_counter() - started)
            assert outcome.accepted, outcome.message
            time.sleep(think)
        service.end(user, live)
        out.put({"session": str(live.id), "turns": len(live.turns), "turn_s": turn_times})

    threads = [threading.Thread(target=play, args=(i,)) for i in indices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put({"writes": writes})
    store.dispose()


def run_writers(url: str, code: str, participants: int, processes: int, turns: int,
                think: float = 0.0) -> dict:
    context = mp.get_context("spawn")
    queue: mp.Queue = context.Queue()
    groups = [list(range(p, participants, processes)) for p in range(processes)]
    started = time.perf_counter()
    procs = [context.Process(target=worker, args=(url, code, g, turns, think, queue)) for g in groups if g]
    for proc in procs:
        proc.start()
    sessions, writes, turn_s = {}, [], []
    expected = participants + len(procs)
    deadline = time.monotonic() + 1800
    while expected:
        if time.monotonic() > deadline:
            raise SystemExit("writers did not finish within 30 minutes")
        try:
            item = queue.get(timeout=2)
        except Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead:
                raise SystemExit(f"a writer process failed (exit {dead[0]})") from None
            continue
        expected -= 1
        if "error" in item:
            raise SystemExit(item["error"])
        if "writes" in item:
            writes += item["writes"]
        else:
            sessions[item["session"]] = item["turns"]
            turn_s += item["turn_s"]
    for proc in procs:
        proc.join(timeout=60)
        if proc.exitcode != 0:
            raise SystemExit(f"a writer process failed (exit {proc.exitcode})")
    return {"sessions": sessions, "writes": writes, "turn_s": turn_s,
            "elapsed": time.perf_counter() - started, "processes": len(procs)}


def verify(store, sessions: dict[str, int]) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from trainer.store.models import TurnRow

    with store.transaction() as db:
        stored = dict(db.execute(select(TurnRow.session_id, func.count()).group_by(TurnRow.session_id)).all())
    missing = {sid: (n, stored.get(uuid.UUID(sid), 0)) for sid, n in sessions.items()
               if stored.get(uuid.UUID(sid), 0) != n}
    if missing:
        raise SystemExit(f"turns lost or extra (expected, stored): {missing}")
    return sum(sessions.values())


# --- 4. one real server, 30 browser clients -----------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_kb(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of a process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


async def client(browser, base: str, index: int, turns: int) -> None:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(180_000)
    await page.goto(base)
    await page.get_by_placeholder("Your name").fill(f"Client {index:02d}")
    await page.get_by_role("button", name="Continue").click()
    await page.locator(".st-key-start-marc-belinda button").click()
    await page.get_by_role("button", name="End session").wait_for()
    messages = page.locator('[data-testid="stChatMessage"]')
    for number in range(turns):
        before = await messages.count()
        box = page.get_by_placeholder("Speak to the couple\u2026")
        await box.fill(SCRIPT[number % len(SCRIPT)])
        await box.press("Enter")
        for _ in range(600):  # bounded: 600 x 0.25 s
            if await messages.count() >= before + 2:
                break
            await asyncio.sleep(0.25)
        else:
            raise AssertionError(f"client {index}: no answer")


async def drive_clients(base: str, clients: int, turns: int, pid: int) -> tuple[int, int]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                           args=CHROMIUM_ARGS)
        await asyncio.gather(*(client(browser, base, i, turns) for i in range(clients)))
        held = memory_kb(pid)  # every client is connected, each with an open session
        await browser.close()
    return held


def server_memory(base_url: str, clients: int, turns: int) -> dict:
    url, schema = schema_url(base_url)
    from trainer.store import upgrade_database

    upgrade_database(url)
    work = Path(tempfile.mkdtemp(prefix="workshop-load-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRAINER_LLM", "OPENAI"))}
    env.update(DATABASE_URL=url, TRAINER_DATA_DIR=str(work), TRAINER_SECRETS_FILE=str(work / "none.toml"))
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    log = (work / "server.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        for _ in range(300):  # bounded: up to ~90 s
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        idle_rss, _ = memory_kb(server.pid)
        started = time.perf_counter()
        held_rss, peak = asyncio.run(drive_clients(f"http://127.0.0.1:{port}/", clients, turns, server.pid))
        return {"idle_mb": idle_rss / 1024, "held_mb": held_rss / 1024, "peak_mb": peak / 1024,
                "seconds": time.perf_counter() - started}
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)
        drop_schema(base_url, schema)


# --- main ----------------------------------------------------------------------------------


def database_base_url(given: str | None) -> str:
    url = given or os.environ.get("TEST_DATABASE_URL") or DEFAULT_URL
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        psycopg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username,
                        dbname=parsed.database, connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - try to start the local server from Debian's packages
        found = subprocess.run([str(ROOT / "scripts" / "ensure_postgres.sh")], check=False,
                               capture_output=True, text=True)
        if found.returncode != 0:
            raise SystemExit(f"PostgreSQL not reachable ({url}); set TEST_DATABASE_URL") from None
        url = found.stdout.strip()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--processes", type=int, default=6)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--client-turns", type=int, default=2)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds a participant waits between turns (0: back to back, worst case)")
    parser.add_argument("--database-url")
    parser.add_argument("--skip-server", action="store_true", help="only the database part")
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    for key in [k for k in os.environ if k.startswith(("TRAINER_LLM", "OPENAI"))]:
        del os.environ[key]

    from trainer.accounts.service import create_account
    from trainer.store import open_store
    from trainer.store.access import Viewer
    from trainer.workshops.queries import workshop_dashboard
    from trainer.workshops.service import create_workshop
    from trainer.workshops.spec import WorkshopSpec

    base = database_base_url(args.database_url)
    url, schema = schema_url(base)
    try:
        store = open_store(url)
        fay = create_account(store, login="facilitator", display_name="Facilitator", role="facilitator")
        facilitator = Viewer(user_id=fay.user_id, role="facilitator")
        workshop = create_workshop(store, facilitator, WorkshopSpec(
            title="Load test", date=date.today(), couples=["marc-belinda"], rubric_id="eft-first-session"))
        result = run_writers(url, workshop.join_code, args.participants, args.processes, args.turns,
                             args.think)
        stored = verify(store, result["sessions"])
        timings, board = [], None
        for _ in range(15):
            started = time.perf_counter()
            board = workshop_dashboard(store, facilitator, workshop.id)
            timings.append(time.perf_counter() - started)
        assert board is not None
        if (board.participants, board.sessions_completed) != (args.participants, args.participants):
            raise SystemExit(f"dashboard counts wrong: {board.participants} people, "
                             f"{board.sessions_completed} sessions done")
        writes, turn_s = result["writes"], result["turn_s"]
        print(f"workshop load: {args.participants} participants x {args.turns} trainee turns, "
              f"{result['processes']} processes, think time {args.think:g} s, PostgreSQL, offline engine")
        print(f"  per-turn write (turn rows + snapshot, one transaction): median {statistics.median(writes) * 1000:.1f} ms, "
              f"p95 {percentile(writes, 0.95) * 1000:.1f} ms  (n={len(writes)})")
        print(f"  per-turn server side (engine + write): median {statistics.median(turn_s) * 1000:.1f} ms, "
              f"p95 {percentile(turn_s, 0.95) * 1000:.1f} ms")
        print(f"  all sessions written in {result['elapsed']:.1f} s; verified {stored} turns stored "
              f"in {len(result['sessions'])} sessions, none lost")
        print(f"  dashboard query: median {statistics.median(timings) * 1000:.1f} ms, "
              f"max {max(timings) * 1000:.1f} ms ({board.participants} participants, "
              f"{board.sessions_completed} sessions)")
        store.dispose()
    finally:
        drop_schema(base, schema)
    if args.skip_server:
        return
    if not Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")).exists():
        print("  app server memory: skipped (no Chromium; apt-get install chromium)")
        return
    memory = server_memory(base, args.clients, args.client_turns)
    print(f"  app server memory: idle {memory['idle_mb']:.0f} MB; with {args.clients} concurrent clients "
          f"each holding an open session ({args.client_turns} turns each): RSS {memory['held_mb']:.0f} MB, "
          f"peak {memory['peak_mb']:.0f} MB  ({memory['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
