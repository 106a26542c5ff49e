"""Prompt text of the LLM judge, one prompt per file (read with importlib.resources)."""
