"""Maintaining the lists (add, edit, retire, restore, delete) and checking what a class chooses
from them. No request objects here: functions take the acting user and plain values, flush,
write audit entries (in Vietnamese) and raise `ProgramInputError` on bad input; the caller
commits.

The rules:
- an entry's period has `valid_to` on or after `valid_from`;
- a component's (or a plan's) own period lies within its program's;
- an entry in use keeps covering the dates of every use (the classes recorded under it, the
  components and plans of a program): a change that would leave one outside is refused;
- an entry in use is never deleted (it can be retired: no longer offered, kept where set);
- a class chooses entries that are active and valid on all its days, a component of the
  program it chooses and a plan of that program (`choice_problems`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.audit.models import record
from app.core.refusal import Refusal
from app.extensions import db
from app.programs.models import (
    CHOICE_MODELS,
    ActivityType,
    Component,
    FundingSource,
    Plan,
    Program,
    Validity,
)
from app.programs.usage import Use, uses_of
from app.vietnamese import fold, format_date, nfc

# The audit log's object type for each model.
OBJECT_TYPES = {Program: "program", Component: "program_component",
                ActivityType: "activity_type", FundingSource: "funding_source", Plan: "plan"}
SHOWN_USES = 5


class ProgramInputError(Refusal, ValueError):
    """Bad input: `errors` maps a form field name to its messages (in the user's language)."""

    def __init__(self, errors: dict[str, list[str]] | str, status: int = 400):
        if isinstance(errors, str):
            errors = {"": [errors]}
        self.errors = errors
        super().__init__("; ".join(m for msgs in errors.values() for m in msgs), status)


def _clean(value):
    return nfc(value).strip() if isinstance(value, str) else value


def _listed(uses: list[Use]) -> str:
    labels = ", ".join(u.label for u in uses[:SHOWN_USES])
    if len(uses) > SHOWN_USES:
        labels += " " + _("và %(n)s mục khác", n=len(uses) - SHOWN_USES)
    return labels


# --------------------------------------------------------------------------- saving entries


def save_entry(actor, entry: Validity, values: Mapping) -> Validity:
    """Create (`entry.id` is None) or update an entry with `values` (its form's fields).
    Refuses, with the messages at their fields, anything the rules above forbid."""
    values = {name: _clean(value) for name, value in values.items()}
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    start, end = values.get("valid_from"), values.get("valid_to")
    if start and end and end < start:
        err("valid_to", _("Ngày cuối còn hiệu lực phải trùng hoặc sau ngày bắt đầu hiệu lực."))
    _check_unique(entry, values, err)
    _check_parent(entry, values, err)
    if entry.id is not None and not errors:
        _check_uses(entry, values, err)
    if errors:
        raise ProgramInputError(errors)

    creating = entry.id is None
    before = {name: _plain(getattr(entry, name, None)) for name in values}
    for name, value in values.items():
        setattr(entry, name, value)
    if creating and hasattr(entry, "code") and not isinstance(entry, Component):
        entry.code = _free_code(type(entry), values.get("short_name") or values.get("name"))
    if creating and hasattr(entry, "sort_order"):
        entry.sort_order = (db.session.scalar(select(func.max(type(entry).sort_order))) or 0) + 1
    db.session.add(entry)
    db.session.flush()
    changes = {name: [before[name], _plain(value)] for name, value in values.items()
               if before[name] != _plain(value)}
    if creating or changes:
        kind = entry.KIND_LABEL.lower()
        record(actor, f"{OBJECT_TYPES[type(entry)]}.{'create' if creating else 'update'}",
               OBJECT_TYPES[type(entry)], entry.id,
               f"{'Thêm' if creating else 'Sửa'} {kind} {_vietnamese_label(entry)}",
               data=None if creating else {"changes": changes})
    return entry


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _vietnamese_label(entry: Validity) -> str:
    """The label as the (Vietnamese) audit log writes it."""
    if isinstance(entry, Plan):
        return f"{entry.number} ngày {format_date(entry.issued_on)}"
    return entry.label


def _free_code(model, name: str | None) -> str:
    """A code for an entry added in the browser: its name folded ("ngan-sach-tinh"), with a
    number when taken. Setup's entries have fixed codes (reference.py)."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(name or "")).strip("-")[:50] or "muc"
    taken = set(db.session.scalars(select(model.code).where(model.code.like(f"{base}%"))))
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code


# Fields that must be unique, each alone or together, per model: {model: [(fields, message)]}.
def _unique_rules(model) -> list[tuple[tuple[str, ...], str]]:
    if model is Program:
        return [(("name",), _("Đã có chương trình tên này.")),
                (("short_name",), _("Đã có chương trình có tên ngắn này."))]
    if model is Component:
        return [(("program_id", "code"), _("Chương trình này đã có hợp phần mang ký hiệu này."))]
    if model is Plan:
        return [(("number", "issued_on", "issuer"),
                 _("Đã có kế hoạch cùng số, ngày ban hành và cơ quan ban hành."))]
    return [(("name",), _("Đã có mục tên này trong danh mục."))]


def _check_unique(entry: Validity, values: Mapping, err) -> None:
    model = type(entry)
    for fields, message in _unique_rules(model):
        wanted = {name: values.get(name, getattr(entry, name, None)) for name in fields}
        if any(value in (None, "") for value in wanted.values()):
            continue
        query = select(model.id)
        for name, value in wanted.items():
            column = getattr(model, name)
            query = query.where(func.lower(column) == value.lower()
                                if isinstance(value, str) else column == value)
        if entry.id is not None:
            query = query.where(model.id != entry.id)
        if db.session.scalar(query.limit(1)) is not None:
            err(fields[-1], message)


def _check_parent(entry: Validity, values: Mapping, err) -> None:
    """A component's or a plan's own period lies within its program's."""
    if not isinstance(entry, Component | Plan):
        return
    program_id = values.get("program_id", entry.program_id)
    program = db.session.get(Program, program_id) if program_id else None
    if program_id and program is None:
        err("program_id", _("Chương trình đã chọn không còn trong danh mục; hãy chọn lại."))
        return
    if program is None:
        return
    start, end = values.get("valid_from"), values.get("valid_to")
    if start and not program.is_valid_on(start):
        err("valid_from", _("Ngày này nằm ngoài thời gian hiệu lực của chương trình "
                            "“%(program)s” (%(validity)s).",
                            program=program.label, validity=program.validity_text))
    if end and not program.is_valid_on(end):
        err("valid_to", _("Ngày này nằm ngoài thời gian hiệu lực của chương trình "
                          "“%(program)s” (%(validity)s).",
                          program=program.label, validity=program.validity_text))
    if isinstance(entry, Plan) and entry.id is not None and program_id != entry.program_id \
            and uses_of(entry):
        err("program_id", _("Kế hoạch đang được dùng cho %(uses)s; không đổi chương trình được.",
                            uses=_listed(uses_of(entry))))


def _check_uses(entry: Validity, values: Mapping, err) -> None:
    """The new period still covers the dates of every use of the entry."""
    start = values.get("valid_from", entry.valid_from)
    end = values.get("valid_to", entry.valid_to)
    used = uses_of(entry)
    early = [u for u in used if start and u.start and u.start < start]
    late = [u for u in used if end and u.end and u.end > end]
    if early:
        err("valid_from", _("Không đổi được: %(uses)s có ngày trước ngày này.",
                            uses=_listed(early)))
    if late:
        err("valid_to", _("Không đổi được: %(uses)s có ngày sau ngày này.", uses=_listed(late)))


# --------------------------------------------------------------------------- retire, delete


def set_active(actor, entry: Validity, active: bool) -> bool:
    """Retire (no longer offered to classes, kept where set) or restore an entry; False when
    it already was so."""
    if entry.active == active:
        return False
    entry.active = active
    db.session.flush()
    kind = entry.KIND_LABEL.lower()
    record(actor, f"{OBJECT_TYPES[type(entry)]}.{'restore' if active else 'retire'}",
           OBJECT_TYPES[type(entry)], entry.id,
           f"{'Dùng lại' if active else 'Ngừng sử dụng'} {kind} {_vietnamese_label(entry)}")
    return True


def delete_entry(actor, entry: Validity) -> None:
    """Delete an entry nothing uses; one in use is refused (409), naming the uses."""
    used = uses_of(entry)
    if used:
        raise ProgramInputError(_(
            "Không xóa được %(kind)s “%(name)s”: đang được dùng cho %(uses)s. Nếu không dùng "
            "nữa, hãy chọn “Ngừng sử dụng”.", kind=entry.kind_label.lower(), name=entry.label,
            uses=_listed(used)), status=409)
    kind = entry.KIND_LABEL.lower()
    summary = f"Xóa {kind} {_vietnamese_label(entry)}"
    object_type, entry_id = OBJECT_TYPES[type(entry)], entry.id
    db.session.delete(entry)
    db.session.flush()
    record(actor, f"{object_type}.delete", object_type, entry_id, summary)


# --------------------------------------------------------------------------- a class's choice


def choice_problems(start: date | None, end: date | None, chosen: Mapping[str, int | None],
                    kept: Mapping[str, int | None] | None = None) -> dict[str, str]:
    """What is wrong with a class's choice (`chosen`: field of CHOICE_MODELS -> id or None)
    for a class held from `start` to `end`, by field. `kept` is what the class has now: an
    entry retired since it was chosen may stay on it (not a new choice)."""
    kept = kept or {}
    problems: dict[str, str] = {}
    entries: dict[str, Validity] = {}
    for field, entry_id in chosen.items():
        if not entry_id:
            continue
        model = CHOICE_MODELS[field]
        entry = db.session.get(model, entry_id)
        if entry is None:
            problems[field] = _("%(kind)s đã chọn không còn trong danh mục; hãy chọn lại.",
                                kind=_(model.KIND_LABEL))
            continue
        entries[field] = entry
        if not entry.active and kept.get(field) != entry.id:
            problems[field] = _("%(kind)s “%(name)s” đã ngừng sử dụng; hãy chọn mục khác.",
                                kind=entry.kind_label, name=entry.label)
        elif start and end and (problem := validity_problem(entry, start, end)):
            problems[field] = problem
    program, component = entries.get("program_id"), entries.get("component_id")
    plan = entries.get("plan_id")
    if component is not None and "component_id" not in problems:
        if program is None and "program_id" not in problems:
            problems["program_id"] = _("Hãy chọn chương trình của hợp phần đã chọn "
                                       "(“%(program)s”).", program=component.program.label)
        elif program is not None and component.program_id != program.id:
            problems["component_id"] = _(
                "Hợp phần “%(name)s” thuộc chương trình “%(other)s”, không thuộc chương trình "
                "đã chọn.", name=component.label, other=component.program.label)
    if plan is not None and program is not None and plan.program_id is not None \
            and plan.program_id != program.id and "plan_id" not in problems:
        problems["plan_id"] = _(
            "Kế hoạch %(name)s thuộc chương trình “%(other)s”, không thuộc chương trình đã "
            "chọn.", name=plan.label, other=plan.program.label)
    return problems


def validity_problem(entry: Validity, start: date, end: date) -> str | None:
    """Why `entry` cannot be chosen for a class held from `start` to `end` (None: it can)."""
    if entry.valid_from and start < entry.valid_from:
        return _("%(kind)s “%(name)s” chỉ có hiệu lực từ ngày %(first)s; lớp bắt đầu ngày "
                 "%(start)s.", kind=entry.kind_label, name=entry.label,
                 first=format_date(entry.valid_from), start=format_date(start))
    if entry.valid_to and end > entry.valid_to:
        return _("%(kind)s “%(name)s” chỉ có hiệu lực đến hết ngày %(last)s; lớp kết thúc ngày "
                 "%(end)s.", kind=entry.kind_label, name=entry.label,
                 last=format_date(entry.valid_to), end=format_date(end))
    return None
