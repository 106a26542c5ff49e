"""What the pages ask for: start, talk, end, resume, report. No Streamlit in here.

Every trainee turn is validated, answered by the engine, and stored (turns +
engine snapshot in one transaction) before the page shows it. A turn is one
unit: if anything interrupts it (an error, a rerun, a closed tab), the
engine goes back to the stored state and nothing of the turn is kept. Every
action checks the tab's copy against the stored session first (`sync`).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from trainer.cleantext import clean_message, visible
from trainer.errors import TrainerError
from trainer.evaluate import Evaluation, make_evaluator
from trainer.personas import Couple, load_couple
from trainer.practice.config import Backends, active_backends, max_message_chars
from trainer.practice.export import transcript_json
from trainer.practice.hints import Hint, turn_hints
from trainer.practice.live import (
    LiveSession,
    new_engine,
    new_seed,
    record_as_turn,
    restore_engine,
    turn_records,
)
from trainer.practice.notices import notice
from trainer.practice.report import ReportView, build_report
from trainer.practice.streaming import DeltaSink, StreamingRenderer, can_stream
from trainer.practice.sync import (
    SessionMoved,
    SessionWasEnded,
    ensure_current,
    moved_or_ended,
    stored_session,
)
from trainer.rubrics import DEFAULT_RUBRIC_ID, Rubric, load_rubric
from trainer.store import (
    ConcurrentUpdate,
    SessionRecord,
    Store,
    UserRecord,
    append_turns,
    complete_session,
    get_session,
    get_user,
    start_session,
    viewer_for,
)
from trainer.transcript import Transcript

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TurnOutcome:
    """What happened to one message: stored and answered, or refused (with why).

    `keep_text`: the page should give the trainee their text back to edit.
    """

    accepted: bool
    message: str | None = None
    hints: list[Hint] = field(default_factory=list)
    notice: str | None = None
    keep_text: bool = False


class PracticeService:
    """The practice app's business logic over one store."""

    def __init__(self, store: Store, backends: Backends | None = None) -> None:
        self.store = store
        self.backends = backends or active_backends()

    # --- sessions ---------------------------------------------------------------

    def start(
        self, user: UserRecord, couple_id: str, *, mode: str = "practice",
        rubric_id: str = DEFAULT_RUBRIC_ID, seed: int | None = None,
    ) -> LiveSession:
        """A new session with the couple's opening already said and stored."""
        couple, rubric = load_couple(couple_id), load_rubric(rubric_id)
        seed = new_seed() if seed is None else seed
        engine, notice = new_engine(couple, seed, self.backends.engine)
        engine_label = self.backends.engine if notice is None else "offline"
        engine.opening()
        opening = turn_records(engine.transcript().turns, 0)
        record = start_session(
            self.store, viewer_for(user), couple_id=couple.id, rubric_id=rubric.id, mode=mode,
            engine=engine_label, judge=self.backends.judge, seed=seed,
            snapshot=engine.snapshot(), opening=opening, usage=_take_usage(engine.renderer),
        )
        voice = _voice_notice(engine.renderer, opening, None)
        return LiveSession(
            id=record.id, couple=couple, rubric=rubric, mode=mode, engine_label=engine_label,
            judge_label=self.backends.judge, engine=engine, turns=opening,
            notices=[n for n in (notice, voice) if n], version=record.version,
        )

    @staticmethod
    def check(text: str | None) -> tuple[str, str | None]:
        """The message as it would be stored, and why it cannot be sent (None: fine).

        Control characters are removed (every database stores the same text);
        a message with nothing visible, or over the length limit, is refused
        with a sentence saying what to do.
        """
        raw = text or ""
        cleaned = clean_message(raw)
        if not cleaned:
            return "", notice("invisible" if raw.strip() and not visible(raw) else "empty")
        limit = max_message_chars()
        if len(cleaned) > limit:
            return cleaned, notice("too_long", length=len(cleaned), limit=limit)
        return cleaned, None

    def send(
        self, user: UserRecord, live: LiveSession, text: str, *, on_delta: DeltaSink | None = None
    ) -> TurnOutcome:
        """Validate, answer and store one trainee message (streaming words to `on_delta`).

        Raises SessionMoved / SessionWasEnded when the stored session is not the
        one this tab holds (nothing is run or stored then).
        """
        cleaned, refusal = self.check(text)
        if refusal:
            return TurnOutcome(False, refusal, keep_text=bool(cleaned))
        ensure_current(self.store, user, live)
        before, saved = live.engine.state.public(), live.engine.snapshot()
        start = len(live.turns)
        renderer = live.engine.renderer
        if on_delta is not None and can_stream(renderer):
            live.engine.renderer = StreamingRenderer(renderer, on_delta)
        try:
            if len(live.engine.transcript().turns) != start:  # never build on a half turn
                raise TrainerError("the session's memory does not match its saved turns")
            result = live.engine.respond(cleaned)
            labels = {start: result.labels.model_dump(mode="json")}
            records = turn_records(live.engine.transcript().turns, start, labels)
            version = append_turns(
                self.store, viewer_for(user), live.id, records, snapshot=live.engine.snapshot(),
                flags=[flag.model_dump(mode="json") for flag in result.flags],
                usage=_take_usage(renderer), expected_version=live.version,
            )
        except BaseException as exc:
            # Anything at all (an error, Streamlit stopping or rerunning the script, Ctrl-C):
            # memory goes back to what is stored, so the turn is kept whole or not at all.
            live.engine, _ = restore_engine(live.couple, saved, live.engine_label)
            if isinstance(exc, ConcurrentUpdate) and not isinstance(exc, (SessionMoved, SessionWasEnded)):
                raise moved_or_ended(self.store, user, live) from exc
            raise
        finally:
            live.engine.renderer = renderer
        live.turns.extend(records)
        live.version = version
        hints = turn_hints(result.labels, before, result.state.public(),
                           early_window=live.rubric.early_window)
        live.hints = hints if live.mode == "practice" else []
        voice = _voice_notice(renderer, records, result.render_notice)
        if voice:
            live.notices.append(voice)
        return TurnOutcome(True, hints=live.hints, notice=voice)

    def end(self, user: UserRecord, live: LiveSession) -> SessionRecord:
        """Score the session as stored and mark it completed, if nobody wrote in between.

        The transcript scored is the stored one, never the tab's copy, so a
        stale tab cannot store a score for a transcript that is not the session's.
        """
        for _attempt in range(3):
            record = stored_session(self.store, user, live, with_turns=True)
            if not any(t.speaker.lower() in {"therapist", "trainee"} for t in record.turns):
                raise TrainerError("Say something to the couple before ending the session.")
            rubric = load_rubric(record.rubric_id)
            transcript = Transcript(
                persona=record.couple_id, clients=live.couple.names,
                turns=[record_as_turn(t) for t in record.turns],
            )
            evaluation, usage = self._evaluate(transcript, rubric, record.judge)
            try:
                return complete_session(
                    self.store, viewer_for(user), live.id,
                    evaluation={"rubric_id": rubric.id, "evaluator": evaluation.evaluator,
                                "result": evaluation.model_dump(mode="json")},
                    usage=usage, expected_version=record.version,
                )
            except ConcurrentUpdate:
                continue  # a turn landed while scoring: score the session again as it is now
        raise moved_or_ended(self.store, user, live)

    def resume(self, user: UserRecord, session_id: uuid.UUID | str) -> LiveSession:
        """Rebuild an unfinished session from the store (after a refresh or a restart)."""
        record = get_session(self.store, viewer_for(user), session_id)
        if record.is_completed:
            raise TrainerError("This session has ended; open its report instead.")
        if not record.snapshot:
            raise TrainerError("This session cannot be resumed (no saved state).")
        couple, rubric = load_couple(record.couple_id), load_rubric(record.rubric_id)
        engine, notice = restore_engine(couple, record.snapshot, record.engine)
        if len(engine.transcript().turns) != len(record.turns):
            raise TrainerError("This session's saved state does not match its turns.")
        return LiveSession(
            id=record.id, couple=couple, rubric=rubric, mode=record.mode,
            engine_label=record.engine, judge_label=record.judge, engine=engine,
            turns=list(record.turns), notices=[notice] if notice else [], version=record.version,
        )

    def _evaluate(
        self, transcript: Transcript, rubric: Rubric, judge_label: str
    ) -> tuple[Evaluation, dict[str, Any] | None]:
        """The evaluation, and the tokens the LLM judge spent on it (None offline)."""
        evaluator = "llm" if judge_label.startswith("llm") else "offline"
        try:
            return evaluate(transcript, rubric, evaluator)
        except TrainerError as exc:
            if evaluator == "offline":
                raise
            result, _ = evaluate(transcript, rubric, "offline")
            return result.model_copy(
                update={"fallback": True, "notices": [*result.notices, f"LLM judge unavailable: {exc}"]}
            ), None

    # --- reports ----------------------------------------------------------------

    def report(self, user: UserRecord, session_id: uuid.UUID | str) -> ReportView:
        """The report of a completed session the user may see."""
        record = get_session(self.store, viewer_for(user), session_id)
        if record.latest_evaluation is None:
            raise TrainerError("This session has not been scored yet.")
        rubric = load_rubric(record.latest_evaluation.rubric_id)
        couple = _couple_or_none(record.couple_id)
        holder = user if record.user_id == user.id else get_user(self.store, record.user_id)
        return build_report(
            [record_as_turn(t) for t in record.turns], record.latest_evaluation.result, rubric,
            title=couple.title if couple else record.couple_id,
            subtitle=_subtitle(record, couple), source=str(record.id), couple=couple,
            flags=record.flags, mode=record.mode, started_at=record.started_at,
            ended_at=record.ended_at, session_id=str(record.id), review=record.review,
            trainee=holder.display_name if holder else None,
        )


    def transcript_file(self, user: UserRecord, session_id: uuid.UUID | str) -> str:
        """The stored session as a `trainer.transcript/v1` JSON document."""
        record = get_session(self.store, viewer_for(user), session_id)
        couple = _couple_or_none(record.couple_id)
        return transcript_json(
            [record_as_turn(t) for t in record.turns], persona=record.couple_id,
            clients=couple.names if couple else None,
        )


