"""A class's costs line by line: what is typed, what is taken from elsewhere, and saving it.

Cách tính (tiếng Việt)
----------------------
- Mỗi lớp có các dòng chi: thù lao giảng viên, báo cáo viên; tài liệu; thuê hội trường; nước
  uống; văn phòng phẩm; hỗ trợ tiền ăn; hỗ trợ đi lại; chi khác. Mỗi dòng ghi dự toán, thực
  hiện và nguồn kinh phí (mặc định là nguồn kinh phí của lớp).
- Thù lao giảng viên, báo cáo viên tính theo buổi: dự toán = mức thù lao một buổi × số buổi
  của lớp; thực hiện = mức thù lao một buổi × số buổi đã điểm danh (buổi đã diễn ra).
- Hỗ trợ tiền ăn và đi lại: thực hiện lấy từ danh sách nhận tiền hỗ trợ của lớp
  (`app/attendance/allowance.py`), không nhập tay; dự toán nhập tay.
- Tỷ lệ giải ngân = thực hiện / dự toán (không tính khi dự toán bằng 0).

In English: the trainers' fee follows the sessions (a fee per session × the class's sessions
for the budget, × the sessions whose attendance was taken for the spending); meals and travel
are spent as the allowance list says; the other lines are typed. Pure functions take the
stored rows and the live figures (`Live`); `costs_of` and `save` read and write the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from app.attendance import allowance, queries
from app.audit.models import record
from app.classes.models import TrainingClass
from app.costs.models import LINE_LABELS, LINES, ClassCost
from app.extensions import db
from app.numbers import format_money
from app.programs.models import FundingSource

PER_SESSION = "trainer"  # the line whose amounts follow the sessions
FROM_ALLOWANCE = {"meal": "meal", "travel": "travel"}  # line -> the allowance list's total
TYPED_SPENT = frozenset(LINES) - {PER_SESSION} - set(FROM_ALLOWANCE)


def disbursement(spent: int, budget: int) -> Decimal | None:
    """Tỷ lệ giải ngân: spent / budget in percent, to one decimal (None without a budget)."""
    if not budget:
        return None
    return (Decimal(100 * spent) / Decimal(budget)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Live:
    """What other features say today: the class's sessions, those whose attendance was taken
    (held), and the allowance list's meal and travel totals."""

    sessions: int
    held: int
    meal: int
    travel: int


def live_of(klass: TrainingClass) -> Live:
    """The live figures of a class (the allowance list as its page computes it, reused)."""
    data = allowance.of_class(klass)
    held = sum(1 for count in queries.marked_counts(klass.id).values() if count)
    return Live(len(klass.sessions), held, data.meal, data.travel)


@dataclass(frozen=True)
class Line:
    line: str
    source_id: int | None
    source_name: str
    budget: int
    spent: int
    per_session: int | None = None

    @property
    def label(self) -> str:
        return LINE_LABELS[self.line]

    @property
    def rate(self) -> Decimal | None:
        return disbursement(self.spent, self.budget)


@dataclass(frozen=True)
class SourceTotal:
    source_name: str
    budget: int
    spent: int

    @property
    def rate(self) -> Decimal | None:
        return disbursement(self.spent, self.budget)


@dataclass(frozen=True)
class Costs:
    lines: tuple[Line, ...]
    live: Live
    stale: bool  # the stored figures differ from the live ones: saving brings them up to date
    recorded: bool  # anything saved yet

    @property
    def budget(self) -> int:
        return sum(line.budget for line in self.lines)

    @property
    def spent(self) -> int:
        return sum(line.spent for line in self.lines)

    @property
    def rate(self) -> Decimal | None:
        return disbursement(self.spent, self.budget)

    def by_source(self) -> list[SourceTotal]:
        """Totals per funding source, in the order the lines first name them."""
        sums: dict[str, list[int]] = {}
        for line in self.lines:
            pair = sums.setdefault(line.source_name, [0, 0])
            pair[0] += line.budget
            pair[1] += line.spent
        return [SourceTotal(name, b, s) for name, (b, s) in sums.items() if b or s]

    def line(self, name: str) -> Line:
        return next(line for line in self.lines if line.line == name)


