"""Photos of signed sheets: upload one or several, see what was read, pick the page when the
QR code could not be read, confirm; a print's layout as JSON for coordinators. Thin views:
parse, load and authorise (`attendance.access`), call the domain (`service.py`), commit once,
render or redirect. Results are JSON too, with `Accept: application/json`.
"""

from __future__ import annotations

import base64

import cv2
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import MultipleFileField
from sqlalchemy import select
from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from app.attendance import access, evidence, forms, marking
from app.attendance.models import STATUS_LABELS, STATUS_SHORT, STATUSES
from app.auth.decorators import role_required
from app.auth.roles import STAFF
from app.classes.access import load_class
from app.classes.models import TrainingClass
from app.core.forms import BaseForm
from app.core.refusal import REFUSED, refusal
from app.courses import uploads
from app.extensions import db
from app.people.models import Cadre
from app.sheetphotos import codes, prints, reader, service
from app.sheetphotos.models import SheetPrint, SheetReading
from app.timeutil import utcnow

bp = Blueprint("sheetphotos", __name__)
MAX_PHOTOS = 20
STRIP_MAX = 80  # crops shown in the strip of cells read as signed


class PhotosForm(BaseForm):
    photos = MultipleFileField(_l("Ảnh chụp các trang danh sách đã ký (JPG, PNG)"))


class PageForm(BaseForm):
    print_id = HiddenField()
    page = IntegerField(_l("Trang"), validators=[InputRequired(message=_l("Hãy chọn trang.")),
                                                 NumberRange(min=1, max=999)])


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > \
        request.accept_mimetypes["text/html"]


def _class(class_id: int) -> TrainingClass:
    klass = load_class(class_id)
    access.require_see(current_user, klass)
    return klass


def _reading(klass: TrainingClass, reading_id: int) -> SheetReading:
    reading = db.session.get(SheetReading, reading_id)
    if reading is None or reading.class_id != klass.id:
        abort(404)
    return reading


def _key() -> bytes:
    return codes.key_of(current_app.config["SECRET_KEY"])


def _limits() -> dict:
    config = current_app.config
    return {"max_bytes": min(evidence.MAX_BYTES, config["MAX_CONTENT_LENGTH"]),
            "max_pixels": config["COURSE_IMAGE_MAX_PIXELS"]}


# --------------------------------------------------------------------------- layout


@bp.route("/<int:class_id>/sheet-prints/<int:print_id>/layout.json")
@role_required("coordinator")
def layout(class_id: int, print_id: int):
    klass = _class(class_id)
    record = db.session.get(SheetPrint, print_id)
    if record is None or record.class_id != klass.id:
        abort(404)
    ids = {c[1] for c in record.layout.get("cells", [])}
    names = dict(db.session.execute(select(Cadre.id, Cadre.full_name)
                                    .where(Cadre.id.in_(ids))).all())
    return jsonify(prints.layout_json(record, names))


# --------------------------------------------------------------------------- reading


def _new_page(klass: TrainingClass, form: PhotosForm, results=(), status: int = 200):
    problem = marking.class_problem(current_user, klass)
    return render_template("sheetphotos/new.html", klass=klass, form=form, results=results,
                           problem=problem.message if problem else None,
                           max_upload=uploads.format_mb(_limits()["max_bytes"]),
                           max_photos=MAX_PHOTOS), status


@bp.route("/<int:class_id>/sheet-photos/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new(class_id: int):
    klass = _class(class_id)
    form = PhotosForm()
    if request.method == "GET":
        return _new_page(klass, form)
    if not form.validate():
        return _new_page(klass, form, status=400)
    files = [f for f in request.files.getlist("photos") if f and f.filename]
    if not files:
        form.photos.errors = [_("Hãy chọn ít nhất một ảnh chụp trang danh sách đã ký.")]
        return _new_page(klass, form, status=400)
    if len(files) > MAX_PHOTOS:
        form.photos.errors = [_("Tối đa %(n)s ảnh một lần.", n=MAX_PHOTOS)]
        return _new_page(klass, form, status=400)
    upload_dir = current_app.config["UPLOAD_DIR"]
    results = []
    for upload in files:
        name = upload.filename or ""
        try:
            outcome = service.read_photo(current_user, klass, name, upload.read(),
                                         key=_key(), upload_dir=upload_dir, **_limits())
            db.session.commit()
        except (uploads.UploadError, *REFUSED) as exc:
            why = refusal(exc)
            results.append({"name": name, "error": why.message, "status": why.status})
            klass = load_class(class_id)
            continue
        evidence.remove(upload_dir, outcome.replaced)
        reading = outcome.reading
        results.append({"name": reading.original_name, "reading": reading,
                        "warning": outcome.warning})
    read = [r for r in results if "reading" in r]
    if _wants_json():
        return jsonify([service.as_json(r["reading"]) if "reading" in r else
                        {"name": r["name"], "error": r["error"]} for r in results]), \
            200 if read else max(r["status"] for r in results)
    if len(results) == 1 and read:
        if read[0]["warning"]:
            flash(read[0]["warning"], "warning")
        return redirect(url_for("sheetphotos.result", class_id=class_id,
                                reading_id=read[0]["reading"].id), 303)
    status = 200 if read else max(r["status"] for r in results)
    return _new_page(klass, PhotosForm(formdata=None), results, status)


def _strip(klass: TrainingClass, reading: SheetReading, view: service.PageView) -> list[dict]:
    """The crops of the cells read as signed, as small JPEG data URLs, for a quick look."""
    cells = reading.sheet_print.cells_of(reading.page) if reading.sheet_print else []
    signed = [(n, c) for n, c in enumerate(reading.result.get("cells", []))
              if c[2] == "signed"][:STRIP_MAX]
    if not signed:
        return []
    import numpy as np

    gray = service.photo_gray(current_app.config["UPLOAD_DIR"], reading)
    located = reader.Located(np.array(reading.result["homography"]), (),
                             (gray.shape[1], gray.shape[0]))
    names = {row.cadre_id: row.name for row in view.rows}
    out = []
    for n, (cadre_id, session_id, _decision, _ink) in signed:
        image = reader.crop(gray, located, service.page_mm(), cells[n][2], scale=4.0)
        ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 70])
        if ok:
            out.append({"src": "data:image/jpeg;base64," + base64.b64encode(
                jpeg.tobytes()).decode(), "name": names.get(cadre_id, ""),
                "session": session_id})
    return out