def _voice_notice(renderer: object, records: list[Any], technical: str | None) -> str | None:
    """A plain sentence when the model did not voice the couple (the details go to the log)."""
    kept = bool(getattr(renderer, "kept_partial", False))
    if not any(getattr(r, "fallback", False) for r in records) and not technical and not kept:
        return None
    why = technical or getattr(renderer, "last_error", None) or "unknown reason"
    log.warning("couple voiced from the script this turn: %s", why)
    return notice("voice_cut" if kept else "voice_down")


def _take_usage(renderer: object) -> dict[str, Any] | None:
    """Tokens and cost an LLM renderer used since the last stored turn (None offline)."""
    take = getattr(renderer, "take_usage", None)
    return take() if callable(take) else None


def evaluate(
    transcript: Transcript, rubric: Rubric, evaluator: str
) -> tuple[Evaluation, dict[str, Any] | None]:
    """Score with the named evaluator; also the tokens and cost its LLM calls used (None offline)."""
    judge = make_evaluator(rubric, evaluator)
    return judge(transcript), _judge_usage(judge)


def _judge_usage(judge: object) -> dict[str, Any] | None:
    """Tokens and cost of the LLM judge's calls (None for the offline evaluator)."""
    meter = getattr(judge, "meter", None)
    summary = getattr(meter, "summary", None)
    if not callable(summary):
        return None
    totals = summary()
    return {key: totals.get(key, 0) for key in ("prompt_tokens", "completion_tokens", "cost_usd")}


def _couple_or_none(couple_id: str) -> Couple | None:
    try:
        return load_couple(couple_id)
    except TrainerError:
        return None


def _subtitle(record: SessionRecord, couple: Couple | None) -> str:
    names = " & ".join(couple.names) if couple else record.couple_id
    return f"{names} \u00b7 {record.mode} session"
