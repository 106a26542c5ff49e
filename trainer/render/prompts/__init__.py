"""Prompt text of the LLM renderer, one prompt per file (read with importlib.resources)."""
