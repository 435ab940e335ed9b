"""Allocation reasons are stored in Vietnamese and shown in the reader's language."""

import re

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.classes.allocation import REASON_TEMPLATES
from app.classes.enrolment import REASON_TEMPLATES as ENROLMENT_TEMPLATES
from app.classes.reasons import shown_reason
from tests.classes.conftest import confirm_fields

SAMPLE = {"i": "3", "n": "30", "share": "50", "cap": "2", "limit": "3", "have": "3",
          "capacity": "30", "moment": "08:15 ngày 05/01/2026", "min": "1", "rank": "2",
          "problem": "Xã Sơn Linh không thuộc các xã được mời dự lớp này.",
          "reason": "Bận thu hoạch: 2 ngày", "commune": "xã Sơn Kỳ",
          "village": "thôn Gò Da, xã Sơn Kỳ", "position": "Trưởng thôn, tổ trưởng tổ dân phố",
          "name": "Đinh Thị Lanh", "old": "30", "new": "32"}


@pytest.mark.parametrize("template", [*REASON_TEMPLATES, *ENROLMENT_TEMPLATES])
def test_every_reason_is_recognised_and_translated(app, template):
    names = re.findall(r"%\((\w+)\)s", template)
    values = {k: SAMPLE[k] for k in names}
    stored = template % values if names else template
    with app.test_request_context(), force_locale("en"):
        if "moment" in values:
            values["moment"] = "08:15 on 05/01/2026"  # the moment in the reader's words
        expected = _(template, **values) if names else _(template)
        assert shown_reason(stored) == expected
        assert expected != stored  # it has an English translation
        assert "ngày" not in expected.replace("2 ngày", "")
    with app.test_request_context(), force_locale("vi"):
        assert shown_reason(stored) == stored


def test_free_text_and_unknown_lines_are_shown_as_stored(app):
    with app.test_request_context(), force_locale("en"):
        assert shown_reason("Một dòng ghi chú cũ") == "Một dòng ghi chú cũ"


def test_applications_page_explains_seats_in_english(client, db, login, make_class, make_cadre,
                                                     apply_for):
    from app.classes.models import Application

    klass = make_class(capacity=1)
    woman, man = make_cadre("Đinh Thị Hoa"), make_cadre("Phạm Văn Bốc", gender="M")
    apply_for(klass, [man, woman])
    login("coordinator")
    client.set_cookie("lang", "en")
    page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    assert "Admitted: 1 of 1 on the list" in page and "Village-level cadre: +2" in page
    assert "Waiting list: 1 of 1" in page and "Total priority points: 3" in page
    assert ("Equal points with others: first women, then village-level cadres, then the not yet "
            "trained; then the earlier application (applied at 08:01 on 05/01/2026)") in page
    assert "Được xét chọn" not in page and "ngày 05/01" not in page
    fields = confirm_fields(page)
    assert client.post(f"/classes/{klass.id}/allocation", data=fields).status_code == 302
    stored = db.session.scalar(select(Application).where(Application.cadre_id == woman.id))
    assert stored.reasons[0] == "Được xét chọn: thứ 1/1 trong danh sách chính thức"
    page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    assert "Admitted: 1 of 1 on the list" in page and "Total priority points: 3" in page
    assert '<span class="badge text-bg-success seat-place">1 of 1</span>' in page
    client.delete_cookie("lang")
    page = client.get(f"/classes/{klass.id}/applications").get_data(as_text=True)
    assert "Được xét chọn: thứ 1/1 trong danh sách chính thức" in page
