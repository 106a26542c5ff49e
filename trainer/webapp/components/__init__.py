"""Presentation pieces shared by the pages (no business logic)."""
