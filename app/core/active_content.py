"""Active content in uploaded documents: what a PDF or an Office file could make the reader's
computer do when it is opened, found by reading the file (never by running it).

Refused, not neutralised: rewriting a PDF or a workbook without breaking it needs a full
parser of each format, and a file that arrives with such content is not what a course handout,
a scan of a signed sheet or a cadre list ever needs. The uploader is told what was found and
to export the file again.

- **PDF**: JavaScript (`/JS`, `/JavaScript`), actions run on opening or on events (`/AA`;
  `/OpenAction` is refused when it runs JavaScript, which `/JS` already catches), launching a
  program (`/Launch`), files carried inside (`/EmbeddedFile`, `/EmbeddedFiles`), forms that
  send data out or import it (`/SubmitForm`, `/ImportData`), Flash/3D media (`/RichMedia`) and
  XFA forms (`/XFA`, scriptable). Names are compared after their `#xx` escapes are decoded
  (`/J#61vaScript` is `/JavaScript`), in the file as written and inside its compressed object
  streams (`/Type /ObjStm`, where PDF 1.5 hides dictionaries).
- **Office (.xlsx, .docx, .pptx)**: links to other workbooks or programs (`externalLinks/`
  parts, `externalLink` relationships, `ddeLink` and `oleLink` elements), DDE fields in Word
  (`DDE`, `DDEAUTO`) and cells whose formula calls a program by DDE (`=cmd|' /C calc'!A0`: a
  `|` outside a quoted string). Macros and ActiveX are refused in app/courses/uploads.py.

Every part read is bounded (`MAX_INFLATED`), so a small file cannot make the check itself slow.
"""

from __future__ import annotations

import re
import zipfile
import zlib

from flask_babel import gettext as _

from app.i18n_markers import N_

MAX_INFLATED = 64 * 1024 * 1024  # bytes unpacked, over all the parts or streams of one file
_CHUNK = 1024 * 1024
_OVERLAP = 4096

PDF_HOSTILE = {
    b"JS": "JavaScript", b"JavaScript": "JavaScript", b"AA": N_("hành động tự chạy (/AA)"),
    b"Launch": N_("lệnh mở chương trình (/Launch)"),
    b"EmbeddedFile": N_("tệp đính kèm bên trong"), b"EmbeddedFiles": N_("tệp đính kèm bên trong"),
    b"SubmitForm": N_("biểu mẫu gửi dữ liệu ra ngoài"), b"ImportData": N_("lệnh nhập dữ liệu"),
    b"RichMedia": N_("nội dung đa phương tiện (Flash/3D)"), b"XFA": N_("biểu mẫu XFA"),
}
_PDF_NAME = re.compile(rb"/([A-Za-z#][A-Za-z0-9#]{0,40})")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b[^>]*?>>\s*stream\r?\n", re.DOTALL)
_FLATE = re.compile(rb"/FlateDecode\b")

OFFICE_PART = re.compile(r"(^|/)externalLinks?/", re.IGNORECASE)
_OFFICE_MARKUP = re.compile(rb"<(?:\w+:)?(?:ddeLink|oleLink)\b|/externalLink\"|"
                            rb"<w:instrText\b[^>]*>\s*DDE(?:AUTO)?\b|"
                            rb"w:instr=\"\s*DDE(?:AUTO)?\b", re.IGNORECASE)
# A formula (<f>...</f>) holding a | outside its quoted strings: app|topic!item, a DDE call.
_DDE_FORMULA = re.compile(rb'<f\b[^>]*>(?:[^<"&|]|&(?!quot;)|(?:"|&quot;)(?:[^"&<]|&(?!quot;))*'
                          rb'(?:"|&quot;))*\|')


def _name(raw: bytes) -> bytes:
    return _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw) if b"#" in raw else raw


def _pdf_found(data: bytes) -> str | None:
    for match in _PDF_NAME.finditer(data):
        found = PDF_HOSTILE.get(_name(match.group(1)))
        if found:
            return found
    return None


def pdf_problem(data: bytes) -> str | None:
    """What active content the PDF carries (a label to translate), or None."""
    found = _pdf_found(data)
    if found:
        return found
    budget = MAX_INFLATED
    for match in _OBJSTM.finditer(data):
        header = data[max(0, match.start() - 512):match.end()]
        if not _FLATE.search(header):
            continue
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[match.end():match.end() + budget], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        found = _pdf_found(inflated)
        if found:
            return found
        if budget <= 0:
            return N_("luồng nén quá lớn")
    return None


def office_problem(archive: zipfile.ZipFile) -> str | None:
    """What link to another file or program the Office file (an open zip) carries, or None."""
    parts = [info for info in archive.infolist() if not info.is_dir()]
    for info in parts:
        if OFFICE_PART.search(info.filename):
            return N_("liên kết tới tệp khác (external link)")
    budget = MAX_INFLATED
    for info in parts:
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        tail = b""
        try:
            with archive.open(info) as part:
                while chunk := part.read(_CHUNK):
                    budget -= len(chunk)
                    if budget < 0:
                        return N_("nội dung giải nén quá lớn")
                    text = tail + chunk
                    if _OFFICE_MARKUP.search(text):
                        return N_("liên kết DDE/OLE tới chương trình khác")
                    if _DDE_FORMULA.search(text):
                        return N_("công thức gọi chương trình khác (DDE)")
                    tail = text[-_OVERLAP:]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
            return N_("phần bị hỏng")
    return None


def pdf_message(name: str, found: str) -> str:
    """Why the PDF `name` is refused, in the reader's language."""
    return _("Tệp %(name)s có nội dung tự chạy (%(what)s) nên bị từ chối; hãy in lại thành PDF "
             "(Print to PDF) hoặc xuất lại tệp PDF không có mã lệnh.", name=name, what=_(found))


def office_message(name: str, found: str) -> str:
    """Why the Office file `name` is refused, in the reader's language."""
    return _("Tệp %(name)s có %(what)s nên bị từ chối: khi mở, tệp có thể chạy chương trình "
             "hoặc lấy dữ liệu từ nơi khác. Hãy chép dữ liệu sang một tệp mới (chỉ dán giá "
             "trị) rồi tải lên lại.", name=name, what=_(found))
