"""Fixtures for the sheet-photo tests: the attendance fixtures (a running class with admitted
learners), a printed sheet of it and synthetic photos of its signed pages (small ones: the
evaluation over 40 full-size pages is bench/bench_sheet_photo.py)."""

import pytest

from tests.attendance.conftest import (  # noqa: F401 - the attendance fixtures, used here too
    admit,
    apply_for,
    learner_cadre,
    make_class,
    running,
)
from tests.sheetphotos.synth import signed_photo

# A photo of 2,400 × 1,800 px (4.3 MP) from a page rendered at 200 dpi: read like a phone's
# photo shrunk to 2,000 px, and quick to make.
SIZE = (2400, 1800)
DPI = 200


@pytest.fixture()
def printed(client, login, users):
    """Print the class's sheet as `who` (the coordinator): (the PDF, the SheetPrint)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.sheetphotos.models import SheetPrint

    def do(klass, who="coordinator", query=""):
        login(users[who])
        response = client.get(f"/classes/{klass.id}/sign-in-sheet.pdf{query}")
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        sheet = db.session.scalars(select(SheetPrint).where(SheetPrint.class_id == klass.id)
                                   .order_by(SheetPrint.id.desc())).first()
        return response.data, sheet

    return do


def photo_of(pdf, sheet, page=1, seed=1, signed=None, **kw):
    """A synthetic photo of the page; `signed`: the (cadre id, session id) cells to sign (all
    others blank), else about 70% chosen by the seed."""
    cells = sheet.cells_of(page)
    boxes = [box for _c, _s, box in cells]
    chosen = None
    if signed is not None:
        chosen = {i for i, (c, s, _b) in enumerate(cells) if (c, s) in signed}
    return signed_photo(pdf, page, boxes, seed, size=kw.pop("size", SIZE),
                        dpi=kw.pop("dpi", DPI), chosen=chosen, **kw), cells


@pytest.fixture(autouse=True)
def _daytime(daytime):
    """Every test here runs at 15:00 in Vietnam today (tests/conftest.py `daytime`): their
    classes' sessions of today have begun whatever the hour of the run."""
    return daytime
