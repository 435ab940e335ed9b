"""The list of admitted learners, printed as the annex of the document that convenes the class
(PDF and .xlsx). docs/PAPERS.md gives the legal basis.

A list ("danh sách") is not a document type of Nghị định 30/2020/NĐ-CP, so it has no number of
its own: it goes with the Quyết định, Giấy triệu tập or Giấy mời that convenes the class, named
in the line "(Kèm theo Quyết định số 15/QĐ-UBND ngày 05 tháng 11 năm 2026 của Chủ tịch Ủy ban
nhân dân xã Sơn Hà)". Until the clerk has given that document its number and date, the line
leaves dotted blanks for them.

"Triệu tập" (summon) is said only of people under the issuer's authority: the commune-level
officials of a commune the issuing People's Committee governs. Village-level cadres (not on
the state payroll) and anyone convened by an office or department are invited ("mời"). A
list holding both is headed neutrally ("Danh sách học viên ... tham dự lớp").

Plain functions: the class, its admitted cadres (already in Vietnamese name order), the
organisation settings and the issuer's unit are passed in; `check_printable` refuses what must
not go to a signer (an empty list, a summons for people who may only be invited).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl.styles import Font
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.classes.allocation import admitted_place
from app.classes.models import TrainingClass
from app.classes.service import CONVENE_ABBREVIATIONS, CONVENE_LABELS, governs
from app.core.refusal import Refusal
from app.documents import pdf, xlsx
from app.documents.models import COMMITTEE, OrgInfo
from app.people.models import LEVEL_LABELS, LEVELS, Cadre, Unit
from app.vietnamese import format_date, format_date_long

KINH = "01"
NBSP = "\u00a0"
BLANK_NUMBER = "......."  # written in by the clerk (văn thư) once the document is issued
BLANK_DATE = "ngày ..... tháng ..... năm ........"
HEADER = ("STT", "Họ và tên", "Năm sinh", "", "Dân tộc", "Chức vụ", "Thôn/Bản, Xã",
          "Thứ tự xét chọn")


class PaperRefused(Refusal):
    """A paper that must not be printed for signature (409, shown on the class page)."""

    status = 409


# --------------------------------------------------------------------------- who is convened


def summoned(cadre: Cadre, org: OrgInfo, issuer: Unit | None) -> bool:
    """Whether the issuer may summon ("triệu tập") this learner: a People's Committee, and a
    commune-level (or, before 2025, district-level) official of a commune it governs. Village-
    level cadres are not on the state payroll and are invited, as is anyone convened by an
    office or department, or from a commune outside the issuer's unit."""
    if not org.is_committee or cadre.level == "village":
        return False
    if issuer is None:  # the settings name no unit yet: the issuer's own cadres are assumed
        return True
    return any(governs(issuer, org.level, commune) for commune in _family(cadre.commune))


def _family(commune: Unit | None) -> list[Unit]:
    """The commune as it is today and every commune merged into it: a cadre recorded under xã
    Sơn Kỳ was a cadre of xã Sơn Ba or xã Sơn Kỳ of the district before 01/07/2025."""
    if commune is None:
        return []
    found, frontier = [commune.current()], [commune.current()]
    while frontier:
        frontier = [p for unit in frontier for p in unit.predecessors if p not in found]
        found += frontier
    return found


@dataclass(frozen=True)
class Wording:
    """How the list speaks of its learners: "summoned", "invited" or "mixed"."""

    mode: str
    invited: int  # how many may only be invited

    @property
    def title(self) -> str:
        return {"summoned": "Danh sách học viên được triệu tập",
                "invited": "Danh sách học viên được mời"}.get(self.mode, "Danh sách học viên")


def wording(klass: TrainingClass, cadres: Sequence[Cadre], org: OrgInfo,
            issuer: Unit | None) -> Wording:
    invited = sum(not summoned(c, org, issuer) for c in cadres)
    if klass.convene_kind == "invitation" or invited == len(cadres):
        return Wording("invited", invited)
    return Wording("summoned" if invited == 0 else "mixed", invited)


def check_printable(klass: TrainingClass, cadres: Sequence[Cadre], org: OrgInfo,
                    issuer: Unit | None) -> Wording:
    """The wording of the list, or `PaperRefused` (in the reader's language) when it must not
    be printed for signature."""
    problem = org.problem()
    if problem:
        raise PaperRefused(problem)
    if not cadres:
        raise PaperRefused(_("Chưa có học viên nào được triệu tập hay mời: danh sách trống "
                             "không in để ký. Hãy xét chọn học viên trước."))
    words = wording(klass, cadres, org, issuer)
    if klass.convene_kind == "summons" and words.invited:
        raise PaperRefused(_(
            "Giấy triệu tập chỉ dùng cho người thuộc quyền quản lý của %(issuer)s; %(n)s học "
            "viên trong danh sách (cán bộ cấp thôn, hoặc của đơn vị khác) chỉ được mời. Hãy "
            "sửa lớp: chọn văn bản triệu tập là Quyết định hoặc Giấy mời.",
            issuer=org.body_name, n=words.invited))
    return words


