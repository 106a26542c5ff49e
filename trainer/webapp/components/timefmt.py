"""Dates in the visitor's own time zone (from the browser), UTC when it is unknown."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st


def local(moment: datetime, fmt: str = "%d %b %Y, %H:%M") -> str:
    zone_name = None
    try:
        zone_name = st.context.timezone
    except Exception:  # noqa: BLE001 - outside a browser session
        zone_name = None
    try:
        zone = ZoneInfo(zone_name) if zone_name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC
    suffix = "" if zone is not UTC else " UTC"
    return moment.astimezone(zone).strftime(fmt) + suffix
