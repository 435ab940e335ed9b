"""Objects for the route walk: a recorded print of the sign-in sheet of the class of
tests/routewalk/classes.py (code RW-01, made before this module runs) and an unconfirmed
photo read from its first page."""


def params(ctx) -> dict:
    from sqlalchemy import select

    from app.classes.models import TrainingClass
    from app.sheetphotos.models import SheetPrint, SheetReading

    db = ctx.db
    klass = db.session.scalars(select(TrainingClass).where(TrainingClass.code == "RW-01")).one()
    sheet = SheetPrint(class_id=klass.id, session_ids=str(klass.sessions[0].id), pages=1,
                       layout={"page_mm": [297, 210], "qr_mm": [261, 191.5, 17], "cells": []})
    db.session.add(sheet)
    db.session.flush()
    reading = SheetReading(class_id=klass.id, print_id=sheet.id, page=1,
                           original_name="trang-1.jpg", photo_name="0" * 32 + ".jpg",
                           photo_sha256="0" * 64, result={"cells": [], "found": []})
    db.session.add(reading)
    db.session.commit()
    return {"print_id": sheet.id, "reading_id": reading.id}