# --------------------------------------------------------------------------- the text


def annex_line(klass: TrainingClass, org: OrgInfo) -> str:
    """"Kèm theo Quyết định số 15/QĐ-UBND ngày 05 tháng 11 năm 2026 của Chủ tịch Ủy ban nhân
    dân xã Sơn Hà" (without the parentheses); dotted blanks for a number or date not yet
    given. A decision is its head's (the authority phrase of the settings); a summons or an
    invitation is the body's."""
    kind = klass.convene_kind if klass.convene_kind in CONVENE_LABELS else "decision"
    number = klass.convene_number or (
        f"{BLANK_NUMBER}/{CONVENE_ABBREVIATIONS[kind]}"
        + (f"-{org.number_suffix}" if org.number_suffix else ""))
    when = format_date_long(klass.convene_date) if klass.convene_date else BLANK_DATE
    by = org.head_phrase if kind == "decision" else org.body_name
    if kind == "decision" and org.head_title and by.startswith(org.head_title):
        by = org.head_title.replace(" ", NBSP) + by[len(org.head_title):]  # "Chủ tịch" whole
    by = by.replace(COMMITTEE, COMMITTEE.replace(" ", NBSP))  # never "Ủy" / "ban nhân dân"
    return f"Kèm theo {CONVENE_LABELS[kind]} số {number} {when} của {by}"


def subject_line(klass: TrainingClass) -> str:
    """The trích yếu; the class code never leaves its label (non-breaking spaces)."""
    code = klass.code.replace(" ", NBSP)
    return f"Tham dự lớp “{klass.title}” (mã{NBSP}lớp{NBSP}{code})"


def _period(klass: TrainingClass) -> str:
    if klass.start_date == klass.end_date:
        return f"ngày {format_date(klass.start_date)}"
    return f"từ ngày {format_date(klass.start_date)} đến ngày {format_date(klass.end_date)}"


def detail_lines(klass: TrainingClass) -> list[str]:
    lines = []
    if klass.course is not None:
        lines.append(f"Chuyên đề: {klass.course.title}")
    lines.append(f"Thời gian: {_period(klass)}")
    lines.append(f"Địa điểm: {klass.place}")
    return lines


@dataclass(frozen=True)
class Tally:
    """Who is on a list: men, women, ethnic minorities (every ethnicity but Kinh, code 01 of
    Quyết định 1019/QĐ-TCTK) and those whose ethnicity is not recorded (counted apart)."""

    total: int
    men: int
    women: int
    minority: int
    unknown: int


def tally(cadres: Sequence[Cadre]) -> Tally:
    """The one count of a list of learners (the admitted list, the sign-in sheet)."""
    return Tally(len(cadres), sum(c.gender == "M" for c in cadres),
                 sum(c.gender == "F" for c in cadres),
                 sum(bool(c.ethnicity_code) and c.ethnicity_code != KINH for c in cadres),
                 sum(not c.ethnicity_code for c in cadres))


def summary_line(cadres: Sequence[Cadre]) -> str:
    """"Tổng số: 40 người; trong đó: 38 nữ, 40 người dân tộc thiểu số; cấp thôn: 35, cấp xã:
    5." Ethnic minorities are every ethnicity but Kinh (code 01); learners whose ethnicity is
    not recorded are counted apart. Levels in the order of LEVELS, those with nobody left out."""
    count = tally(cadres)
    parts = [f"{count.women} nữ", f"{count.minority} người dân tộc thiểu số"]
    if count.unknown:
        parts.append(f"{count.unknown} người chưa ghi dân tộc")
    levels = [f"{LEVEL_LABELS[level].lower()}: {n}" for level in LEVELS
              if (n := sum(c.level == level for c in cadres))]
    return (f"Tổng số: {len(cadres)} người; trong đó: {', '.join(parts)}"
            + (f"; {', '.join(levels)}" if levels else "") + ".")


def _committees(units: Sequence[Unit]) -> str:
    """"UBND xã Sơn Hà;", "UBND các xã: Sơn Hạ, Sơn Kỳ;", "UBND các xã, thị trấn: ..."."""
    if len(units) == 1:
        return f"UBND {units[0].title};"
    categories = list(dict.fromkeys(u.category for u in units))
    return f"UBND các {', '.join(categories)}: {', '.join(u.name for u in units)};"


