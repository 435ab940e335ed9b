"""The bordered data table of the papers, laid out page by page in time linear in its rows.

reportlab's `Table` measures every remaining row again at each page break (and rebuilds its
span map over every cell), so a 1,000-row list cost 9 times a 200-row one. `PagedTable`
measures each row once, then at each page break takes the rows that fit from the running
sum of their heights and lays out one page-sized `Table` with the header rows on top and
every row height given (reportlab measures nothing again). What prints is the same: the
header repeated on every page, the same borders, paddings and row heights.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.tables import LINECOMMANDS

from app.documents import textrun

PAD = {"left": 3, "right": 3, "top": 2, "bottom": 3}
BIG = 10_000  # a height no cell reaches: measuring a cell never splits it
ZEBRA = (colors.white, colors.Color(0.95, 0.95, 0.95))


def commands(font_command: tuple, header_count: int, spans: Sequence[tuple]) -> list[tuple]:
    """The style of the table (borders, paddings, alignment, header spans)."""
    out = [
        font_command,
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, header_count - 1), "MIDDLE"),
        ("VALIGN", (0, header_count), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD["left"]),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD["right"]),
        ("TOPPADDING", (0, 0), (-1, -1), PAD["top"]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD["bottom"]),
    ]
    return out + [("SPAN", start, end) for start, end in spans]


def span_widths(widths: Sequence[float], spans: Sequence[tuple]) -> dict[tuple[int, int], float]:
    """{(row, first column): width} of the cells that span columns of one row, whose text is
    laid out in the span's width (rows and columns as in `spans`)."""
    out = {}
    for first, last in spans:
        if first[1] == last[1] and first[0] != last[0]:
            left, right = sorted((first[0], last[0]))
            out[first[1], left] = sum(widths[left:right + 1])
    return out


def _row_heights(rows: Sequence[Sequence], widths: Sequence[float], leading: float,
                 padding: tuple[float, float], spanned: dict | None = None) -> list[float]:
    """The height reportlab gives each row: the tallest cell plus paddings. A string cell is
    one line of `leading` (the caller made sure it fits), an empty cell ([]) nothing, a
    paragraph its wrapped height (a paragraph shared by several rows is measured once), in
    its span's width when it spans columns (`spanned`, from `span_widths`)."""
    inner = [width - PAD["left"] - PAD["right"] for width in widths]
    measured: dict[tuple[int, float], float] = {}
    out = []
    for number, row in enumerate(rows):
        tallest = 0.0
        for column, (cell, width) in enumerate(zip(row, inner, strict=True)):
            if spanned and (number, column) in spanned:
                width = spanned[number, column] - PAD["left"] - PAD["right"]
            if isinstance(cell, str):
                height = leading * (cell.count("\n") + 1)
            elif isinstance(cell, list | tuple):
                height = sum(f.wrap(width, BIG)[1] for f in cell)
            else:
                height = measured.get((id(cell), width))
                if height is None:
                    height = measured[id(cell), width] = cell.wrap(width, BIG)[1]
            tallest = max(tallest, height)
        out.append(tallest + padding[0] + padding[1])
    return out


# Commands that are not set on each cell (reportlab keeps them aside and draws them).
_NOT_CELLS = {"BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT",
              "ROUNDEDCORNERS", *LINECOMMANDS}


def cell_styles(style: Sequence[tuple], rows: int, columns: int) -> tuple[list, list[tuple]]:
    """The cells' styles of a table of `rows` rows set by `style` (fonts, alignment,
    paddings), and the other commands (lines, spans, backgrounds). Rows that the same
    commands cover share one row of styles, set once (reportlab would set every cell of
    every page again): a sheet's body rows are all alike."""
    cells, other = [], []
    for command in style:
        first, last = command[1][1], command[2][1]
        if command[0] in _NOT_CELLS or isinstance(first, str) or isinstance(last, str):
            other.append(command)
        else:
            first, last = (r + rows if r < 0 else r for r in (first, last))
            cells.append((command, max(first, 0), min(last, rows - 1)))
    shared: dict[tuple, list] = {}
    out = []
    for row in range(rows):
        key = tuple(n for n, (_c, first, last) in enumerate(cells) if first <= row <= last)
        if key not in shared:
            one = Table([[""] * columns])
            one.setStyle(TableStyle([(c[0], (c[1][0], 0), (c[2][0], 0), *c[3:])
                                     for c, _first, _last in (cells[n] for n in key)]))
            shared[key] = one._cellStyles[0]
        out.append(shared[key])
    return out, other


def _normal(rows: Sequence[Sequence]) -> list[list]:
    return [["" if cell is None else cell for cell in row] for row in rows]


