"""What the API says of each object: plain dicts of the fields the OpenAPI document
(app/api/openapi.py) describes, dates as ISO 8601 ("2026-03-02"), ids as integers."""

from __future__ import annotations

from datetime import date, time


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def unit(u) -> dict:
    return {"id": u.id, "code": u.code, "name": u.name, "kind": u.kind, "category": u.category,
            "parent_id": u.parent_id, "successor_id": u.successor_id,
            "valid_from": _day(u.valid_from), "valid_to": _day(u.valid_to)}


def program(p) -> dict:
    return {"id": p.id, "code": p.code, "name": p.name, "short_name": p.short_name,
            "legal_basis": p.legal_basis, "valid_from": _day(p.valid_from),
            "valid_to": _day(p.valid_to), "active": p.active,
            "components": [{"id": c.id, "code": c.code, "name": c.name,
                            "valid_from": _day(c.valid_from), "valid_to": _day(c.valid_to),
                            "active": c.active} for c in p.components]}


def training_class(c) -> dict:
    return {"id": c.id, "code": c.code, "title": c.title, "status": c.status,
            "start_date": _day(c.start_date), "end_date": _day(c.end_date), "place": c.place,
            "capacity": c.capacity, "admitted": c.admitted_count,
            "min_attendance_pct": c.min_attendance_pct, "course_id": c.course_id,
            "program_id": c.program_id, "component_id": c.component_id,
            "activity_type_id": c.activity_type_id, "funding_source_id": c.funding_source_id,
            "invited_unit_ids": sorted(u.id for u in c.invited_units)}


def session(s) -> dict:
    return {"id": s.id, "date": _day(s.date), "part": s.part, "starts_at": _time(s.starts_at),
            "ends_at": _time(s.ends_at), "place": s.place}


def certificate(c) -> dict:
    replaced = c.replaced_by
    return {"code": c.shown_code, "number": c.number, "valid": c.in_force,
            "revoked_on": _day(c.revoked_on),
            "replaced_by_number": replaced.number if replaced is not None else None,
            "holder_name": c.holder_name, "holder_birth": c.holder_birth,
            "class_code": c.class_code, "class_title": c.class_title,
            "start_date": _day(c.start_date), "end_date": _day(c.end_date),
            "issuer_name": c.issuer_name, "issued_on": _day(c.issued_on)}
