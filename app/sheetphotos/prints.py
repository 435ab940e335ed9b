"""Printing the sign-in sheet as a recorded print: the print is written first (its id goes
into every page's QR code), then the sheet is built (`attendance.sheets.sign_in_pdf`) and
every signature cell is kept as drawn, for reading photos of it and as JSON for coordinators
(`layout_json`). Plain functions: the acting user, the class, its learners and sessions, the
key for the QR codes are passed in; flush only.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm

from app.attendance import sheets
from app.classes.models import ClassSession, TrainingClass
from app.documents import pdf
from app.documents.models import OrgInfo
from app.extensions import db
from app.people.models import Cadre
from app.sheetphotos import codes
from app.sheetphotos.models import SheetPrint


def qr_box_mm(page_mm: tuple[float, float]) -> list[float]:
    """The QR code's box on the page, (x, y from the top-left, side), in mm."""
    x, y, side = pdf.page_qr_box((page_mm[0] * mm, page_mm[1] * mm))
    return [round(x / mm, 2), round(page_mm[1] - (y + side) / mm, 2), round(side / mm, 2)]


def print_sheet(actor, klass: TrainingClass, cadres: Sequence[Cadre],
                sessions: Sequence[ClassSession], org: OrgInfo, *, every: bool, title: str,
                key: bytes) -> bytes:
    """The sheet's PDF, recorded as a print with its cells (refusals as `sign_in_pdf`'s)."""
    record = SheetPrint(class_id=klass.id, session_ids=".".join(str(s.id) for s in sessions),
                        printed_by_id=getattr(actor, "id", None))
    db.session.add(record)
    db.session.flush()
    layout = sheets.SheetLayout()
    data = sheets.sign_in_pdf(klass, cadres, sessions, org, every=every, title=title,
                              qr=lambda page: codes.qr_text(key, klass.id, record.id, page),
                              layout=layout)
    record.pages = layout.pages
    record.layout = {"page_mm": list(layout.page_mm), "qr_mm": qr_box_mm(layout.page_mm),
                     "cells": [[c.page, c.cadre_id, c.session_id, *c.box]
                               for c in layout.cells]}
    db.session.flush()
    return data


def layout_json(record: SheetPrint, names: dict[int, str]) -> dict:
    """The print's layout for audit and other tools: per page, per cell, the cadre, the
    session and the box in mm (x, y from the page's top-left corner, width, height)."""
    layout = record.layout or {}
    pages = []
    for page in range(1, record.pages + 1):
        pages.append({"page": page, "cells": [
            {"cadre_id": cadre, "cadre": names.get(cadre, ""), "session_id": session,
             "box_mm": {"x": box[0], "y": box[1], "width": box[2], "height": box[3]}}
            for cadre, session, box in record.cells_of(page)]})
    return {"print_id": record.id, "class_id": record.class_id,
            "printed_at": record.printed_at.isoformat() + "Z", "sessions": record.sessions,
            "page_mm": {"width": layout.get("page_mm", [0, 0])[0],
                        "height": layout.get("page_mm", [0, 0])[1]},
            "qr_mm": layout.get("qr_mm"), "markers_mm": _markers(layout), "pages": pages}


def _markers(layout: dict) -> list[dict]:
    from app.documents import markers

    width, height = layout.get("page_mm", [0, 0])
    return [{"id": marker, "corner": markers.CORNERS[marker], "x": x, "y": y,
             "size": markers.SIZE_MM}
            for marker, (x, y) in markers.positions_mm(width, height).items()]
