"""Attendance forms. The marks themselves are one field per learner (and per session on the
key-back sheet), named by id, read by `session_entries` and `sheet_entries`:

- marking page: ``s-<application>`` the status (radio), ``n-<application>`` the note;
- key-back sheet: ``c-<session>-<application>`` the code typed (c, m, p, v; blank: nothing);
- both: ``w-...`` the status the page showed ("" for none) and, on the marking page,
  ``wn-<application>`` the note it showed: a save writes only what its user changed
  (`marking.save`).
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from app.attendance.marking import Entry
from app.attendance.models import LEVEL_LABELS, LEVELS, STATUS_LABELS, STATUSES
from app.auth.forms import MultiCheckboxField
from app.core.forms import BaseForm, MoneyField, VNDateField
from app.vietnamese import nfc

REASON_MAX = 1000
MAX_ID = 2**31 - 1


class MarkForm(BaseForm):
    """The CSRF token, the page's own id (the operations it makes are named from it, so the
    same page sent twice saves once: `ops.form_op_id`) and, for a finished class, the reason
    of a correction."""

    form_id = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{8,40}$")])
    reason = TextAreaField(_l("Lý do sửa điểm danh"),
                           validators=[Optional(), Length(max=REASON_MAX)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.form_id.data:
            self.form_id.data = secrets.token_urlsafe(16)


class EvidenceForm(BaseForm):
    session_id = SelectField(_l("Buổi học"), coerce=int, validate_choice=False,
                             validators=[InputRequired(message=_l("Hãy chọn buổi học."))])
    file = FileField(_l("Bản quét hoặc ảnh chụp danh sách ký (PDF, JPG, PNG)"),
                     validators=[FileRequired(message=_l("Hãy chọn tệp để tải lên."))])
    back = HiddenField()


class DeleteEvidenceForm(BaseForm):
    reason = TextAreaField(_l("Lý do xóa"), validators=[Optional(), Length(max=REASON_MAX)])


def _ids(key: str, prefix: str, parts: int) -> tuple[int, ...] | None:
    """The ids in a field name such as "c-12-345" (None when it is not one)."""
    if not key.startswith(prefix):
        return None
    pieces = key[len(prefix):].split("-")
    if len(pieces) != parts or not all(p.isdigit() and len(p) <= 10 for p in pieces):
        return None
    ids = tuple(int(p) for p in pieces)
    return ids if all(0 < i <= MAX_ID for i in ids) else None


def session_entries(formdata) -> tuple[dict[int, Entry], dict[int, Entry]]:
    """The marking page's marks (application id -> Entry) and what it showed."""
    entries, shown = {}, {}
    for key in formdata:
        ids = _ids(key, "s-", 1)
        if ids:
            entries[ids[0]] = Entry(formdata.get(key, ""), formdata.get(f"n-{ids[0]}", ""))
        ids = _ids(key, "w-", 1)
        if ids:
            shown[ids[0]] = Entry(formdata.get(key, ""), formdata.get(f"wn-{ids[0]}", ""))
    return entries, shown


def sheet_entries(formdata) -> tuple[dict[int, dict[int, Entry]], dict[tuple[int, int], Entry]]:
    """The key-back sheet's codes (session id -> application id -> Entry; blank cells are
    left out, and so are sessions with no code typed) and what it showed."""
    entries: dict[int, dict[int, Entry]] = {}
    shown: dict[tuple[int, int], Entry] = {}
    for key in formdata:
        ids = _ids(key, "c-", 2)
        if ids and formdata.get(key, "").strip():
            entries.setdefault(ids[0], {})[ids[1]] = Entry(formdata.get(key, ""))
        ids = _ids(key, "w-", 2)
        if ids:
            shown[ids] = Entry(formdata.get(key, ""))
    return entries, shown


# --------------------------------------------------------------------------- allowance


class PaperSettingsForm(BaseForm):
    """Which marks are paid days; the sign-in sheet's title."""

    paid = MultiCheckboxField(_l("Điểm danh được tính là ngày được hỗ trợ"),
                              choices=[(s, STATUS_LABELS[s]) for s in STATUSES])
    sheet_title = StringField(_l("Tiêu đề danh sách ký"), filters=[nfc],
                              validators=[InputRequired(message=_l(
                                  "Vui lòng ghi tiêu đề danh sách ký.")), Length(max=200)])


class MealRateForm(BaseForm):
    """A meal rate per day from a date on, for one organiser level."""

    level = SelectField(_l("Cấp tổ chức lớp"), choices=[(lv, LEVEL_LABELS[lv]) for lv in LEVELS],
                        validators=[InputRequired(message=_l("Vui lòng chọn cấp tổ chức lớp."))])
    valid_from = VNDateField(_l("Áp dụng từ ngày"), validators=[InputRequired(
        message=_l("Vui lòng ghi ngày áp dụng (dd/mm/yyyy)."))])
    amount = MoneyField(_l("Mức hỗ trợ tiền ăn mỗi ngày (đồng)"), minimum=0,
                        maximum=100_000_000, message=_l(
                            "Mức hỗ trợ phải từ %(min)s đến %(max)s đồng, không được âm."),
                        validators=[InputRequired(message=_l(
                            "Vui lòng ghi mức hỗ trợ (đồng), ví dụ 150.000."))])
    basis = StringField(_l("Căn cứ (ví dụ Nghị quyết số .../NQ-HĐND của tỉnh)"), filters=[nfc],
                        validators=[Optional(), Length(max=200)])


class ActionForm(BaseForm):
    """A button that only needs the CSRF token (apply the rate, delete a rate)."""