class PagedTable(Flowable):
    """Header rows repeated on every page over body rows measured once (see the module)."""

    def __init__(self, header: list[list], body: list[list], col_widths: Sequence[float],
                 style: list[tuple], *, zebra: bool = False, leading: float = 13,
                 padding: tuple[float, float] = (PAD["top"], PAD["bottom"]),
                 body_spans: Sequence[tuple] = (), on_drawn=None):
        super().__init__()
        # Told where each page's part was drawn: on_drawn(canvas, x, y, start, stop), the
        # bottom-left corner in the page's points and the body rows [start, stop) (a sheet
        # records its cells as drawn).
        self.on_drawn = on_drawn
        self.hAlign = "CENTER"  # noqa: N815 - as reportlab's Table is placed
        # reportlab's cell values as each page's Table would make them (None is ""), made once
        self.header, self.body = _normal(header), _normal(body)
        self.col_widths = list(col_widths)
        self.style, self.zebra = style, zebra
        # Spans over columns of one body row (a totals row), rows counted in the body.
        self.body_spans = list(body_spans)
        self.repeatRows = len(header)  # noqa: N815 - the name reportlab's Table uses
        measured = Table(header, colWidths=self.col_widths)
        measured.setStyle(TableStyle(style))
        measured.wrap(sum(self.col_widths), BIG)
        self.header_heights = list(measured._rowHeights)
        self.cell_styles, self.other_style = cell_styles(style, len(header) + len(body),
                                                         len(self.col_widths))
        self.body_heights = _row_heights(self.body, self.col_widths, leading, padding,
                                         span_widths(self.col_widths, self.body_spans))
        self.ends = list(accumulate(self.body_heights))  # bottom of each row
        self.start = 0  # the first body row not yet laid out

    # What a page's remainder shares with the whole (never the layout state reportlab keeps on
    # a flowable, such as `_postponed`).
    SHARED = ("hAlign", "header", "body", "col_widths", "style", "zebra", "body_spans",
              "repeatRows", "header_heights", "body_heights", "ends", "on_drawn", "cell_styles",
              "other_style")

    def _rest(self, start: int) -> PagedTable:
        rest = object.__new__(PagedTable)
        Flowable.__init__(rest)
        for name in self.SHARED:
            setattr(rest, name, getattr(self, name))
        rest.start = start
        return rest

    def _height(self, start: int, stop: int) -> float:
        above = self.ends[start - 1] if start else 0.0
        return sum(self.header_heights) + (self.ends[stop - 1] - above if stop > start else 0)

    def _table(self, start: int, stop: int) -> Table:
        head = len(self.header)
        table = _Page(self.header + self.body[start:stop], colWidths=self.col_widths,
                      rowHeights=self.header_heights + self.body_heights[start:stop],
                      repeatRows=head, normalizedData=1, cellStyles=self.cell_styles[:head]
                      + self.cell_styles[head + start:head + stop])
        table.on_drawn, table.rows = self.on_drawn, (start, stop)
        style = list(self.other_style)
        style += [("SPAN", (first[0], head + first[1] - start), (last[0], head + last[1] - start))
                  for first, last in self.body_spans if start <= first[1] < stop]
        if self.zebra:  # the stripes go on where the previous page left them
            shade = ZEBRA if start % 2 == 0 else ZEBRA[::-1]
            style.append(("ROWBACKGROUNDS", (0, len(self.header)), (-1, -1), list(shade)))
        table.setStyle(TableStyle(style))
        return table

    def wrap(self, avail_width, avail_height):
        self.width = sum(self.col_widths)
        self.height = self._height(self.start, len(self.body))
        return self.width, self.height

    def split(self, avail_width, avail_height):
        """The rows that fit under the header on this page as one table, then the rest."""
        above = self.ends[self.start - 1] if self.start else 0.0
        room = avail_height - sum(self.header_heights) + above
        stop = bisect_right(self.ends, room + 1e-6, lo=self.start)
        if stop == self.start:
            return []  # not even one row: the whole table goes to the next page
        if stop >= len(self.body):
            return [self._table(self.start, len(self.body))]
        return [self._table(self.start, stop), self._rest(stop)]

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - reportlab API
        table = self._table(self.start, len(self.body))
        table.wrapOn(canvas, self.width, self.height)
        table.drawOn(canvas, x, y, _sW)


