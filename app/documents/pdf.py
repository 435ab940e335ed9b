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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
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

from app.documents import table
from app.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_BOLD_ITALIC,
    SERIF_ITALIC,
    register_fonts,
)
from app.documents.models import COMMITTEE, OrgInfo

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
HEADING_SIZE = 12  # the issuer's name and its parent: 12-13 pt (Phụ lục I)
NATIONAL_SIZE = 12.5  # the national name: 12-13 pt
GUTTER = 6  # between the issuer's lines and the national name
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
        "heading_left": style("heading_left", HEADING_SIZE, align=TA_CENTER, leading=15),
        "heading_left_bold": style("heading_left_bold", HEADING_SIZE, SERIF_BOLD, TA_CENTER,
                                   leading=15),
        "national": style("national", NATIONAL_SIZE, SERIF_BOLD, TA_CENTER, leading=15),
        "motto": style("motto", 13, SERIF_BOLD, TA_CENTER, leading=15.5),
        "number": style("number", 13, align=TA_CENTER),
        "place_date": style("place_date", 13, SERIF_ITALIC, TA_CENTER),
        "title": style("title", 14, SERIF_BOLD, TA_CENTER, leading=17, spaceBefore=6),
        "subject": style("subject", 13, SERIF_BOLD, TA_CENTER, leading=16),
        "annex": style("annex", 13, SERIF_ITALIC, TA_CENTER, leading=16),
        "subtitle": style("subtitle", 13, align=TA_CENTER, leading=16),
        "cell": style("cell", 11, leading=13),
        "cell_center": style("cell_center", 11, align=TA_CENTER, leading=13),
        "cell_right": style("cell_right", 11, align=TA_RIGHT, leading=13),
        "cell_head": style("cell_head", 11, SERIF_BOLD, TA_CENTER, leading=13),
        # A wide matrix (a column per session): 10 pt.
        "cell_small": style("cell_small", 10, leading=12),
        "cell_center_small": style("cell_center_small", 10, align=TA_CENTER, leading=12),
        "cell_right_small": style("cell_right_small", 10, align=TA_RIGHT, leading=12),
        "cell_head_small": style("cell_head_small", 10, SERIF_BOLD, TA_CENTER, leading=12),
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
    """A short centred horizontal line under a block of text (the issuing body, the motto,
    a title), drawn `gap` points below the block so that it clears the descenders of the
    letters above ("lập", "phúc") and the marks below them ("ạ", "ộ").

    A paragraph's last baseline lies (leading - size) above its bottom and its descenders
    reach about 0.22 em below the baseline: with 12.5-13 pt type on 15-15.5 pt leading they
    end level with the paragraph's bottom, so the default gap of 4 pt leaves about 3.5 pt of
    paper between letters and line."""

    def __init__(self, width: float, thickness: float = 0.6, gap: float = 4, after: float = 1):
        super().__init__()
        self.line_width = width
        self.thickness = thickness
        self.gap = gap
        self.after = after

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        return avail_width, self.gap + self.after

    def draw(self):
        x = (self.avail - self.line_width) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, self.after, x + self.line_width, self.after)


@dataclass(frozen=True)
class HeadingLine:
    """One line of the issuer's heading (ô 2 of Nghị định 30/2020, Phụ lục I)."""

    text: str
    bold: bool  # the issuing body; the parent line is upright, not bold


def heading_columns(width: float | None = None) -> tuple[float, float]:
    """The widths of the heading's two columns: the issuer's on the left, the national name's
    on the right (wide enough for "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on one line)."""
    register_fonts()
    width = width or frame_width()
    right = max(stringWidth(NATIONAL_NAME, SERIF_BOLD, NATIONAL_SIZE) + 8, width * 0.55)
    return width - right, right


def _good_break(before: str, after: str) -> bool:
    """A break a reader expects in a name: after a dash, before "và" ("SỞ NÔNG NGHIỆP" over
    "VÀ MÔI TRƯỜNG", "PHÒNG LAO ĐỘNG -" over "THƯƠNG BINH VÀ XÃ HỘI")."""
    return before in ("-", "–") or after.lower() == "và"


