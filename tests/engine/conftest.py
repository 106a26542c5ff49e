"""Renderers the conformance suite runs against: offline always, an LLM when asked for."""

from __future__ import annotations

import os

import pytest


def _llm_renderer():
    from trainer.render import llm  # type: ignore[attr-defined]  # written by the LLM developer

    return llm.make_renderer()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "renderer_kind" in metafunc.fixturenames:
        kinds = ["offline"]
        if os.environ.get("TRAINER_CONFORMANCE_LLM"):
            kinds.append(pytest.param("llm", marks=pytest.mark.llm_server))
        metafunc.parametrize("renderer_kind", kinds)


@pytest.fixture
def renderer(renderer_kind: str):
    """None for the offline renderer; the configured LLM renderer otherwise."""
    return None if renderer_kind == "offline" else _llm_renderer()