class _Page(Table):
    """One page's part of a `PagedTable`, which says where it was drawn (`on_drawn`)."""

    on_drawn = None
    rows = (0, 0)

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - reportlab API
        super().drawOn(canvas, x, y, _sW)
        if self.on_drawn is not None:
            self.on_drawn(canvas, self._hAlignAdjust(x, _sW), y, *self.rows)

    def _calcSpanRanges(self):  # noqa: N802 - reportlab API
        """reportlab's span map, over the rows a span touches only (the header rows, a totals
        row): a cell of any other row is its own rect, found by `draw` from the grid (reportlab
        maps every cell of every page, a tenth of a sign-in sheet's time)."""
        ncols, nrows = self._ncols, self._nrows
        spans = []
        for _cmd, (x0, y0), (x1, y1) in self._spanCmds:
            x0, x1 = sorted(x + ncols if x < 0 else x for x in (x0, x1))
            y0, y1 = sorted(y + nrows if y < 0 else y for y in (y0, y1))
            spans.append((x0, y0, x1, y1))
        self._spanRanges = ranges = {(x, y): (x, y, x, y) for y in
                                     {y for _x0, y0, _x1, y1 in spans for y in range(y0, y1 + 1)}
                                     for x in range(ncols)}
        self._colSpanCells, self._rowSpanCells = [], []
        for x0, y0, x1, y1 in spans:
            if x0 == x1 and y0 == y1:
                continue
            covered = [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
            if x0 != x1:
                self._colSpanCells += covered
            if y0 != y1:
                self._rowSpanCells += covered
            for cell in covered:
                ranges[cell] = None
            ranges[x0, y0] = (x0, y0, x1, y1)

    def draw(self):
        """reportlab's drawing of the page's table (backgrounds, cells, lines, in its order),
        its text cells' lines gathered into one text object (`textrun.Block`) and its empty
        cells (a sheet's signature cells) passed over."""
        self._text = textrun.Block(self.canv)
        if self._renderCB:
            super().draw()
            return
        canvas = self.canv
        canvas.saveState()
        self._curweight = self._curcolor = self._curcellstyle = None
        self._makeShadow()
        self._makeRoundedCornersClip()
        self._drawBkgrnd()
        rects = self._spanRects if self._spanCmds else None
        cell = self._drawCell
        for row, (values, styles, y, height) in enumerate(zip(
                self._cellvalues, self._cellStyles, self._rowpositions[1:], self._rowHeights)):
            for column, value in enumerate(values):
                if not value and (value == "" or isinstance(value, list | tuple)):
                    continue  # nothing drawn in it
                rect = rects.get((column, row), False) if rects is not None else False
                if rect is False:  # a cell of its own
                    cell(value, styles[column], (self._colpositions[column], y),
                         (self._colWidths[column], height))
                elif rect is not None:  # the first cell of a span (None: under one)
                    cell(value, styles[column], rect[:2], rect[2:])
        self._drawLines()
        canvas.restoreState()
        if self._roundingRectDef:
            self._restoreRoundingObscuredLines()

    def _drawLines(self):  # noqa: N802 - reportlab API
        self._text.close()
        super()._drawLines()

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: N802 - reportlab API
        """A text cell's lines added to the page's text object (the letters where reportlab
        draws them), anything else drawn by reportlab."""
        if isinstance(cellval, list | tuple) and not cellval:
            cellval = ""  # an empty cell: nothing drawn (reportlab lays out no flowable)
        plain = _PLAIN.get(cellstyle)
        if plain is None:
            plain = _PLAIN[cellstyle] = _plain(cellstyle)
        if not plain or not isinstance(cellval, str):
            self._text.close()
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if self._curcellstyle is not cellstyle:  # as reportlab's _drawCell switches styles
            cur = self._curcellstyle
            if cur is None or cellstyle.color != cur.color:
                self._text.close()  # the lines so far in their colour
                self.canv.setFillColor(cellstyle.color)
            if (cur is None or cellstyle.leading != cur.leading
                    or cellstyle.fontname != cur.fontname or cellstyle.fontsize != cur.fontsize):
                self.canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        if not cellval:
            return
        # where reportlab's _drawCell puts the first line (the same arithmetic)
        just, left, right, top, bottom, leading, fontsize, valign = plain
        (colpos, rowpos), (colwidth, rowheight) = pos, size
        if just == "LEFT":
            x = colpos + left
        elif just == "RIGHT":
            x = colpos + colwidth - right
        else:
            x = colpos + (colwidth + left - right) * 0.5
        lines = cellval.split("\n") if "\n" in cellval else (cellval,)
        if valign == "TOP":
            y = rowpos + rowheight - top - fontsize
        elif valign == "BOTTOM":
            y = rowpos + bottom + len(lines) * leading - fontsize
        else:
            y = rowpos + (bottom + rowheight - top + len(lines) * leading) / 2.0 - fontsize
        add = self._text.line
        for line in lines:
            add(x, y, line, just)
            y -= leading


def _plain(style) -> tuple | bool:
    """What places a text cell of `style` (alignment, paddings, leading, size, vertical
    alignment), or False when reportlab must draw it (links, bidirectional text, decimal
    alignment)."""
    if (style.href or style.destination or style.direction or style.shaping
            or style.alignment not in _ALIGNED or style.valign not in _VALIGNS):
        return False
    return (style.alignment, style.leftPadding, style.rightPadding, style.topPadding,
            style.bottomPadding, style.leading, style.fontsize, style.valign)


# Cell styles are shared by the pages of a table and not changed once it is laid out.
_PLAIN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


_ALIGNED = {"LEFT", "RIGHT", "CENTER", "CENTRE"}
_VALIGNS = {"TOP", "BOTTOM", "MIDDLE"}
