"""The program a class belongs to (app/programs): program, component, activity type, funding
source and plan, chosen on the class form among the entries valid on the class's dates.

- `FIELDS`: the class's columns, ClassData's fields and the form's fields, one name each;
- `problems(data, klass)`: what `service._validate` refuses, by field;
- `set_choices(form)`: what the class form offers;
- `class_uses`: the classes recorded under some entries (a finder for app.programs.usage, so
  an entry in use is never deleted and keeps covering its classes' dates);
- `assign_programs_in_force(actor)`: `flask setup --assign-programs` for classes recorded
  before programs were data.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, select, true

from app.audit.models import record
from app.classes.models import TrainingClass
from app.extensions import db
from app.programs import queries as program_queries
from app.programs import service as program_service
from app.programs.models import CHOICE_MODELS, Program
from app.programs.usage import Use

FIELDS = tuple(CHOICE_MODELS)  # program_id, component_id, activity_type_id, ...


def program_condition(chosen) -> ColumnElement[bool]:
    """The classes of a chosen program and component (any object with `program_id` and
    `component_id`: a report's Scope, the costs' Filter); true when neither is chosen. The
    one rule for the indicators and the costs alike."""
    conditions = []
    if chosen.program_id is not None:
        conditions.append(TrainingClass.program_id == chosen.program_id)
    if chosen.component_id is not None:
        conditions.append(TrainingClass.component_id == chosen.component_id)
    return and_(true(), *conditions)


def chosen(source) -> dict[str, int | None]:
    """The choice of a ClassData, a class or a form (fields' data)."""
    values = {}
    for name in FIELDS:
        value = getattr(source, name, None)
        values[name] = getattr(value, "data", value)
    return values


def problems(data, klass: TrainingClass | None) -> dict[str, str]:
    """The refusals of `data`'s choice for its dates, by field; an entry retired since the
    class chose it may stay on the class."""
    kept = chosen(klass) if klass is not None and klass.id is not None else {}
    start, end = data.start_date, data.end_date
    if not (start and end and start <= end):
        start = end = None  # the dates are refused at their fields; check the rest
    return program_service.choice_problems(start, end, chosen(data), kept)


def set_choices(form) -> None:
    """Offer in each field the entries valid on the dates typed (none typed yet: those not
    ended), keeping the one chosen."""
    start, end = form.start_date.data, form.end_date.data
    if start and end and end < start:
        start = end = None
    offered = program_queries.choices(start, end, chosen(form))
    for name, options in offered.items():
        getattr(form, name).choices = [("", _("— chưa chọn —")), *options]


def class_uses(model: type, ids: Sequence[int]) -> list[Use]:
    field = next((name for name, m in CHOICE_MODELS.items() if m is model), None)
    if field is None:
        return []
    column = getattr(TrainingClass, field)
    rows = db.session.execute(
        select(column, TrainingClass.code, TrainingClass.start_date, TrainingClass.end_date)
        .where(column.in_(ids)).order_by(TrainingClass.start_date, TrainingClass.code))
    return [Use(entry_id, _("lớp %(code)s", code=code), start, end)
            for entry_id, code, start, end in rows]


def assign_programs_in_force(actor=None) -> int:
    """Give each class without a program the one program in force on all its days, when there
    is exactly one; a class with none or several is left for the coordinator. Returns how
    many classes got one."""
    assigned = 0
    for klass in db.session.scalars(select(TrainingClass).where(
            TrainingClass.program_id.is_(None)).order_by(TrainingClass.id)):
        program = program_queries.the_one_in_force(Program, klass.start_date, klass.end_date)
        if program is None:
            continue
        klass.program_id = program.id
        assigned += 1
        record(actor, "class.update", "class", klass.id,
               f"Ghi chương trình “{program.short_name}” cho lớp {klass.code} (chương trình "
               "có hiệu lực trong thời gian lớp học)",
               data={"changes": {"program_id": [None, program.id]}})
    db.session.flush()
    return assigned
