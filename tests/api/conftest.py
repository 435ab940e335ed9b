"""Fixtures of the API tests: two classes (one of xã Sơn Kỳ, one of xã Sơn Hà) with sessions,
marks and a certificate, and tokens for the whole province, for Sơn Kỳ, and a revoked one."""

from datetime import date

import pytest

from app.api import tokens
from app.attendance.models import AttendanceMark
from app.certificates import codes
from app.certificates.models import Certificate
from app.classes.models import Application, ClassSession, TrainingClass
from app.timeutil import utcnow


def _class(db, code, unit, start, status="finished"):
    klass = TrainingClass(code=code, title=f"Lớp {code}", place="Hội trường", start_date=start,
                          end_date=start, capacity=10, status=status, min_attendance_pct=50)
    klass.invited_units = [unit]
    db.session.add(klass)
    db.session.flush()
    for part in ("morning", "afternoon"):
        db.session.add(ClassSession(class_id=klass.id, date=start, part=part))
    db.session.flush()
    return klass


@pytest.fixture()
def world(db, son_ha, make_cadre, users):
    son_ky, son_ha_commune = son_ha["new:son-ky"], son_ha["new:son-ha"]
    ky = _class(db, "SK-01", son_ky, date(2026, 3, 2))
    ha = _class(db, "SH-01", son_ha_commune, date(2026, 4, 6))
    hoa = make_cadre("Đinh Thị Hoa", "F", 1985, commune=son_ky)
    boc = make_cadre("Đinh Văn Bốc", "M", 1979, commune=son_ky)
    admitted = []
    for cadre in (hoa, boc):
        application = Application(class_id=ky.id, cadre_id=cadre.id, status="admitted",
                                  source="nominated")
        db.session.add(application)
        db.session.flush()
        admitted.append(application)
    ky.admitted_count = 2
    morning, afternoon = ky.sessions
    db.session.add_all([
        AttendanceMark(session_id=morning.id, application_id=admitted[0].id, status="present"),
        AttendanceMark(session_id=afternoon.id, application_id=admitted[0].id, status="late"),
        AttendanceMark(session_id=morning.id, application_id=admitted[1].id, status="absent"),
    ])
    code = codes.new_code()
    certificate = Certificate(
        code=code, class_id=ky.id, application_id=admitted[0].id, cadre_id=hoa.id,
        issuer_key="ubnd-son-ky", year=2026, seq=1, number="001/GCN-UBND",
        holder_name="Đinh Thị Hoa", holder_gender="F", holder_birth="1985",
        holder_unit="xã Sơn Kỳ", class_code=ky.code, class_title=ky.title,
        class_place=ky.place, start_date=ky.start_date, end_date=ky.end_date,
        issuer_lines=[["ỦY BAN NHÂN DÂN", True]], issuer_name="Ủy ban nhân dân xã Sơn Kỳ",
        place_name="Sơn Kỳ", issued_on=date(2026, 3, 10), signer_title="CHỦ TỊCH",
        signer_name="Đinh Văn Minh")
    db.session.add(certificate)
    _token, province = tokens.create(users["admin"], "Hệ thống của Sở", None)
    _token, commune = tokens.create(users["admin"], "Phần mềm xã Sơn Kỳ", son_ky.id)
    revoked_token, revoked = tokens.create(users["admin"], "Hệ thống cũ", None)
    tokens.revoke(users["admin"], revoked_token, utcnow())
    db.session.commit()
    return {"ky": ky, "ha": ha, "son_ky": son_ky, "son_ha": son_ha_commune,
            "certificate": certificate, "code": code, "province": province,
            "commune": commune, "revoked": revoked}


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}