def _split(text: str, bold: bool, width: float) -> list[str]:
    """`text` over as few lines as fit `width`: broken where names break (`_good_break`) if it
    can be, then where the longest line is shortest; never "SỞ NÔNG NGHIỆP VÀ MÔI" over
    "TRƯỜNG"."""
    font = SERIF_BOLD if bold else SERIF
    words = text.split()
    greedy = simpleSplit(text, font, HEADING_SIZE, width) or [text]
    if len(greedy) <= 1 or len(words) > 40:
        return greedy

    def measure(line: str) -> float:
        return stringWidth(line, font, HEADING_SIZE)

    none = (len(words) + 1, float("inf"), ())  # no setting fits

    @cache
    def best(start: int, lines: int) -> tuple[int, float, tuple[str, ...]]:
        """(bad breaks, longest line, lines) setting words[start:] on `lines` lines, each
        within `width`: the fewest bad breaks, then the shortest longest line."""
        if lines == 1:
            line = " ".join(words[start:])
            return (0, measure(line), (line,)) if measure(line) <= width else none
        found = none
        for end in range(start + 1, len(words) - lines + 2):
            line = " ".join(words[start:end])
            bad, longest, rest = best(end, lines - 1)
            if measure(line) > width or not rest:
                continue
            bad += not _good_break(words[end - 1], words[end])
            found = min(found, (bad, max(measure(line), longest), (line, *rest)))
        return found

    _bad, _longest, lines = best(0, len(greedy))  # as few lines as the greedy break needs
    return list(lines) or greedy


def heading_lines(org: OrgInfo, width: float | None = None) -> list[HeadingLine]:
    """The lines naming the issuer, decided by its kind (the one place that decides them; the
    papers and the preview on /admin/settings use it).

    A People's Committee heads with its own name written out, both lines bold and no parent
    line: "ỦY BAN NHÂN DÂN" over "XÃ SƠN HÀ". An office of a People's Committee or a
    provincial department carries its parent above it, upright: "ỦY BAN NHÂN DÂN XÃ SƠN HÀ"
    (over two lines when it does not fit the column) over "PHÒNG VĂN HÓA - XÃ HỘI" in bold.
    Lines longer than the column (`heading_columns`, less the gutter) are broken between
    words, where the longest line is shortest.
    """
    width = width if width is not None else heading_columns()[0] - GUTTER
    unit = org.unit_title.upper()
    committee = COMMITTEE.upper()
    if org.is_committee:
        return [HeadingLine(committee, True)] + [
            HeadingLine(line, True) for line in _split(unit, True, width)]
    parent = f"{committee} {unit}".strip()
    if len(_split(parent, False, width)) == 1:
        parents = [parent]
    else:
        parents = [committee, *_split(unit, False, width)]
    return [HeadingLine(line, False) for line in parents] + [
        HeadingLine(line, True) for line in _split(org.office_name.upper(), True, width)]


def rule_width(lines: Sequence[HeadingLine]) -> float:
    """The rule under the issuing body: 2/5 of its longest bold line (Phụ lục I: from 1/3
    to 1/2 of the line)."""
    register_fonts()
    longest = max((stringWidth(line.text, SERIF_BOLD, HEADING_SIZE)
                   for line in lines if line.bold), default=90)
    return round(longest * 2 / 5, 1)


def national_heading(org: OrgInfo, number: str | None = None, place_date: str = "",
                     width: float | None = None) -> Table:
    """The two-column heading: the issuer (`heading_lines`) with "Số: ..." on the left; the
    national name and motto with "Place, ngày ... tháng ... năm ..." on the right. A paper
    without a number of its own (an annex) passes `number=None`; without `place_date` the
    right column ends with the motto's rule."""
    styles()
    width = width or frame_width()
    left_w, right_w = heading_columns(width)
    lines = heading_lines(org, left_w - GUTTER)
    left: list = [para(line.text, "heading_left_bold" if line.bold else "heading_left")
                  for line in lines]
    left.append(Rule(rule_width(lines)))
    if number is not None:
        left.append(Spacer(1, 4))
        left.append(para(f"Số: {number}", "number"))
    right = [para(NATIONAL_NAME, "national"), para(MOTTO, "motto"),
             Rule(stringWidth(MOTTO, SERIF_BOLD, 13))]
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


@dataclass(frozen=True)
class PreviewText:
    text: str
    x: float  # the centre of the line
    y: float  # its baseline, from the top
    bold: bool
    size: float


@dataclass(frozen=True)
class HeadingPreview:
    """The heading's geometry in points (origin at the top left), for the HTML preview on
    /admin/settings: the same lines, sizes, leading, columns and rules as `national_heading`
    (an SVG in the page draws them; the browser's serif stands in for the embedded one)."""

    width: float
    height: float
    texts: list[PreviewText]
    rules: list[tuple[float, float, float]]  # x1, x2, y


