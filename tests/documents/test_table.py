"""The shared data table laid out page by page: the same pages as reportlab's own table, each
row measured a bounded number of times (linear in the rows), header on every page."""

from unittest import mock

from reportlab.platypus import Paragraph, Table, TableStyle

from app.documents import pdf, table
from app.documents.models import DEFAULTS
from tests.documents.pdftext import drawn_text, pages

HEADER = [["STT", "Họ và tên", "Năm sinh", "", "Chức vụ"], ["", "", "Nam", "Nữ", ""]]
SPANS = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (3, 0)), ((4, 0), (4, 1))]
WIDTHS = [30, 150, 40, 40, 160]
ALIGN = ["center", "left", "center", "center", "left"]


def _rows(count: int) -> list[list[str]]:
    """Names of every length: some wrap onto two or three lines."""
    long = "Đinh Thị Hồng Nhung Ánh Tuyết Phương Thảo Quỳnh Như"
    return [[str(n), long[: 8 + (n * 7) % len(long)], "1980" if n % 2 else "", "" if n % 2
             else "1985", "Chi hội trưởng Chi hội Phụ nữ thôn" if n % 3 else "Trưởng thôn"]
            for n in range(1, count + 1)]


def _reportlab_table(paged: table.PagedTable) -> Table:
    """The same cells and style in reportlab's own Table (which lays out a long table in time
    quadratic in its rows)."""
    plain = Table(paged.header + paged.body, colWidths=paged.col_widths,
                  repeatRows=len(paged.header))
    plain.setStyle(TableStyle(paged.style))
    return plain


def _drawn(flowable) -> list[tuple]:
    with drawn_text() as runs:
        pdf.build_pdf([pdf.national_heading(DEFAULTS), flowable], title="Thử",
                      page_numbers="bottom")
    return [(r.page, r.text, r.page_y, r.x) for r in runs]


def test_pages_are_those_of_reportlabs_own_table():
    rows = _rows(260)
    paged = pdf.data_table(HEADER, rows, WIDTHS, spans=SPANS, align=ALIGN)
    assert isinstance(paged, table.PagedTable) and paged.repeatRows == 2
    ours, theirs = _drawn(paged), _drawn(_reportlab_table(paged))
    assert ours == theirs
    total = max(page for page, *_ in ours)
    assert total >= 6
    for page in range(1, total + 1):  # the header on every page, the rows in order
        on_page = [text for p, text, *_ in ours if p == page]
        assert "Họ và tên" in on_page and f"Trang {page}/{total}" in on_page


def _wraps(count: int) -> int:
    calls = 0
    original = Paragraph.wrap

    def counted(self, *args):
        nonlocal calls
        calls += 1
        return original(self, *args)

    with mock.patch.object(Paragraph, "wrap", counted), drawn_text() as runs:
        pdf.build_pdf([pdf.data_table(HEADER, _rows(count), WIDTHS, spans=SPANS,
                                      align=ALIGN)], title="x")
    assert pages(runs) > count // 60
    return calls


def test_each_row_is_measured_a_bounded_number_of_times():
    """Linear in the rows: reportlab's Table measured the remaining rows again at each page
    break (the 1,000-row list cost 9 times the 200-row one)."""
    small, large = _wraps(200), _wraps(1000)
    assert large <= 5.2 * small
    assert large <= 2 * 1000 * len(WIDTHS)  # measured once, drawn once


def test_short_text_is_drawn_where_a_paragraph_would_draw_it():
    """A cell that fits on one line is kept as a string (cheap); it prints exactly as the
    paragraph it replaces: the same pixels."""
    from PIL import ImageChops

    from tests.documents.rasterize import pages as images

    rows = [["1", "Đinh Thị Lanh", "1.200.000"], ["2", "Hồ Văn Ớ", "150.000"]]
    align = ["center", "left", "right"]
    flowable = pdf.data_table([["STT", "Họ và tên", "Số tiền"]], rows, [40, 250, 90],
                              align=align)
    assert flowable.body == rows  # kept as strings
    styles = {"left": "cell", "center": "cell_center", "right": "cell_right"}
    paragraphs = pdf.data_table([["STT", "Họ và tên", "Số tiền"]], [
        [pdf.para(v, styles[align[i]]) for i, v in enumerate(row)] for row in rows],
        [40, 250, 90])
    drawn = [images(pdf.build_pdf([f], title="x"), dpi=100)[0] for f in (flowable, paragraphs)]
    assert ImageChops.difference(*drawn).getbbox() is None


