"""Blocks of an official document (Nghị định 30/2020/NĐ-CP, Phụ lục I) built with reportlab.

Plain functions: they take plain values (strings, `OrgInfo`) and return flowables or bytes;
no Flask, no database. Fonts and paragraph styles are built once per process.

    story = [national_heading(org, number="...", place_date="Sơn Hà, ngày ..."),
             *title_block("DANH SÁCH ...", ["Lớp ..."]),
             data_table(header, rows, widths),
             signature_block(org)]
    pdf_bytes = build_pdf(story, title="...")

Layout: A4 portrait (or landscape), margins top/bottom 20 mm, left 30 mm, right 15 mm; body
13 pt, tables 11 pt; page numbers centred in the top margin from page 2 ("top", as
Nghị định 30 asks) or "Trang x/y" at the foot of every page ("bottom", for sheets that are
signed page by page).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_BOLD_ITALIC,
    SERIF_ITALIC,
    register_fonts,
)
from app.documents.models import OrgInfo

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MARGINS = {"top": 20 * mm, "bottom": 20 * mm, "left": 30 * mm, "right": 15 * mm}
# Every table names the serif for its cells: reportlab's default cell font is Helvetica, which
# it sets (and so references, unembedded) even when the cells hold paragraphs.
_SERIF_CELLS = ("FONTNAME", (0, 0), (-1, -1), SERIF)


def page_size(orientation: str = "portrait") -> tuple[float, float]:
    return landscape(A4) if orientation == "landscape" else A4


def frame_width(orientation: str = "portrait") -> float:
    return page_size(orientation)[0] - MARGINS["left"] - MARGINS["right"]


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles, built once per process (fonts registered first)."""
    register_fonts()

    def style(name, size=13, font=SERIF, align=TA_LEFT, leading=None, **kw):
        return ParagraphStyle(name, fontName=font, fontSize=size,
                              leading=leading or round(size * 1.2, 1), alignment=align, **kw)

    return {
        "body": style("body", 13),
        "body_center": style("body_center", 13, align=TA_CENTER),
        "italic_center": style("italic_center", 13, SERIF_ITALIC, TA_CENTER),
        "heading_left": style("heading_left", 12.5, align=TA_CENTER, leading=15),
        "heading_left_bold": style("heading_left_bold", 12.5, SERIF_BOLD, TA_CENTER,
                                   leading=15),
        "national": style("national", 12.5, SERIF_BOLD, TA_CENTER, leading=15),
        "motto": style("motto", 13, SERIF_BOLD, TA_CENTER, leading=15.5),
        "number": style("number", 13, align=TA_CENTER),
        "place_date": style("place_date", 13, SERIF_ITALIC, TA_CENTER),
        "title": style("title", 14, SERIF_BOLD, TA_CENTER, leading=17, spaceBefore=6),
        "subtitle": style("subtitle", 13, align=TA_CENTER, leading=16),
        "cell": style("cell", 11, leading=13),
        "cell_center": style("cell_center", 11, align=TA_CENTER, leading=13),
        "cell_right": style("cell_right", 11, align=TA_RIGHT, leading=13),
        "cell_head": style("cell_head", 11, SERIF_BOLD, TA_CENTER, leading=13),
        "signer": style("signer", 13, SERIF_BOLD, TA_CENTER, leading=16),
        "signer_note": style("signer_note", 12, SERIF_ITALIC, TA_CENTER, leading=14),
        # "Nơi nhận:" in bold italics, 12 pt (Nghị định 30/2020, Phụ lục I).
        "recipients_head": style("recipients_head", 12, SERIF_BOLD_ITALIC, leading=14),
        "recipients": style("recipients", 11, leading=13),
        "page_number": style("page_number", 13, align=TA_CENTER),
    }


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), styles()[style])


class Rule(Flowable):
    """A short centred horizontal line (under the issuing body and under the motto)."""

    def __init__(self, width: float, thickness: float = 0.6):
        super().__init__()
        self.line_width = width
        self.thickness = thickness

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        return avail_width, 3

    def draw(self):
        x = (self.avail - self.line_width) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, 2, x + self.line_width, 2)


