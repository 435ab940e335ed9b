"""Reference data loaded by `flask setup`: the programs with their periods, the activity types
and the funding sources. Data, not code: nothing else names a program, and an admin edits or
adds entries in the browser (/programs/).

Sources (checked when this was written; see docs/DECISIONS.md, "Programs as data"):
- Quyết định số 90/QĐ-TTg ngày 18/01/2022 of the Prime Minister approved the national target
  program for sustainable poverty reduction for 2021–2025; its Dự án 7 "Nâng cao năng lực và
  giám sát, đánh giá Chương trình" has Tiểu dự án 1 "Nâng cao năng lực thực hiện Chương
  trình" (as the district plan in shared/seed cites them). The program's period ends with
  2025.
- Nghị quyết số 257/2025/QH15 ngày 11/12/2025 of the National Assembly approved the investment
  policy of the integrated program "Chương trình mục tiêu quốc gia xây dựng nông thôn mới,
  giảm nghèo bền vững và phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi
  giai đoạn 2026 - 2035" (the name as Nghị quyết 424/NQ-CP ngày 30/12/2025 cites it), to run
  from 2026 to 2035 in two phases. Its components are not loaded: we could not confirm their
  names and numbers, so the admin enters them from the approving decision.
- Activity types and funding sources as the seed plan and the 2026–2035 program's funding
  structure word them (central budget, local budget, integrated funds, other lawful sources).

`ensure_reference()` adds what is missing, keyed by code (components by program and code), and
never changes an entry that exists: what an admin edited stays as edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.programs.models import ActivityType, Component, FundingSource, Program

PROGRAMS = [
    {
        "code": "gnbv-2021-2025",
        "name": "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025",
        "short_name": "Chương trình MTQG giảm nghèo bền vững 2021–2025",
        "legal_basis": "Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ",
        "valid_from": date(2021, 1, 1),
        "valid_to": date(2025, 12, 31),
        "components": [
            ("Dự án 7 / Tiểu dự án 1", "Nâng cao năng lực thực hiện Chương trình"),
        ],
    },
    {
        "code": "mtqg-2026-2035",
        "name": "Chương trình mục tiêu quốc gia xây dựng nông thôn mới, giảm nghèo bền vững "
                "và phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi "
                "giai đoạn 2026 - 2035",
        "short_name": "Chương trình MTQG nông thôn mới, giảm nghèo bền vững và vùng "
                      "DTTS&MN 2026–2035",
        "legal_basis": "Nghị quyết số 257/2025/QH15 ngày 11/12/2025 của Quốc hội "
                       "(phê duyệt chủ trương đầu tư)",
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2035, 12, 31),
        "components": [],
    },
]

ACTIVITY_TYPES = [
    ("tap-huan-boi-duong", "Lớp tập huấn, bồi dưỡng"),
    ("hoc-tap-trao-doi-kinh-nghiem", "Đoàn học tập, trao đổi kinh nghiệm"),
    ("hoi-thao-hoi-nghi", "Hội thảo, hội nghị"),
]

FUNDING_SOURCES = [
    ("ngan-sach-trung-uong", "Ngân sách trung ương"),
    ("ngan-sach-dia-phuong-doi-ung", "Ngân sách địa phương đối ứng"),
    ("long-ghep", "Lồng ghép từ các chương trình, dự án khác"),
    ("huy-dong", "Huy động hợp pháp khác"),
]


@dataclass
class Loaded:
    programs: int = 0
    components: int = 0
    activity_types: int = 0
    funding_sources: int = 0

    @property
    def total(self) -> int:
        return self.programs + self.components + self.activity_types + self.funding_sources

    def summary(self) -> str:
        """One line for the console (Vietnamese, as command output is)."""
        return (f"Chương trình: thêm {self.programs} chương trình, {self.components} hợp phần, "
                f"{self.activity_types} loại hoạt động, {self.funding_sources} nguồn kinh phí.")


def ensure_reference() -> Loaded:
    """Add the reference entries that are missing (idempotent); flush, the caller commits."""
    loaded = Loaded()
    programs = list(db.session.scalars(select(Program)))
    for spec in PROGRAMS:
        fields = {k: v for k, v in spec.items() if k != "components"}
        program = next((p for p in programs if p.code == spec["code"]), None)
        if program is None and any(_same(p.name, spec["name"]) or
                                   _same(p.short_name, spec["short_name"]) for p in programs):
            continue  # entered by hand already, under another code: left as it is
        if program is None:
            program = Program(**fields)
            db.session.add(program)
            db.session.flush()
            loaded.programs += 1
        codes = {c.casefold() for c in db.session.scalars(
            select(Component.code).where(Component.program_id == program.id))}
        for code, name in spec["components"]:
            if code.casefold() not in codes:
                db.session.add(Component(program_id=program.id, code=code, name=name))
                loaded.components += 1
    loaded.activity_types = _ensure_list(ActivityType, ACTIVITY_TYPES)
    loaded.funding_sources = _ensure_list(FundingSource, FUNDING_SOURCES)
    db.session.flush()
    return loaded


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _ensure_list(model, entries: list[tuple[str, str]]) -> int:
    rows = db.session.execute(select(model.code, model.name)).all()
    codes, names = {r.code for r in rows}, {r.name.casefold() for r in rows}
    added = 0
    for order, (code, name) in enumerate(entries, start=1):
        if code not in codes and name.casefold() not in names:
            db.session.add(model(code=code, name=name, sort_order=order))
            added += 1
    return added
