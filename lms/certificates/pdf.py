"""The certificate as a PDF: one A4 landscape page drawn on a ReportLab canvas.

Bitstream Vera (shipped inside ReportLab; its licence allows embedding) is registered once, at
import. ReportLab keeps module-level state and is not documented as thread-safe, so every page is
rendered behind one lock. Output is `invariant` (no creation time or random document id): the
same certificate always gives the same bytes, so its stored SHA-256 can be checked again.
"""

import io
import threading
from pathlib import Path

import reportlab
import segno
from django.conf import settings
from django.urls import reverse
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Binary (compressed) streams, without ASCII85 armour, which cost about 2 ms a page: stored files
# and HTTP responses are 8-bit clean. (ReportLab is used only here.)
rl_config.useA85 = 0

_FONTS = Path(reportlab.__file__).parent / "fonts"
pdfmetrics.registerFont(TTFont("Vera", _FONTS / "Vera.ttf"))
pdfmetrics.registerFont(TTFont("Vera-Bold", _FONTS / "VeraBd.ttf"))

PAGE = landscape(A4)
INK = HexColor("#1d2a3a")
ACCENT = HexColor("#1d5c8c")
QR_SIZE = 32 * mm
QR_QUIET_ZONE = 4  # modules of white around the code, as the standard asks

_lock = threading.Lock()


def verification_url(code):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("certificates:verify", args=[code])


def hours_text(hours):
    number = f"{hours:.1f}".removesuffix(".0")
    return f"{number} hour{'' if number == '1' else 's'} of learning"


def _centred(pdf, text, y, font, size, max_width):
    """Draw a line centred on the page, shrinking the type until it fits the width."""
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > max_width:
        size -= 1
    pdf.setFont(font, size)
    pdf.drawCentredString(PAGE[0] / 2, y, text)


def _dark_runs(matrix):
    """Each horizontal run of dark modules as (column, row, length)."""
    for row, cells in enumerate(matrix):
        column = 0
        while column < len(cells):
            if cells[column]:
                start = column
                while column < len(cells) and cells[column]:
                    column += 1
                yield start, row, column - start
            column += 1


def _qr(pdf, url, x, y):
    """The QR code of the verification URL, linked to it.

    segno encodes it with a fixed mask (choosing the "best" of eight took 7 ms a page; any mask
    reads the same), and its dark modules are written as one filled path of integer rectangles
    in a coordinate system of one unit a module. ReportLab's QrCodeWidget, which draws every
    module as a graphics object, took about 70 ms a page, ten times the rest of the certificate."""
    matrix = segno.make_qr(url, error="m", mask=0).matrix
    size = len(matrix) + 2 * QR_QUIET_ZONE
    pdf.saveState()
    pdf.setFillColor(INK)
    pdf.translate(x, y + QR_SIZE)
    pdf.scale(QR_SIZE / size, -QR_SIZE / size)  # rows run downwards
    pdf.addLiteral(
        " ".join(
            f"{column + QR_QUIET_ZONE} {row + QR_QUIET_ZONE} {length} 1 re"
            for column, row, length in _dark_runs(matrix)
        )
        + " f"
    )
    pdf.restoreState()
    pdf.linkURL(url, (x, y, x + QR_SIZE, y + QR_SIZE), relative=0)


def render(certificate):
    """The PDF bytes of a certificate, from its snapshot fields and code."""
    width, height = PAGE
    text_width = width - 60 * mm
    url = verification_url(certificate.code)
    buffer = io.BytesIO()
    with _lock:
        pdf = canvas.Canvas(buffer, pagesize=PAGE, invariant=1, pageCompression=1)
        pdf.setTitle(f"Certificate {certificate.code}")
        pdf.setAuthor(certificate.issuer)
        pdf.setSubject(f"{certificate.name}: {certificate.course}")

        pdf.setStrokeColor(ACCENT)
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setLineWidth(0.75)
        pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

        pdf.setFillColor(ACCENT)
        _centred(pdf, certificate.issuer, height - 38 * mm, "Vera-Bold", 15, text_width)
        pdf.setFillColor(INK)
        _centred(pdf, "Certificate of completion", height - 58 * mm, "Vera-Bold", 30, text_width)
        _centred(pdf, "This certifies that", height - 75 * mm, "Vera", 13, text_width)
        _centred(pdf, certificate.name, height - 92 * mm, "Vera-Bold", 28, text_width)
        _centred(pdf, "completed", height - 106 * mm, "Vera", 13, text_width)
        _centred(pdf, certificate.course, height - 121 * mm, "Vera-Bold", 20, text_width)
        _centred(
            pdf,
            f"{certificate.run_title}, {certificate.dates}",
            height - 134 * mm,
            "Vera",
            13,
            text_width,
        )
        _centred(pdf, certificate.place, height - 142 * mm, "Vera", 13, text_width)
        _centred(pdf, hours_text(certificate.hours), height - 152 * mm, "Vera-Bold", 13, text_width)

        left, bottom = 24 * mm, 24 * mm
        pdf.setFont("Vera", 10)
        pdf.drawString(left, bottom + 16 * mm, "Certificate code")
        pdf.setFont("Vera-Bold", 13)
        pdf.drawString(left, bottom + 10 * mm, certificate.code)
        pdf.setFont("Vera", 10)
        pdf.drawString(left, bottom + 3 * mm, "Check it at")
        pdf.drawString(left, bottom - 2 * mm, url)
        _qr(pdf, url, width - 24 * mm - QR_SIZE, bottom - 4 * mm)

        pdf.showPage()
        pdf.save()
    return buffer.getvalue()