def national_heading(org: OrgInfo, number: str | None = None, place_date: str = "",
                     width: float | None = None) -> Table:
    """The two-column heading: issuing body (and its parent) with "Số: ..." on the left; the
    national name and motto with "Place, ngày ... tháng ... năm ..." on the right."""
    styles()
    width = width or frame_width()
    left_w = width * 0.42
    right_w = width - left_w
    issuing = (org.issuing_body or "").upper()
    issuing_width = min(stringWidth(issuing, SERIF_BOLD, 12.5), left_w - 12)
    motto_width = stringWidth(MOTTO, SERIF_BOLD, 13)
    left = []
    if org.parent_body:
        left.append(para(org.parent_body.upper(), "heading_left"))
    left += [para(issuing, "heading_left_bold"), Rule(max(issuing_width / 3, 30))]
    if number is not None:
        left.append(Spacer(1, 4))
        left.append(para(f"Số: {number}", "number"))
    right = [para(NATIONAL_NAME, "national"), para(MOTTO, "motto"), Rule(motto_width)]
    if place_date:
        right.append(Spacer(1, 4))
        right.append(para(place_date, "place_date"))
    table = Table([[left, right]], colWidths=[left_w, right_w])
    table.setStyle(TableStyle([
        _SERIF_CELLS,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def title_block(title: str, lines: Sequence[str] = (), space_before: float = 14) -> list:
    """The document's name in bold capitals, then its subject lines, centred."""
    out: list = [Spacer(1, space_before), para(title.upper(), "title")]
    out += [para(line, "subtitle") for line in lines if line]
    out.append(Spacer(1, 8))
    return out


def _cell(value, style: str) -> Paragraph | str:
    if isinstance(value, Flowable):
        return value
    return para("" if value is None else str(value), style)


def data_table(header_rows: Sequence[Sequence], rows: Sequence[Sequence],
               col_widths: Sequence[float], *, spans: Sequence[tuple] = (),
               align: Sequence[str] | None = None, zebra: bool = False) -> Table:
    """A bordered table whose header rows repeat on every page.

    ``header_rows``: one or more rows of header text ("" under a span); ``spans``: reportlab
    SPAN commands' corners, e.g. ``((2, 0), (3, 0))`` for a header cell over two columns;
    ``align``: per column "left", "center" or "right" for the body cells.
    """
    align = list(align or ["left"] * len(col_widths))
    cell_style = {"left": "cell", "center": "cell_center", "right": "cell_right"}
    data = [[_cell(v, "cell_head") for v in row] for row in header_rows]
    for row in rows:
        data.append([_cell(v, cell_style[align[i]]) for i, v in enumerate(row)])
    table = Table(data, colWidths=list(col_widths), repeatRows=len(header_rows))
    commands = [
        _SERIF_CELLS,
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, len(header_rows) - 1), "MIDDLE"),
        ("VALIGN", (0, len(header_rows)), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("SPAN", start, end) for start, end in spans]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, len(header_rows)), (-1, -1),
                         [colors.white, colors.Color(0.95, 0.95, 0.95)]))
    table.setStyle(TableStyle(commands))
    return table


def signature_block(org: OrgInfo, *, recipients: Sequence[str] = (), width: float | None = None,
                    note: str = "", space: float = 24 * mm) -> KeepTogether:
    """"Nơi nhận" on the left (optional); on the right the signer's authority ("KT. CHỦ
    TỊCH"), title ("PHÓ CHỦ TỊCH"), room to sign and seal, and the name. Kept on one page."""
    width = width or frame_width()
    left_w = width * 0.45
    left: list = []
    if recipients:
        left.append(para("Nơi nhận:", "recipients_head"))
        left += [para(f"- {r}", "recipients") for r in recipients]
    right: list = []
    if org.signer_authority:
        right.append(para(org.signer_authority.upper(), "signer"))
    if org.signer_title:
        right.append(para(org.signer_title.upper(), "signer"))
    if note:
        right.append(para(note, "signer_note"))
    right.append(Spacer(1, space))
    right.append(para(org.signer_name, "signer"))
    table = Table([[left, right]], colWidths=[left_w, width - left_w])
    table.setStyle(TableStyle([
        _SERIF_CELLS,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return KeepTogether([Spacer(1, 10), table])


class SerifCanvas(rl_canvas.Canvas):
    """A canvas whose initial font is the embedded serif (not the unembedded Helvetica)."""

    def __init__(self, *args, **kwargs):
        # The doc template passes initialFontName=None explicitly: setdefault is not enough.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or SERIF
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 13
        super().__init__(*args, **kwargs)


def _numbered_canvas(mode: str):
    """A canvas class that numbers pages: "top" (from page 2, centred in the top margin) or
    "bottom" ("Trang x/y" centred at the foot of every page; needs the total, so two passes)."""

    class NumberedCanvas(SerifCanvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab API
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._draw_number(total)
                super().showPage()
            super().save()

        def _draw_number(self, total: int) -> None:
            page = self._pageNumber
            width, height = self._pagesize
            if mode == "top":
                if page == 1:
                    return
                self.setFont(SERIF, 13)
                self.drawCentredString(width / 2, height - MARGINS["top"] / 2 - 4, str(page))
            else:
                self.setFont(SERIF_ITALIC, 10)
                self.drawCentredString(width / 2, MARGINS["bottom"] / 2 - 3,
                                       f"Trang {page}/{total}")

    return NumberedCanvas


_CANVASES = {mode: _numbered_canvas(mode) for mode in ("top", "bottom")}


def build_pdf(story: list, *, title: str, author: str = "", subject: str = "",
              orientation: str = "portrait", page_numbers: str | None = "top") -> bytes:
    """Lay out the story on A4 and return the PDF bytes (fonts embedded as subsets)."""
    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=page_size(orientation), title=title, author=author, subject=subject,
        creator="taphuan", leftMargin=MARGINS["left"], rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"], bottomMargin=MARGINS["bottom"], lang="vi",
        initialFontName=SERIF, initialFontSize=13)  # never the unembedded Helvetica
    canvasmaker = _CANVASES[page_numbers] if page_numbers else SerifCanvas
    doc.build(list(story), canvasmaker=canvasmaker)
    return out.getvalue()
