"""Charts drawn on the server as SVG: no JavaScript, no CDN; readable on a phone (the drawing
scales to its box) and printable. Pure: values in, markup out (every value escaped by
`markupsafe.escape`)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.numbers import format_number

BAR = 22  # height of a bar's row
LABEL_WIDTH = 110
WIDTH = 380

_OPEN = Markup('<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
               'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
               'aria-label="{title}"><title>{title}</title>')
# Presentation attributes, not CSS: the drawing looks the same wherever it is put (a page, a
# printout, a saved file) and needs no style the content security policy would refuse.
TOTAL, PART, INK = "#9ec5fe", "#0a58ca", "#212529"  # light and dark blue (AA on white), text

# The pieces of a drawing, as plain strings with every value escaped (`escape`): a chart has a
# bar per class of the period (hundreds), so no Markup.format per piece.


def _open(w, h, title: str) -> str:
    title = escape(title)
    return (f'<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
            f'aria-label="{title}"><title>{title}</title>')


def _label(x, y, text: str) -> str:
    return (f'<text x="{x}" y="{y}" text-anchor="end" font-size="12" fill="{INK}">'
            f"{escape(text)}</text>")


def _bar(x, y, w, h, fill: str, tip: str) -> str:
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}">'
            f"<title>{escape(tip)}</title></rect>")


def _value(x, y, text: str) -> str:
    return f'<text x="{x}" y="{y}" font-size="12" fill="{INK}">{escape(text)}</text>'


def _legend(x, y, tx, ty, text: str, fill: str) -> str:
    return (f'<rect x="{x}" y="{y}" width="10" height="10" fill="{fill}"/>'
            f'<text x="{tx}" y="{ty}" font-size="12" fill="{INK}">{escape(text)}</text>')


def _svg(out: list[str]) -> Markup:
    return Markup("".join(out) + "</svg>")  # noqa: S704 - every piece escaped above


def bars(rows: Sequence[tuple[str, int, int | None]], *, title: str, part_label: str = "",
         total_label: str = "") -> Markup:
    """A horizontal bar per row: (label, total, part) — the part (e.g. women) drawn darker
    inside the total. `title` names the chart for screen readers."""
    if not rows:
        return Markup("")
    # a part may exceed its total (spending over the budget): the scale takes both
    top = max(max(total, part or 0) for _label, total, part in rows) or 1
    span = WIDTH - LABEL_WIDTH - 60
    out = [_open(WIDTH, BAR * len(rows) + 24, title)]
    for i, (label, total, part) in enumerate(rows):
        y = i * BAR + 4
        length = span * total / top
        out.append(_label(LABEL_WIDTH - 6, y + 14, label))
        out.append(_bar(LABEL_WIDTH, y, f"{length:.1f}", BAR - 6, TOTAL,
                        f"{label}: {format_number(total)} {total_label}"))
        if part:
            out.append(_bar(LABEL_WIDTH, y, f"{span * part / top:.1f}", BAR - 6, PART,
                            f"{label}: {part_label} {format_number(part)}"))
        value = format_number(total) + (f" ({format_number(part)})" if part is not None else "")
        end = max(length, span * (part or 0) / top)
        out.append(_value(f"{LABEL_WIDTH + end + 4:.1f}", y + 14, value))
    if part_label:
        legend = len(rows) * BAR + 18
        out.append(_legend(LABEL_WIDTH, legend - 10, LABEL_WIDTH + 14, legend, part_label, PART))
    return _svg(out)


def percent_bars(rows: Sequence[tuple[str, int, int]], *, title: str) -> Markup:
    """A bar per row: (label, value, of) drawn as a share of 0-100%, written "60% (3/5)"
    beside it (a row whose `of` is 0 shows no bar and "–")."""
    if not rows:
        return Markup("")
    span = WIDTH - LABEL_WIDTH - 90
    out = [_open(WIDTH, BAR * len(rows) + 8, title)]
    for i, (label, value, of) in enumerate(rows):
        y = i * BAR + 4
        share = value / of if of else 0
        length = span * share
        out.append(_label(LABEL_WIDTH - 6, y + 14, label))
        if of:
            out.append(_bar(LABEL_WIDTH, y, f"{span:.1f}", BAR - 6, TOTAL,
                            f"{label}: {format_number(of)}"))
            out.append(_bar(LABEL_WIDTH, y, f"{length:.1f}", BAR - 6, PART,
                            f"{label}: {format_number(value)}"))
        text = (f"{format_number(100 * share, 1)}% ({format_number(value)}/{format_number(of)})"
                if of else "–")
        out.append(_value(f"{LABEL_WIDTH + span + 4:.1f}", y + 14, text))
    return _svg(out)


def dashboard(report) -> dict[str, Markup]:
    """The dashboard's charts from the report's tables (`tables.build`): trainees by commune
    (women inside), the women's and the ethnic-minority share by quarter, attendance by
    class."""
    by = {table.sheet: table.rows for table in report.tables}
    return {
        "communes": bars([(r[0], r[1], r[2]) for r in by["Theo xã"]],
                         title=_("Lượt người được tập huấn theo xã"),
                         part_label=_("trong đó nữ"), total_label=_("lượt")),
        "women": percent_bars([(r[0], r[2], r[1]) for r in by["Theo quý"]],
                              title=_("Tỷ lệ nữ theo quý")),
        "minority": percent_bars([(r[0], r[4], r[1]) for r in by["Theo quý"]],
                                 title=_("Tỷ lệ người dân tộc thiểu số theo quý")),
        "attendance": percent_bars([(r[0], r[1], r[2]) for r in by["Điểm danh theo lớp"]],
                                   title=_("Tỷ lệ tham dự theo lớp")),
    }
