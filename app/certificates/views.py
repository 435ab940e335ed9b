"""Certificate pages: a class's eligibility list (confirm, issue), one certificate (PDF,
revoke, reissue), the class's certificates as one PDF, the register, and the public
verification. Thin views: load and authorise (`access.py`), call the domain
(`eligibility.py`, `issuing.py`), commit once, render or redirect."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import public, role_required
from app.auth.roles import COORDINATORS, STAFF
from app.certificates import access, codes, eligibility, issuing, queries, register
from app.certificates.document import certificates_pdf
from app.certificates.forms import IssueForm, PeriodForm, ReasonForm, VerifyForm
from app.classes.access import load_class
from app.core.paging import Pager, page_number, page_of
from app.core.refusal import REFUSED, refusal
from app.documents.models import org_info
from app.extensions import db, limiter
from app.numbers import parse_id
from app.people import visibility
from app.timeutil import local_today, utcnow

bp = Blueprint("certificates", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refused(exc: Exception):
    return refusal(exc, conflict=_("Có người khác vừa cấp hoặc sửa giấy chứng nhận của lớp "
                                   "này cùng lúc; chưa lưu gì. Vui lòng tải lại trang rồi thử "
                                   "lại."))


def verify_url(code: str) -> str:
    """The address printed and put in the QR code: PUBLIC_BASE_URL when set (the address the
    public reaches), else this request's."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
    return base.rstrip("/") + url_for("certificates.verify", certificate_code=code)


def _pdf(data: bytes, name: str):
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=False,
                         download_name=name, max_age=0)
    response.cache_control.private = True
    return response


# --------------------------------------------------------------------------- a class


def _class_page(klass, error: str | None = None, status: int = 200, reason_form=None):
    rows = eligibility.standings(klass)
    confirmation = eligibility.confirmation(klass)
    return render_template(
        "certificates/class.html", klass=klass, rows=rows, error=error,
        problem=eligibility.class_problem(klass), org_problem=org_info().problem(),
        confirmation=confirmation,
        confirmed=eligibility.confirmation_holds(confirmation, rows),
        quiz=eligibility.quiz_course(klass) is not None,
        certificates=queries.of_class(klass.id), may_issue=current_user.is_coordinator,
        eligible=sum(r.eligible for r in rows),
        to_issue=sum(r.eligible and r.certificate is None for r in rows), form=IssueForm(),
        reason_form=reason_form or ReasonForm()), status


@bp.route("/classes/<int:class_id>/certificates")
@role_required(*STAFF)
def for_class(class_id: int):
    klass = load_class(class_id)
    access.require_see_class(current_user, klass)
    return _class_page(klass)


@bp.route("/classes/<int:class_id>/certificates/confirm", methods=["POST"])
@role_required(*STAFF)
def confirm(class_id: int):
    klass = load_class(class_id)
    access.require_see_class(current_user, klass)
    if not IssueForm().validate_on_submit():
        return _class_page(klass, _("Biểu mẫu không hợp lệ; hãy tải lại trang."), 400)
    try:
        issuing.confirm(current_user, klass, utcnow())
        db.session.commit()
    except REFUSED as exc:
        why = _refused(exc)
        return _class_page(load_class(class_id), why.message, why.status)
    flash(_("Đã xác nhận kết quả của lớp."), "success")
    return redirect(url_for("certificates.for_class", class_id=class_id), 303)


@bp.route("/classes/<int:class_id>/certificates/issue", methods=["POST"])
@role_required(*COORDINATORS)
def issue(class_id: int):
    klass = load_class(class_id)
    form = IssueForm()
    if not form.validate_on_submit():
        return _class_page(klass, _("Biểu mẫu không hợp lệ; hãy tải lại trang."), 400)
    one = form.application_id.data
    application_id = parse_id(one) if one else None
    if one and application_id is None:
        return _class_page(klass, _("Không tìm thấy học viên này trong lớp."), 404)
    try:
        issued = issuing.issue(current_user, klass, org_info(), local_today(), utcnow(),
                               application_id)
        db.session.commit()
    except REFUSED as exc:
        why = _refused(exc)
        return _class_page(load_class(class_id), why.message, why.status)
    flash(_("Đã cấp %(n)s giấy chứng nhận: số %(numbers)s.", n=len(issued),
            numbers=", ".join(c.number for c in issued)), "success")
    return redirect(url_for("certificates.for_class", class_id=class_id), 303)


@bp.route("/classes/<int:class_id>/certificates.pdf")
@role_required(*COORDINATORS)
def class_pdf(class_id: int):
    klass = load_class(class_id)
    found = queries.in_force_of_class(klass.id)
    if not found:
        flash(_("Lớp chưa có giấy chứng nhận nào còn hiệu lực để in."), "warning")
        return redirect(url_for("certificates.for_class", class_id=class_id), 303)
    code = "".join(ch for ch in klass.code if ch.isprintable())
    return _pdf(certificates_pdf(found, verify_url, title=f"Giấy chứng nhận lớp {klass.code}"),
                f"giay-chung-nhan-{code}.pdf")


# --------------------------------------------------------------------------- one certificate


@bp.route("/certificates/<certificate_code>.pdf")
@role_required("learner", *COORDINATORS)
def certificate_pdf(certificate_code: str):
    certificate = access.load_certificate(certificate_code)
    if not access.may_download(current_user, certificate):
        return render_template("certificates/not_found.html"), 404
    return _pdf(certificates_pdf([certificate], verify_url, title=f"Giấy chứng nhận số "
                                 f"{certificate.number}"),
                f"giay-chung-nhan-{certificate.code}.pdf")


