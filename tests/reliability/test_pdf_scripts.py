"""The PDF report with emoji, Hebrew and Arabic, looked at as a rendered page (pdftoppm) and as
positioned words (pdftotext -bbox): emoji drawn in colour, not '?'; right-to-left lines right-aligned
and read back in the order they were written."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from PIL import Image
from reliability_kit import skip_unless_available

from trainer.practice import PracticeService, report_pdf
from trainer.practice.config import Backends
from trainer.practice.pdf import can_shape, emoji_font
from trainer.store import Store, get_or_create_user_by_display_name

SCREENS = Path("/tmp/trainer-screens")
HEBREW = "\u05d0\u05e0\u05d9 \u05e9\u05d5\u05de\u05e2 \u05d0\u05ea\u05db\u05dd"  # I hear you both
ARABIC = "\u0623\u0646\u0627 \u0623\u0633\u0645\u0639\u0643\u0645\u0627"  # I hear you both
EMOJI = "\U0001f600\U0001f44d"
LINES = [
    f"Welcome, both of you {EMOJI} What brings you in today?",
    HEBREW,
    ARABIC,
    "Marc, when you go quiet, it sounds like a way to keep the peace. That makes sense.",
]
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def tools() -> None:
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            skip_unless_available(f"{tool} (Debian poppler-utils) is not installed")
    if emoji_font() is None:
        skip_unless_available("no emoji font (Debian fonts-noto-color-emoji)")
    if not can_shape():
        skip_unless_available("uharfbuzz is not installed")


@pytest.fixture
def pdf_file(sqlite_store: Store, tmp_path: Path) -> Path:
    service = PracticeService(sqlite_store, Backends("offline", "offline", "offline", None, None, False))
    user = get_or_create_user_by_display_name(sqlite_store, "Ana")
    live = service.start(user, "marc-belinda", seed=5)
    for line in LINES:
        assert service.send(user, live, line).accepted
    record = service.end(user, live)
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(service.report(user, record.id)))
    return path


def words_on_pages(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, xMin, xMax, yMin, word) for every word poppler finds."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    found, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = WORD.search(line)
        if match:
            x0, y0, x1, _, word = match.groups()
            found.append((page, float(x0), float(x1), float(y0), unescape(word)))
    return found


def test_emoji_and_right_to_left_text_on_the_rendered_page(pdf_file: Path, tmp_path: Path) -> None:
    tools()
    words = words_on_pages(pdf_file)
    latin = [w for w in words if w[4] == "Welcome,"]
    assert latin and latin[-1][1] < 70  # left-to-right lines stay left-aligned
    line = [w for w in words if w[0] == latin[-1][0] and abs(w[3] - latin[-1][3]) < 2]
    assert "".join(w[4] for w in line).count("?") == 1  # the emoji are glyphs, not '?'
    assert any(EMOJI[0] in w[4] for w in words) and any(EMOJI[1] in w[4] for w in words)
    page_width = 595.28
    for script in (HEBREW, ARABIC):
        # Poppler reads glyphs in the order they stand on the page: right-to-left words come
        # back reversed, so finding them reversed proves they were laid out right to left.
        expected = [word[::-1] for word in script.split()]
        hits = [w for w in words if w[4] in expected]
        assert len(hits) == len(expected), f"{script!r} not laid out right to left"
        page, y = hits[0][0], hits[0][3]
        row = sorted((w for w in words if w[0] == page and abs(w[3] - y) < 2), key=lambda w: -w[2])
        assert [w[4] for w in row] == expected  # the first word written stands rightmost
        assert row[0][2] > page_width - 60, f"right-to-left line not right-aligned ({row[0][2]:.0f})"
    # The page itself: find the emoji line's page and look at it in colour.
    page = latin[-1][0]
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", str(page), "-l", str(page),
                    str(pdf_file), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    SCREENS.mkdir(parents=True, exist_ok=True)
    image.save(SCREENS / "pdf-emoji-rtl.png")
    vivid = sum(1 for r, g, b in image.get_flattened_data() if max(r, g, b) - min(r, g, b) > 120)
    assert vivid > 100, "no colour emoji drawn on the page"
