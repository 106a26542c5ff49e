"""An onnxruntime session tuned for a small shared CPU box: few threads, no busy-waiting."""

from __future__ import annotations

import os

import onnxruntime as ort

THREADS_ENV = "TRAINER_ENCODER_THREADS"


def default_threads() -> int:
    """$TRAINER_ENCODER_THREADS, else the usable cores capped at 2 (the machines have 2)."""
    configured = os.environ.get(THREADS_ENV, "").strip()
    if configured:
        return max(1, int(configured))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def make_session(model_bytes: bytes, threads: int) -> ort.InferenceSession:
    """CPU session over a serialized model; spinning is off so idle threads leave the core free."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3  # errors only
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
