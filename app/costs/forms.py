"""The costs form: per line a funding source and the amounts the line takes by hand (the
budget; the spending of the typed lines; the trainers' fee per session). Amounts are typed the
Vietnamese way and read by `app/numbers.py` (through `MoneyField`), each refused at its own
field with a Vietnamese message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from app.core.forms import BaseForm, MoneyField
from app.costs.lines import PER_SESSION, TYPED_SPENT, Entry
from app.costs.models import LINE_LABELS, LINES, MAX_AMOUNT
from app.numbers import coerce_id

RANGE = _l("Số tiền phải từ %(min)s đến %(max)s đồng.")


def _money(label):
    return MoneyField(label, validators=[Optional()], minimum=0, maximum=MAX_AMOUNT,
                      message=RANGE)


class CostsForm(BaseForm):
    """Fields `source_<line>`, `budget_<line>` (not for the trainers' line), `spent_<line>`
    (typed lines only) and `per_session` (the trainers' fee per session)."""

    per_session = _money(_l("Thù lao một buổi"))

    def field_of(self, kind: str, line: str):
        return getattr(self, f"{kind}_{line}", None)

    def entries(self) -> dict[str, Entry]:
        out = {}
        for line in LINES:
            budget = self.field_of("budget", line)
            spent = self.field_of("spent", line)
            out[line] = Entry(self.field_of("source", line).data,
                              budget.data if budget is not None else None,
                              spent.data if spent is not None else None,
                              self.per_session.data if line == PER_SESSION else None)
        return out


for _line in LINES:
    _label = LINE_LABELS[_line]
    setattr(CostsForm, f"source_{_line}",
            SelectField(_l("Nguồn kinh phí"), coerce=coerce_id, validators=[Optional()]))
    if _line != PER_SESSION:
        setattr(CostsForm, f"budget_{_line}", _money(_l("Dự toán")))
    if _line in TYPED_SPENT:
        setattr(CostsForm, f"spent_{_line}", _money(_l("Thực hiện")))
