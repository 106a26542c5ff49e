"""Shipped tiktoken encodings (data only; a package so the files install with it)."""