@dataclass(frozen=True)
class Entry:
    """One line as typed: the source, and the amounts the line takes by hand (None where the
    line computes them)."""

    source_id: int | None
    budget: int | None = None
    spent: int | None = None
    per_session: int | None = None


def computed(line: str, budget: int, spent: int, per_session: int | None,
             live: Live) -> tuple[int, int]:
    """(budget, spent) of a line by the rules of the module: typed, per session, or the
    allowance list's total."""
    if line == PER_SESSION:
        rate = per_session or 0
        return rate * live.sessions, rate * live.held
    if line in FROM_ALLOWANCE:
        return budget, getattr(live, FROM_ALLOWANCE[line])
    return budget, spent


def stored(class_id: int) -> dict[str, ClassCost]:
    return {row.line: row for row in db.session.scalars(
        select(ClassCost).where(ClassCost.class_id == class_id)).unique()}


def build(klass: TrainingClass, rows: dict[str, ClassCost], live: Live,
          source_names: dict[int, str]) -> Costs:
    """The class's costs (pure): the stored rows with the computed lines brought up to date.
    A line without a row is paid from the class's funding source."""
    lines, stale = [], False
    for name in LINES:
        row = rows.get(name)
        source_id = row.funding_source_id if row else klass.funding_source_id
        budget, spent = computed(name, row.budget if row else 0, row.spent if row else 0,
                                 row.per_session if row else None, live)
        stale |= (budget, spent) != ((row.budget, row.spent) if row else (0, 0))
        lines.append(Line(name, source_id, source_names.get(source_id, ""), budget, spent,
                          row.per_session if row else None))
    return Costs(tuple(lines), live, stale, bool(rows))


def costs_of(klass: TrainingClass, live: Live | None = None) -> Costs:
    """The class's costs from the database (a constant number of queries)."""
    names = dict(db.session.execute(select(FundingSource.id, FundingSource.name)).all())
    return build(klass, stored(klass.id), live or live_of(klass), names)


def _money(value: int | None) -> str:
    return "" if value is None else format_money(value)


def save(actor, klass: TrainingClass, entries: dict[str, Entry], live: Live) -> int:
    """Write the lines (the computed ones as they stand), with one audit entry naming every
    change; returns how many lines changed. The caller commits."""
    rows = stored(klass.id)
    changes = {}
    for name in LINES:
        entry = entries[name]
        row = rows.get(name)
        budget, spent = computed(name, entry.budget or 0, entry.spent or 0, entry.per_session,
                                 live)
        after = (entry.source_id, budget, spent, entry.per_session)
        before = (row.funding_source_id, row.budget, row.spent, row.per_session) if row else None
        if before == after:
            continue
        if row is None:
            row = ClassCost(class_id=klass.id, line=name)
            db.session.add(row)
        row.funding_source_id, row.budget, row.spent, row.per_session = after
        row.updated_by_id = getattr(actor, "id", None)
        changes[name] = {
            "before": None if before is None else {
                "source": before[0], "budget": before[1], "spent": before[2],
                "per_session": before[3]},
            "after": {"source": after[0], "budget": budget, "spent": spent,
                      "per_session": entry.per_session}}
    if changes:
        parts = [f"{LINE_LABELS[n]}: {_money(c['after']['budget'])} / "
                 f"{_money(c['after']['spent'])}" for n, c in changes.items()]
        record(actor, "costs.save", "class", klass.id,
               f"Kinh phí lớp {klass.code} (dự toán / thực hiện): " + "; ".join(parts),
               data={"changes": changes})
        db.session.flush()
    return len(changes)