def recipients(klass: TrainingClass, org: OrgInfo) -> list[str]:
    """"Nơi nhận": the People's Committees of the invited communes when a district or the
    province convenes them, the learners, and the file copy with the drafting office."""
    out = [] if org.level == "commune" else [_committees(klass.invited_units)]
    out.append("Các học viên có tên trên;")
    out.append(f"Lưu: VT, {org.drafting_office}." if org.drafting_office else "Lưu: VT.")
    return out


def _unit_text(cadre: Cadre) -> str:
    commune = cadre.commune.title if cadre.commune else ""
    if cadre.village is None:
        return commune[:1].upper() + commune[1:]
    return f"{cadre.village.title_cap}, {commune}"


def _keep_commune(text: str) -> str:
    """"Thôn Gò Trá, xã Sơn Hà" breaks after the comma, never inside "xã Sơn Hà"."""
    village, comma, commune = text.rpartition(", ")
    return f"{village}{comma}{commune.replace(' ', NBSP)}"


def seat_places(klass: TrainingClass) -> dict[int, str]:
    """Cadre id -> the rank of their seat as the allocation's reasons give it ("3/30"), or
    "Bổ sung" for a seat given later (from the waitlist, or by the coordinator)."""
    out = {}
    for a in klass.applications:
        if a.status == "admitted":
            place = admitted_place(a.reasons)
            out[a.cadre_id] = f"{place[0]}/{place[1]}" if place else "Bổ sung"
    return out


def rows(cadres: Sequence[Cadre], places: dict[int, str] | None = None) -> list[list[str]]:
    places = places or {}
    out = []
    for n, c in enumerate(cadres, 1):
        year = str(c.birth_date.year if c.birth_date else c.birth_year)
        out.append([str(n), c.full_name, year if c.gender == "M" else "",
                    year if c.gender == "F" else "", c.ethnicity_name,
                    c.position.name if c.position else "", _unit_text(c),
                    places.get(c.id, "")])
    return out


# --------------------------------------------------------------------------- the files


WIDTHS = [10 * mm, 38 * mm, 12 * mm, 12 * mm, 16 * mm, 31 * mm, 31 * mm, 15 * mm]
SPANS = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (3, 0)), ((4, 0), (4, 1)),
         ((5, 0), (5, 1)), ((6, 0), (6, 1)), ((7, 0), (7, 1))]


def admitted_table(table_rows: Sequence[Sequence[str]]):
    """The table of the admitted list for the rows of `rows()` (the bench lays out this)."""
    header = [list(HEADER), ["", "", "Nam", "Nữ", "", "", "", ""]]
    body = [[*row[:6], _keep_commune(row[6]), row[7]] for row in table_rows]
    return pdf.data_table(header, body, WIDTHS, spans=SPANS,
                          align=["center", "left", "center", "center", "left", "left", "left",
                                 "center"])


def admitted_pdf(klass: TrainingClass, cadres: Sequence[Cadre], org: OrgInfo,
                 issuer: Unit | None = None) -> bytes:
    words = check_printable(klass, cadres, org, issuer)
    story = [
        pdf.national_heading(org),  # an annex: no number or date of its own
        *pdf.title_block(words.title, detail_lines(klass), subject=subject_line(klass),
                         annex=annex_line(klass, org)),
        admitted_table(rows(cadres, seat_places(klass))),
        Spacer(1, 6),
        pdf.para(summary_line(cadres), "body"),
        pdf.signature_block(org, recipients=recipients(klass, org)),
    ]
    return pdf.build_pdf(story, title=f"{words.title} - {klass.code}", author=org.body_name,
                         subject=klass.title)


def admitted_xlsx(klass: TrainingClass, cadres: Sequence[Cadre], org: OrgInfo,
                  issuer: Unit | None = None) -> bytes:
    """The same list as a worksheet: the heading (issuer on the left, national name on the
    right), the title, trích yếu and annex line, the table, the summary."""
    words = check_printable(klass, cadres, org, issuer)
    book, sheet = xlsx.workbook("Danh sách")
    xlsx.heading(sheet, org, columns=8)
    texts = [(words.title.upper(), Font(bold=True, size=13)),
             (subject_line(klass), xlsx.BOLD),
             (f"({annex_line(klass, org)})", Font(italic=True))]
    texts += [(line, Font()) for line in detail_lines(klass)]
    xlsx.lines(sheet, texts, columns=8)
    xlsx.table(sheet, ["STT", "Họ và tên", "Năm sinh (Nam)", "Năm sinh (Nữ)", "Dân tộc",
                       "Chức vụ", "Thôn/Bản, Xã", "Thứ tự xét chọn"],
               [[int(row[0]), row[1], _year(row[2]), _year(row[3]), *row[4:]]
                for row in rows(cadres, seat_places(klass))],  # numbers are numbers
               (6, 28, 10, 10, 12, 34, 30, 10))
    xlsx.append_row(sheet, [summary_line(cadres)])
    return xlsx.save(book)


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() else None