def test_a_totals_row_spanning_columns_still_prints():
    rows = [*_rows(80), ["Tổng cộng", "", "40", "40", ""]]
    spans = [*SPANS, ((0, 82), (1, 82))]
    flowable = pdf.data_table(HEADER, rows, WIDTHS, spans=spans, align=ALIGN)
    drawn = _drawn(flowable)
    assert ("Tổng cộng" in [text for _p, text, *_ in drawn])
    assert max(page for page, *_ in drawn) >= 2


def test_zebra_stripes_go_on_across_pages():
    flowable = pdf.data_table([["STT"]], [[str(n)] for n in range(1, 200)], [40], zebra=True)
    first, rest = flowable.split(400, 300)
    second = rest.split(400, 300)[0]
    stripes = [c for c in first._bkgrndcmds + second._bkgrndcmds if c[0] == "ROWBACKGROUNDS"]
    rows_on_first = len(first._cellvalues) - 1
    shades = [command[3] for command in stripes]
    assert shades[1] == (shades[0] if rows_on_first % 2 == 0 else shades[0][::-1])


def test_wrapped_text_is_drawn_where_a_paragraph_would_draw_it():
    """A cell that wraps at spaces is kept as lines of text (cheap, a sign-in sheet's
    "Trưởng thôn, bản" in every row); it prints exactly as the paragraph it replaces."""
    from PIL import ImageChops

    from tests.documents.rasterize import pages as images

    rows = [["1", "Trưởng thôn, bản Gò Trá", "Chi hội trưởng phụ nữ"],
            ["2", "Bí thư chi bộ thôn", "Cộng tác viên giảm nghèo"]]
    align = ["center", "left", "center"]
    widths = [40, 70, 70]
    flowable = pdf.data_table([["STT", "Chức vụ", "Chức vụ khác"]], rows, widths, align=align)
    assert all(isinstance(cell, str) for row in flowable.body for cell in row)
    assert "\n" in flowable.body[0][1]
    styles = {"left": "cell", "center": "cell_center", "right": "cell_right"}
    paragraphs = pdf.data_table([["STT", "Chức vụ", "Chức vụ khác"]], [
        [pdf.para(v, styles[align[i]]) for i, v in enumerate(row)] for row in rows], widths)
    drawn = [images(pdf.build_pdf([f], title="x"), dpi=100)[0] for f in (flowable, paragraphs)]
    assert ImageChops.difference(*drawn).getbbox() is None


def test_header_text_is_drawn_where_a_paragraph_would_draw_it():
    """Header cells follow the body's rule (strings, lines broken at spaces, in bold and
    centred, over two rows and under a span) and print exactly as the paragraphs they
    replace."""
    from PIL import ImageChops

    from tests.documents.rasterize import pages as images

    rows = [["1", "Đinh Thị Lanh", "1980", "", "Trưởng thôn"]]
    flowable = pdf.data_table(HEADER, rows, WIDTHS, spans=SPANS, align=ALIGN)
    assert all(isinstance(cell, str | list) for row in flowable.header for cell in row)
    paragraphs = pdf.data_table(
        [[pdf.para(v, "cell_head") if v else "" for v in row] for row in HEADER], rows, WIDTHS,
        spans=SPANS, align=ALIGN)
    wrapped = [pdf.data_table([["STT", "Năm sinh", "Ghi chú"]], [["1", "1980", ""]],
                              [30, 30, 34]),
               pdf.data_table([[pdf.para(v, "cell_head") for v in ("STT", "Năm sinh",
                                                                    "Ghi chú")]],
                              [["1", "1980", ""]], [30, 30, 34])]
    assert "\n" in wrapped[0].header[0][1]
    for pair in ((flowable, paragraphs), wrapped):
        drawn = [images(pdf.build_pdf([f], title="x"), dpi=100)[0] for f in pair]
        assert ImageChops.difference(*drawn).getbbox() is None


def test_pages_print_the_pixels_of_reportlabs_own_table():
    """Header spans, names that wrap, a totals row spanning columns: the shared table's pages
    (one text object a page, the span map over the rows spans touch) print at 150 dpi what
    reportlab's own table prints, grid lines included."""
    from PIL import ImageChops

    from tests.documents.rasterize import pages as images

    rows = [*_rows(75), ["Tổng cộng", "", "38", "37", ""]]
    spans = [*SPANS, ((0, 77), (1, 77))]
    paged = pdf.data_table(HEADER, rows, WIDTHS, spans=spans, align=ALIGN, footer_rows=1)
    theirs = _reportlab_table(paged)
    theirs.setStyle(TableStyle([("SPAN", (0, 77), (1, 77))]))
    drawn = [images(pdf.build_pdf([pdf.national_heading(DEFAULTS), f], title="x"))
             for f in (paged, theirs)]
    assert len(drawn[0]) == len(drawn[1]) >= 3
    for ours, expected in zip(*drawn, strict=True):
        assert ImageChops.difference(ours, expected).getbbox() is None