def heading_preview(org: OrgInfo, width: float | None = None) -> HeadingPreview:
    register_fonts()
    width = width or frame_width()
    left_w, right_w = heading_columns(width)
    lines = heading_lines(org, left_w - GUTTER)
    texts, rules = [], []

    def column(items, x0, col_w, rule_w):
        y = 0.0
        for text, bold, size, leading in items:
            texts.append(PreviewText(text, x0 + col_w / 2, y + size, bold, size))
            y += leading
        rules.append((x0 + (col_w - rule_w) / 2, x0 + (col_w + rule_w) / 2, y + 4))
        return y + 5

    left = column([(line.text, line.bold, HEADING_SIZE, 15) for line in lines], 0, left_w,
                  rule_width(lines))
    right = column([(NATIONAL_NAME, True, NATIONAL_SIZE, 15), (MOTTO, True, 13, 15.5)],
                   left_w, right_w, stringWidth(MOTTO, SERIF_BOLD, 13))
    return HeadingPreview(width, max(left, right) + 2, texts, rules)


def title_block(title: str, lines: Sequence[str] = (), space_before: float = 14, *,
                subject: str = "", annex: str = "") -> list:
    """The document's name in bold capitals, then its subject (trích yếu, bold) and, for an
    annex, the line naming the document it goes with ("(Kèm theo Quyết định số ... của ...)",
    italic); a short rule under them when there is a subject or an annex line (Phụ lục I:
    the rule under the trích yếu, 1/3 to 1/2 of the line); then the other lines, centred."""
    out: list = [Spacer(1, space_before), para(title.upper(), "title")]
    if subject:
        out.append(para(subject, "subject"))
    if annex:
        out.append(para(f"({annex})", "annex"))
    if subject or annex:
        register_fonts()
        out.append(Rule(round(min(stringWidth(title.upper(), SERIF_BOLD, 14),
                                  frame_width()) / 3, 1)))
        out.append(Spacer(1, 4))
    out += [para(line, "subtitle") for line in lines if line]
    out.append(Spacer(1, 8))
    return out


def _cell(value, style: str) -> Paragraph | str:
    if isinstance(value, Flowable):
        return value
    return para("" if value is None else str(value), style)


_ALIGN = {TA_LEFT: "LEFT", TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}


def _body_cell(value, style: ParagraphStyle, width: float, made: dict, lines: bool = False):
    """A body cell: plain text drawn in the column's font when it fits on one line (no
    Paragraph to build and wrap: pixel for pixel what the paragraph would draw, at a tenth of
    the cost), a Paragraph that wraps inside the cell otherwise (a long name), shared by the
    cells of the column with the same text (`made`); a flowable as given."""
    if isinstance(value, Flowable):
        return value
    text = "" if value is None else str(value)
    if not text:
        return []  # nothing drawn (an empty string would be drawn as an empty text run)
    inner = width - table.PAD["left"] - table.PAD["right"]
    plain = "\n" not in text and "<" not in text and "&" not in text
    fits = ("fits", style.fontName, style.fontSize, inner, text)  # measured once a table
    if plain and fits not in made:
        made[fits] = stringWidth(text, style.fontName, style.fontSize) <= inner
    if plain and made[fits]:
        return text
    if lines and plain and all(stringWidth(word, style.fontName, style.fontSize) <= inner
                     for word in text.split()):
        # lines broken at spaces, as the paragraph would break them, drawn as strings (a
        # sign-in sheet's "Trưởng thôn, bản" in every row: a fifth of the sheet's time);
        # `lines` only where no body cell spans rows
        key = ("lines", style.name, width, text)
        if key not in made:
            made[key] = "\n".join(simpleSplit(text, style.fontName, style.fontSize, inner))
        return made[key]
    key = (style.name, width, text)
    if key not in made:
        made[key] = Paragraph(escape(text).replace("\n", "<br/>"), style)
    return made[key]


