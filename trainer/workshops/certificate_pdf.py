"""Printable certificates of completion (fpdf2): one landscape A4 page per participant.

Uses the report's font handling (`trainer.practice.pdf`): a Unicode font when one is
installed, so names like "Tomás" or "Zoë" print as written; Latin-1 otherwise.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from trainer.practice.export import slug
from trainer.practice.pdf import covered_by, latin1, unicode_font
from trainer.workshops.certificates import Certificate, hours_text, long_date

INK, MUTED, ACCENT, RULE = (33, 37, 41), (108, 117, 125), (47, 93, 98), (190, 205, 205)


class _CertificatePDF(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="landscape", format="A4")
        font = unicode_font()
        if font is None:
            self.family, self.clean = "Helvetica", latin1
        else:
            regular, bold = font
            self.family, self.clean = "DejaVu", covered_by(regular)
            self.add_font("DejaVu", "", str(regular))
            self.add_font("DejaVu", "B", str(bold or regular))
        self.set_auto_page_break(False)
        self.set_margins(25, 20, 25)

    def line_text(self, text: str, size: float, style: str = "", color=INK, gap: float = 2) -> None:  # type: ignore[no-untyped-def]
        self.set_font(self.family, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, self.clean(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)


def _page(pdf: _CertificatePDF, cert: Certificate) -> None:
    terms = cert.terms
    pdf.add_page()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, pdf.w - 28, pdf.h - 28)
    pdf.set_y(30)
    pdf.line_text("CERTIFICATE OF COMPLETION", 24, "B", ACCENT, gap=6)
    pdf.line_text("This certifies that", 12, color=MUTED, gap=3)
    pdf.line_text(cert.participant, 28, "B", INK, gap=4)
    pdf.line_text("has completed the workshop", 12, color=MUTED, gap=3)
    pdf.line_text(terms.title, 18, "B", INK, gap=2)
    pdf.line_text(f"held on {long_date(terms.held_on)}, facilitated by {terms.facilitator}", 12, gap=6)
    details = []
    if terms.hours is not None:
        details.append(f"Continuing-education hours: {hours_text(terms.hours)}")
    if terms.provider:
        details.append(f"Provider: {terms.provider}")
    if terms.approval:
        details.append(f"Approval number: {terms.approval}")
    for line in details:
        pdf.line_text(line, 12, "B" if line.startswith("Continuing") else "", INK, gap=1.5)
    pdf.ln(2)
    pdf.line_text(f"Completion requirement: {terms.rule.describe()}; met on {long_date(cert.completed_on)}.",
                  10, color=MUTED, gap=1)
    # signature line and the id, along the foot of the page
    foot = pdf.h - 45
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(pdf.w / 2 - 45, foot, pdf.w / 2 + 45, foot)
    pdf.set_y(foot + 2)
    pdf.line_text(f"{terms.facilitator}, facilitator", 10, color=INK, gap=4)
    pdf.line_text(f"Certificate {cert.certificate_id}", 9, color=MUTED, gap=0)


def certificate_pdf(certs: Certificate | Sequence[Certificate]) -> bytes:
    """One certificate, or several (a page each) in one printable PDF."""
    pdf = _CertificatePDF()
    for cert in [certs] if isinstance(certs, Certificate) else certs:
        _page(pdf, cert)
    if not pdf.pages:
        raise ValueError("no certificates to print")
    return bytes(pdf.output())


def certificate_filename(cert: Certificate) -> str:
    return f"certificate-{slug(cert.participant)}-{slug(cert.terms.title)}.pdf"


def certificates_zip(certs: Sequence[Certificate]) -> bytes:
    """Every certificate as its own PDF, in one ZIP file for the facilitator to send on."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        seen: set[str] = set()
        for cert in certs:
            name = certificate_filename(cert)
            if name in seen:  # two people whose names slug alike
                name = name.replace(".pdf", f"-{cert.certificate_id[-4:].lower()}.pdf")
            seen.add(name)
            archive.writestr(name, certificate_pdf(cert))
    return buffer.getvalue()
