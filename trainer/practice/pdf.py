"""The report as a PDF (fpdf2), readable in any language the session was held in.

A Unicode TrueType font (DejaVu Sans) is used when one is installed, with an
emoji font (Noto Color Emoji) as fallback for the glyphs it lacks. Text goes
through fpdf2's text shaping (HarfBuzz, via uharfbuzz) so Arabic letters join
and right-to-left text is laid out by the Unicode bidi rules; a paragraph
that starts right-to-left is right-aligned. Without a Unicode font, text is
transliterated to Latin-1 so a PDF is always produced, never a crash.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from trainer.practice.report import CriterionView, ReportView

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)
EMOJI_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    "/usr/share/fonts/TTF/Symbola.ttf",
)
INK, MUTED, ACCENT, SOFT = (33, 37, 41), (108, 117, 125), (47, 93, 98), (236, 243, 243)
_ASCII = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " "})


@lru_cache(maxsize=1)
def unicode_font() -> tuple[Path, Path | None] | None:
    """(regular, bold) DejaVu Sans files: `TRAINER_PDF_FONT`, matplotlib's copy, or the system's."""
    candidates: list[str] = [os.environ.get("TRAINER_PDF_FONT", "")]
    with contextlib.suppress(Exception):  # matplotlib ships DejaVu Sans when installed
        import matplotlib

        candidates.append(str(Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf"))
    candidates.extend(FONT_CANDIDATES)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            regular = Path(candidate)
            bold = regular.with_name(regular.stem + "-Bold.ttf")
            return regular, bold if bold.is_file() else None
    return None


@lru_cache(maxsize=1)
def emoji_font() -> Path | None:
    """An emoji font for fallback: `TRAINER_PDF_EMOJI_FONT`, else Noto Color Emoji or Symbola."""
    for candidate in (os.environ.get("TRAINER_PDF_EMOJI_FONT", ""), *EMOJI_FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def can_shape() -> bool:
    """True when uharfbuzz (fpdf2's text shaping engine) is installed."""
    return importlib.util.find_spec("uharfbuzz") is not None


@lru_cache(maxsize=4)
def _covered(path: str) -> frozenset[int]:
    """Code points the font has glyphs for (fontTools ships with fpdf2)."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


def covered_by(*paths: Path | None) -> Callable[[str], str]:
    """A cleaner that keeps what the fonts can draw and shows '?' for the rest (e.g. CJK).

    Invisible formatting characters no font draws (joiners, variation
    selectors, direction marks) are kept for the shaper, never shown as '?'.
    """
    covered: frozenset[int] = frozenset().union(*(_covered(str(p)) for p in paths if p))

    def clean(text: str) -> str:
        return "".join(
            ch if ord(ch) in covered or ch in "\n\t" or unicodedata.category(ch) in ("Cf", "Mn", "Me")
            else "?" for ch in str(text))

    return clean


def starts_right_to_left(text: str) -> bool:
    """True when the first letter with a direction is Hebrew, Arabic or another RTL script."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def latin1(text: str) -> str:
    """Closest Latin-1 rendering: accents kept, other scripts decomposed or replaced by '?'."""
    out: list[str] = []
    for char in str(text).translate(_ASCII):
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            out.append(base if base.strip() else "?")
    return "".join(out)


class _ReportPDF(FPDF):
    def __init__(self, family: str, clean) -> None:  # type: ignore[no-untyped-def]
        super().__init__(format="A4")
        self.family, self.clean = family, clean
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"Page {self.page_no()}", align="R")

    def para(self, text: str, size: float = 10, style: str = "", color=INK, gap: float = 1.5) -> None:  # type: ignore[no-untyped-def]
        self.set_font(self.family, style, size)
        self.set_text_color(*color)
        cleaned = self.clean(text)
        self.multi_cell(0, size * 0.5, cleaned, align="R" if starts_right_to_left(cleaned) else "L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(2)
        self.keep_with_next(text, "", "x")
        self.para(text, size=size, style="B", color=ACCENT, gap=1)

    def _height(self, text: str, size: float, style: str = "") -> float:
        self.set_font(self.family, style, size)
        lines = self.multi_cell(0, size * 0.5, self.clean(text), dry_run=True, output="LINES")
        return len(lines) * size * 0.5

    def keep_with_next(self, label: str, note: str, text: str) -> None:
        """Start a new page first unless a label, its note and the first two lines of its text
        fit on this one, so no speaker name or heading is left alone at a page foot."""
        first = " ".join(text.split()[:24])
        needed = self._height(label, 9, "B") + (self._height(note, 8.5) if note else 0)
        needed += min(self._height(first, 9.5), 2 * 9.5 * 0.5) + 2
        if self.will_page_break(needed):
            self.add_page()


def who_and_when(view: ReportView) -> str:
    """Whose session and when, for the top of every downloaded report."""
    when = view.ended_at or view.started_at
    parts = [f"Trainee: {view.trainee}" if view.trainee else "",
             f"Session: {when:%d %B %Y, %H:%M} UTC" if when else ""]
    return "  |  ".join(p for p in parts if p) or "Session report"


def headline(view: ReportView) -> str:
    """The total that counts: the supervisor's once they changed a score, with the evaluator's beside it."""
    if view.overridden:
        return (f"Total {view.total} / {view.max_total} (your supervisor's score; "
                f"evaluator {view.evaluator_total} / {view.max_total})")
    return f"Total {view.total} / {view.max_total}"


def review_heading(view: ReportView) -> str:
    when = f" on {view.reviewed_at:%d %B %Y}" if view.reviewed_at else ""
    return f"Reviewed by {view.reviewer or 'your supervisor'}{when}"


def criterion_heading(criterion: CriterionView) -> str:
    mark = " (supervisor's score)" if criterion.overridden else ""
    return f"{criterion.title}: {criterion.score} / {criterion.max_score}{mark}"


def supervisor_line(criterion: CriterionView) -> str:
    comment = f": \u201c{criterion.supervisor_comment}\u201d" if criterion.supervisor_comment else ""
    return (f"{criterion.supervisor or 'Your supervisor'} scored {criterion.score} / {criterion.max_score} "
            f"(the evaluator: {criterion.evaluator_score} / {criterion.max_score}){comment}")


def report_pdf(view: ReportView, *, force_latin1: bool = False) -> bytes:
    """Render the report; never raises on unusual characters."""
    font = None if force_latin1 else unicode_font()
    if font is None:
        pdf = _ReportPDF("Helvetica", latin1)
    else:
        regular, bold = font
        emoji = emoji_font()
        pdf = _ReportPDF("DejaVu", covered_by(regular, emoji))
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold or regular))
        if emoji is not None:
            pdf.add_font("Emoji", "", str(emoji))
            pdf.set_fallback_fonts(["Emoji"], exact_match=False)
        if can_shape():
            pdf.set_text_shaping(True)
    pdf.add_page()
    pdf.para(view.title, size=18, style="B", color=INK, gap=1)
    if view.subtitle:
        pdf.para(view.subtitle, size=10, color=MUTED)
    pdf.para(who_and_when(view), size=10, color=INK)
    pdf.para(f"{view.rubric_title}  |  evaluator: {view.evaluator}", size=9, color=MUTED)
    pdf.set_fill_color(*SOFT)
    pdf.set_font(pdf.family, "B", 14)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 11, pdf.clean(f"  {headline(view)}"), fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    if view.reviewed:
        pdf.heading(review_heading(view), size=12)
        if view.overall_comment:
            pdf.para(view.overall_comment)
    if view.feedback:
        pdf.para(view.feedback)
    for note in view.notices + view.flags:
        pdf.para(f"Note: {note}", size=9, color=MUTED)
    for criterion in view.criteria:
        pdf.heading(criterion_heading(criterion))
        if criterion.overridden:
            pdf.para(supervisor_line(criterion), size=9.5, style="B")
        if criterion.anchor:
            pdf.para(f"Rubric anchor: {criterion.anchor}", size=9, color=MUTED)
        if criterion.rationale:
            pdf.para(criterion.rationale)
        for ev in criterion.evidence:
            pdf.para(f"Turn {ev.turn} ({ev.speaker}): \u201c{ev.quote}\u201d", size=9.5)
        if criterion.did_well:
            pdf.para(f"What worked: {criterion.did_well}", size=9.5)
        if criterion.missed_moment:
            where = f"Turn {criterion.missed_turn}: " if criterion.missed_turn is not None else ""
            pdf.para(f"Missed moment: {where}{criterion.missed_moment}", size=9.5)
        if criterion.try_instead:
            pdf.para(f"Try instead: \u201c{criterion.try_instead}\u201d", size=9.5, style="B")
    if view.cycles:
        pdf.heading("The couple's cycles")
        for cycle in view.cycles:
            pdf.para(f"{cycle.partner}: {cycle.emotional_cycle} (emotional), "
                     f"{cycle.sexual_cycle} (sexual)", size=9.5)
    pdf.heading("Transcript")
    for turn in view.turns:
        marker = f"   [evidence: {', '.join(turn.evidence_for)}]" if turn.evidence_for else ""
        label = f"{turn.index}. {turn.speaker}{marker}"
        pdf.keep_with_next(label, turn.nonverbal, turn.text)
        pdf.para(label, size=9, style="B", color=ACCENT if turn.evidence_for else INK, gap=0.3)
        if turn.nonverbal:
            pdf.para(f"({turn.nonverbal})", size=8.5, color=MUTED, gap=0.3)
        pdf.para(turn.text, size=9.5)
    return bytes(pdf.output())