def data_table(header_rows: Sequence[Sequence], rows: Sequence[Sequence],
               col_widths: Sequence[float], *, spans: Sequence[tuple] = (),
               align: Sequence[str] | None = None, zebra: bool = False,
               body_padding: float | None = None, footer_rows: int = 0,
               font_size: float | None = None) -> Flowable:
    """A bordered table whose header rows repeat on every page, laid out page by page in
    time linear in its rows (`app/documents/table.py`).

    ``header_rows``: one or more rows of header text ("" under a span); ``spans``: reportlab
    SPAN commands' corners, e.g. ``((2, 0), (3, 0))`` for a header cell over two columns, or
    over columns of one body row such as a totals row (a span over several body rows makes
    it a plain reportlab table); ``align``: per column "left",
    "center" or "right" for the body cells; ``body_padding``: the room above and below each
    body row's text (a sheet signed by hand needs ~9 pt); ``footer_rows``: the last rows are
    totals, in bold; ``font_size``: smaller cells (10 pt) for a wide matrix. Body text that
    fits its cell on one line is drawn as plain text in the cell's font, longer text wraps
    inside the cell (`_body_cell`).
    """
    register_fonts()  # the rows are measured now, in the fonts they print in
    align = list(align or ["left"] * len(col_widths))
    small = "_small" if font_size else ""
    cell_style = {"left": "cell" + small, "center": "cell_center" + small,
                  "right": "cell_right" + small}
    sheet = styles()
    head = len(header_rows)
    body = len(rows) - footer_rows
    column_styles = [sheet[cell_style[a]] for a in align]
    bold = sheet["cell_head" + small]
    made: dict = {}
    # The header's cells by the body's rule, in bold and centred, a cell that spans columns
    # measured in the width of its span.
    widths = [list(col_widths) for _ in header_rows]
    for first, last in spans:
        if max(first[1], last[1]) < head:
            left, right = sorted((first[0], last[0]))
            widths[min(first[1], last[1])][left] = sum(col_widths[left:right + 1])
    header = [[_body_cell(v, bold, widths[n][i], made, True) for i, v in enumerate(row)]
              for n, row in enumerate(header_rows)]
    # a body cell that spans columns (a totals row's label) is measured in its span's width
    spanned = table.span_widths(col_widths, [((a[0], a[1] - head), (b[0], b[1] - head))
                                             for a, b in spans if min(a[1], b[1]) >= head])
    lines = all(first[1] == last[1] for first, last in spans if max(first[1], last[1]) >= head)
    # a body row's text cells by column, made once a text (a sheet repeats its commune,
    # position, "Nam"/"Nữ" in every row)
    by_column: list[dict] = [{} for _ in col_widths]
    cells = []
    for n, row in enumerate(rows):
        out = []
        for i, v in enumerate(row):
            if n >= body or (n, i) in spanned or type(v) is not str:
                out.append(_body_cell(v, bold if n >= body else column_styles[i],
                                      spanned.get((n, i), col_widths[i]), made, lines))
                continue
            cell = by_column[i].get(v, by_column)
            if cell is by_column:
                cell = by_column[i][v] = _body_cell(v, column_styles[i], col_widths[i], made,
                                                    lines)
            out.append(cell)
        cells.append(out)
    commands = [("FONTNAME", (0, 0), (-1, head - 1), bold.fontName),
                ("FONTSIZE", (0, 0), (-1, head - 1), bold.fontSize),
                ("LEADING", (0, 0), (-1, head - 1), bold.leading),
                ("ALIGN", (0, 0), (-1, head - 1), _ALIGN[bold.alignment])] if head else []
    # The plain-text cells take the size, leading and alignment of the column's style (one
    # command per run of columns aligned alike: reportlab replays every command on each page).
    commands += [("FONTSIZE", (0, head), (-1, -1), column_styles[0].fontSize),
                 ("LEADING", (0, head), (-1, -1), column_styles[0].leading)]
    start = 0
    for i in range(1, len(column_styles) + 1):
        if i == len(column_styles) or align[i] != align[start]:
            commands.append(("ALIGN", (start, head), (i - 1, -1),
                             _ALIGN[column_styles[start].alignment]))
            start = i
    if footer_rows:
        commands += [("FONTNAME", (0, head + body), (-1, -1), bold.fontName),
                     ("ALIGN", (0, head + body), (-1, -1), "CENTER")]
    padding = (table.PAD["top"], table.PAD["bottom"])
    if body_padding is not None:
        padding = (body_padding, body_padding)
        commands += [("TOPPADDING", (0, head), (-1, -1), body_padding),
                     ("BOTTOMPADDING", (0, head), (-1, -1), body_padding)]
    in_body = [(first, last) for first, last in spans if max(first[1], last[1]) >= head]
    if all(first[1] == last[1] for first, last in in_body):  # spans within one row each
        header_spans = [span for span in spans if span not in in_body]
        return table.PagedTable(header, cells, col_widths,
                                table.commands(_SERIF_CELLS, head, header_spans) + commands,
                                zebra=zebra, leading=column_styles[0].leading, padding=padding,
                                body_spans=[((a[0], a[1] - head), (b[0], b[1] - head))
                                            for a, b in in_body])
    plain = Table(header + cells, colWidths=list(col_widths), repeatRows=head)
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, head), (-1, -1), list(table.ZEBRA)))
    plain.setStyle(TableStyle(table.commands(_SERIF_CELLS, head, spans) + commands))
    return plain


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