def _detail(certificate, error: str | None = None, status: int = 200, form=None):
    return render_template("certificates/detail.html", certificate=certificate, error=error,
                           form=form or ReasonForm()), status


@bp.route("/certificates/<certificate_code>")
@role_required(*COORDINATORS)
def detail(certificate_code: str):
    return _detail(access.load_managed(certificate_code, current_user))


def _change(code: str, act):
    certificate = access.load_managed(code, current_user)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _detail(certificate, None, 400, form)
    try:
        result = act(certificate, form.reason.data)
        db.session.commit()
    except REFUSED as exc:
        why = _refused(exc)
        if why.field == "reason":
            form.reason.errors = [why.message]
        return _detail(access.load_certificate(code), None if why.field else why.message,
                       why.status, form)
    return result


@bp.route("/certificates/<certificate_code>/revoke", methods=["POST"])
@role_required(*COORDINATORS)
def revoke(certificate_code: str):
    def act(certificate, reason):
        issuing.revoke(current_user, certificate, reason, utcnow())
        flash(_("Đã thu hồi giấy chứng nhận số %(number)s.", number=certificate.number),
              "success")
        return redirect(url_for("certificates.detail",
                                certificate_code=certificate.code), 303)
    return _change(certificate_code, act)


@bp.route("/certificates/<certificate_code>/reissue", methods=["POST"])
@role_required(*COORDINATORS)
def reissue(certificate_code: str):
    def act(certificate, reason):
        new = issuing.reissue(current_user, certificate, reason, org_info(), local_today(),
                              utcnow())
        flash(_("Đã cấp lại: giấy chứng nhận số %(number)s thay cho số %(old)s.",
                number=new.number, old=certificate.number), "success")
        return redirect(url_for("certificates.detail", certificate_code=new.code), 303)
    return _change(certificate_code, act)


# --------------------------------------------------------------------------- register


def _period():
    form = PeriodForm(request.args)
    form.validate()
    date_from = form.date_from.data if not form.date_from.errors else None
    date_to = form.date_to.data if not form.date_to.errors else None
    if date_from is None and date_to is None and not form.errors:
        today = local_today()
        date_from, date_to = today.replace(month=1, day=1), today.replace(month=12, day=31)
        form.date_from.data, form.date_to.data = date_from, date_to
    return form, date_from, date_to


@bp.route("/certificates/register")
@role_required(*COORDINATORS)
def register_page():
    form, date_from, date_to = _period()
    args = {"date_from": request.args.get("date_from", ""),
            "date_to": request.args.get("date_to", "")}
    page, size = page_number(request.args), current_app.config["PAGE_SIZE"]
    certificates, total = page_of(queries.register_query(date_from, date_to, current_user),
                                page, size)
    return render_template("certificates/register.html", form=form, certificates=certificates,
                           classes=queries.recent_classes(current_user), args=args,
                           **Pager(page, size, total, args).context()), \
        400 if form.errors else 200


@bp.route("/certificates/register.pdf")
@role_required(*COORDINATORS)
def register_pdf():
    _form, date_from, date_to = _period()
    data = register.register_pdf(queries.register(date_from, date_to, current_user), org_info(),
                                 date_from, date_to)
    return _pdf(data, "so-cap-giay-chung-nhan.pdf")


@bp.route("/certificates/register.xlsx")
@role_required(*COORDINATORS)
def register_xlsx():
    _form, date_from, date_to = _period()
    data = register.register_xlsx(queries.register(date_from, date_to, current_user), org_info(),
                                  date_from, date_to)
    response = send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True,
                         download_name="so-cap-giay-chung-nhan.xlsx", max_age=0)
    response.cache_control.private = True
    return response


# --------------------------------------------------------------------------- verification


def _verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", "30 per minute")


@bp.route("/verify")
@public
@limiter.limit(_verify_limit)
def verify_form():
    form = VerifyForm(request.args)
    typed = request.args.get("code")
    if typed is not None:
        code = codes.normalise(typed)
        if code is not None:
            return redirect(url_for("certificates.verify", certificate_code=code), 303)
        form.code.errors = [_malformed()]
        return render_template("certificates/verify.html", form=form, certificate=None,
                               outcome="malformed"), 400
    return render_template("certificates/verify.html", form=form, certificate=None,
                           outcome=None)


def _malformed() -> str:
    return _("Mã xác minh gồm 10 ký tự (chữ số 2–9 và chữ cái in hoa, không có 0, O, 1, I, "
             "L), ví dụ 7KQ3M-XH9TB. Vui lòng kiểm tra lại mã in trên giấy chứng nhận.")


@bp.route("/verify/<certificate_code>")
@public
@limiter.limit(_verify_limit)
def verify(certificate_code: str):
    form = VerifyForm(formdata=None)
    normal = codes.normalise(certificate_code)
    if normal is None:
        form.code.errors = [_malformed()]
        return render_template("certificates/verify.html", form=form, certificate=None,
                               outcome="malformed"), 400
    certificate = access.find(normal)
    form.code.data = codes.display(normal)
    if certificate is None:
        return render_template("certificates/verify.html", form=form, certificate=None,
                               outcome="unknown"), 404
    return render_template("certificates/verify.html", form=form, certificate=certificate,
                           outcome="valid" if certificate.in_force else "revoked",
                           birth_year=visibility.birth_for_public(certificate.holder_birth))
