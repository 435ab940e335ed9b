"""Saving, removing and filling report templates (the caller commits; every change audited)."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import record
from app.extensions import db
from app.people.queries import commune_family_ids
from app.report_templates import filling
from app.report_templates.models import ReportTemplate
from app.reports import indicators
from app.reports.period import Period
from app.vietnamese import format_date, nfc


def templates() -> list[ReportTemplate]:
    return list(db.session.scalars(select(ReportTemplate).order_by(ReportTemplate.name)))


def save(actor, name: str, filename: str, data: bytes, max_bytes: int) -> ReportTemplate:
    """Check the workbook (filling.read_template raises TemplateError or UploadError) and keep
    it with its cells to fill."""
    shown, slots = filling.read_template(filename, data, max_bytes)
    template = ReportTemplate(name=nfc(name).strip(), filename=shown, data=data,
                              slots=[[s.sheet, s.cell, list(s.names), s.mapped] for s in slots],
                              created_by_id=getattr(actor, "id", None))
    db.session.add(template)
    db.session.flush()
    record(actor, "create", "report_template", template.id,
           f"Thêm biểu mẫu báo cáo “{template.name}” ({shown}, {len(slots)} ô cần điền)",
           data={"names": template.names})
    return template


def delete(actor, template: ReportTemplate) -> None:
    record(actor, "delete", "report_template", template.id,
           f"Xóa biểu mẫu báo cáo “{template.name}”")
    db.session.delete(template)
    db.session.flush()


def slots_of(template: ReportTemplate) -> list[filling.Slot]:
    return [filling.Slot(sheet, cell, tuple(names), bool(rest and rest[0]))
            for sheet, cell, names, *rest in template.slots]


def filled(template: ReportTemplate, period: Period, program_id: int | None, unit,
           whole_title: str) -> bytes:
    """The template filled with the indicators of the period, the program (None: all) and the
    commune `unit` (with those merged into it; None: the whole organisation, `whole_title`)."""
    scope = indicators.Scope(period.start, period.end, program_id=program_id,
                             commune_ids=frozenset(commune_family_ids(unit.id))
                             if unit is not None else None)
    name = unit.title_cap if unit is not None else whole_title[:1].upper() + whole_title[1:]
    fields = {"ky_bao_cao": period.label, "don_vi": name,
              "tu_ngay": format_date(period.start), "den_ngay": format_date(period.end)}
    values = filling.values_for(indicators.summary(scope), fields)
    return filling.fill(template.data, slots_of(template), values)