@dataclass(frozen=True)
class Signer:
    """One column of a row of signatures: its title lines in bold capitals ("NGƯỜI LẬP
    BIỂU"; "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), the note under them, the name (blank: written
    by hand)."""

    titles: tuple[str, ...]
    name: str = ""
    note: str = "(Ký, ghi rõ họ tên)"


def org_signer(org: OrgInfo, note: str = "(Ký, ghi rõ họ tên, đóng dấu)") -> Signer:
    """The head of the organising unit as the settings name them."""
    titles = tuple(t for t in (org.signer_authority, org.signer_title) if t)
    return Signer(titles or ("THỦ TRƯỞNG ĐƠN VỊ",), org.signer_name, note)


def signature_row(signers: Sequence[Signer], *, place_date: str = "",
                  width: float | None = None, space: float = 22 * mm) -> KeepTogether:
    """Signatures side by side (the list maker, the accountant, the head of the unit), each
    centred in its column; `place_date` ("Sơn Hà, ngày ... tháng ... năm ...") above the last
    one. Kept on one page."""
    width = width or frame_width()
    col = width / len(signers)
    cells = []
    for n, signer in enumerate(signers):
        cell: list = []
        if place_date and n == len(signers) - 1:
            cell.append(para(place_date, "place_date"))
        elif place_date:
            cell.append(para("\u00a0", "place_date"))  # keeps the titles level
        cell += [para(t.upper(), "signer") for t in signer.titles]
        if signer.note:
            cell.append(para(signer.note, "signer_note"))
        cell.append(Spacer(1, space))
        cell.append(para(signer.name, "signer"))
        cells.append(cell)
    # The titles start level, on the line under the place and date.
    table = Table([cells], colWidths=[col] * len(signers))
    table.setStyle(TableStyle([
        _SERIF_CELLS,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return KeepTogether([Spacer(1, 10), table])


PAGE_QR = 17 * mm
QR_GAP = 3 * mm  # between the page's QR code and the corner marker on its right


def page_qr_box(pagesize: tuple[float, float]) -> tuple[float, float, float]:
    """(x, y of the bottom-left corner, side) of the page's QR code in points: at the foot on
    the right, beside the bottom-right corner marker, in the bottom margin."""
    from app.documents import markers

    width, _height = pagesize
    x = width - (markers.INSET_MM + markers.SIZE_MM) * mm - QR_GAP - PAGE_QR
    return x, 1.5 * mm, PAGE_QR


def page_marks(canvas, qr_text: str, note: str = "") -> None:
    """What a photograph of a signed page is matched by: four ArUco corner markers
    (`markers.py`: a program finds and straightens the page by them) and a small QR code at
    the foot on the right naming the paper and the page (`qr_text`), drawn in the margins;
    `note`, a line in italics at the foot on the left (what not to write where)."""
    from app.documents import markers
    from app.documents.qr import draw_qr

    markers.draw_markers(canvas)
    x, y, side = page_qr_box(canvas._pagesize)
    draw_qr(canvas, qr_text, x, y, side)
    if note:
        canvas.saveState()
        canvas.setFont(SERIF_ITALIC, 10)
        canvas.drawString(MARGINS["left"], 12 * mm, note)
        canvas.restoreState()


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
              orientation: str = "portrait", page_numbers: str | None = "top",
              on_page: Callable[[rl_canvas.Canvas, int], None] | None = None) -> bytes:
    """Lay out the story on A4 and return the PDF bytes (fonts embedded as subsets).
    `on_page(canvas, page_number)` draws on every page before its content (`page_marks`)."""
    register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=page_size(orientation), title=title, author=author, subject=subject,
        creator="taphuan", leftMargin=MARGINS["left"], rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"], bottomMargin=MARGINS["bottom"], lang="vi",
        initialFontName=SERIF, initialFontSize=13)  # never the unembedded Helvetica
    canvasmaker = _CANVASES[page_numbers] if page_numbers else SerifCanvas
    if on_page is None:
        doc.build(list(story), canvasmaker=canvasmaker)
    else:
        def draw(canvas, _doc):
            on_page(canvas, canvas.getPageNumber())

        doc.build(list(story), canvasmaker=canvasmaker, onFirstPage=draw, onLaterPages=draw)
    return out.getvalue()