def _result_page(klass: TrainingClass, reading: SheetReading, *, error: str | None = None,
                 page_form: PageForm | None = None, status: int = 200):
    view = service.page_view(klass, reading, utcnow()) if reading.print_id else None
    problem = marking.class_problem(current_user, klass)
    prints_ = []
    if reading.print_id is None:
        prints_ = db.session.scalars(select(SheetPrint).where(SheetPrint.class_id == klass.id)
                                     .order_by(SheetPrint.id.desc()).limit(20)).all()
    return render_template(
        "sheetphotos/result.html", klass=klass, reading=reading, view=view,
        strip=_strip(klass, reading, view) if view else [], error=error,
        problem=problem.message if problem else None, prints=prints_,
        page_form=page_form or PageForm(formdata=None), form=forms.MarkForm(formdata=None),
        statuses=STATUSES, labels=STATUS_LABELS, short=STATUS_SHORT), status


@bp.route("/<int:class_id>/sheet-photos/<int:reading_id>")
@role_required(*STAFF)
def result(class_id: int, reading_id: int):
    klass = _class(class_id)
    reading = _reading(klass, reading_id)
    if _wants_json():
        return jsonify(service.as_json(reading))
    return _result_page(klass, reading)


@bp.route("/<int:class_id>/sheet-photos/<int:reading_id>/page", methods=["POST"])
@role_required(*STAFF)
def choose_page(class_id: int, reading_id: int):
    klass = _class(class_id)
    reading = _reading(klass, reading_id)
    form = PageForm()
    print_id = forms._ids(f"p-{form.print_id.data or ''}", "p-", 1)
    if not form.validate() or print_id is None:
        if print_id is None:
            form.print_id.errors = [_("Hãy chọn lần in.")]
        return _result_page(klass, reading, page_form=form, status=400)
    upload_dir = current_app.config["UPLOAD_DIR"]
    try:
        replaced = service.choose_page(current_user, klass, reading, print_id[0],
                                       form.page.data, upload_dir)
        db.session.commit()
    except REFUSED as exc:
        why = refusal(exc)
        klass = load_class(class_id)
        return _result_page(klass, _reading(klass, reading_id), error=why.message,
                            status=why.status)
    evidence.remove(upload_dir, replaced)
    return redirect(url_for("sheetphotos.result", class_id=class_id, reading_id=reading_id),
                    303)


@bp.route("/<int:class_id>/sheet-photos/<int:reading_id>/confirm", methods=["POST"])
@role_required(*STAFF)
def confirm(class_id: int, reading_id: int):
    klass = _class(class_id)
    reading = _reading(klass, reading_id)
    form = forms.MarkForm()
    if not form.validate():
        return _result_page(klass, reading, error=_("Phiên làm việc đã hết hạn; hãy tải lại "
                                                     "trang."), status=400)
    entries, shown = forms.sheet_entries(request.form)
    upload_dir = current_app.config["UPLOAD_DIR"]
    written: list[str] = []
    try:
        saved, written = service.confirm(current_user, klass, reading, entries, shown, utcnow(),
                                         upload_dir)
        db.session.commit()
    except REFUSED as exc:
        why = refusal(exc)
        evidence.remove(upload_dir, written)
        klass = load_class(class_id)
        return _result_page(klass, _reading(klass, reading_id), error=why.message,
                            status=why.status)
    except Exception:
        db.session.rollback()
        evidence.remove(upload_dir, written)
        raise
    wrote = sum(s.created + s.changed for s in saved)
    flash(_("Đã xác nhận trang %(page)s: ghi %(n)s điểm danh; ảnh được lưu làm minh chứng.",
            page=reading.page, n=wrote), "success")
    return redirect(url_for("attendance.keyback", class_id=class_id), 303)
