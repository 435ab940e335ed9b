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
_PDF_NAMES = re.compile(rb"/(JS|JavaScript|AA|Launch|EmbeddedFiles?|SubmitForm|ImportData|"
                        rb"RichMedia|XFA)(?![A-Za-z0-9#])")
_PDF_ESCAPED_NAME = re.compile(rb"/([A-Za-z0-9#]{0,40}#[0-9A-Fa-f]{2}[A-Za-z0-9#]{0,40})")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
# A stream's bytes (compressed drawing, images) are not PDF syntax: three random bytes read
# "/JS" about once in 20 MB. They are skipped, from "stream" after a dictionary to "endstream".
_STREAM = re.compile(rb">>\s*stream\r?\n")
_OBJSTM = re.compile(rb"/ObjStm(?![A-Za-z0-9#])")
_STREAM_AFTER = re.compile(rb">>\s{0,10}stream\r?\n")
MAX_OBJECT_STREAMS = 10_000  # a real PDF has a few dozen, a large one some thousands
_FLATE = re.compile(rb"/FlateDecode\b")

OFFICE_PART = re.compile(r"(^|/)externalLinks?/", re.IGNORECASE)
_OFFICE_MARKUP = re.compile(rb"<(?:\w+:)?(?:ddeLink|oleLink)\b|/externalLink\"|"
                            rb"<w:instrText\b[^>]*>\s*DDE(?:AUTO)?\b|"
                            rb"w:instr=\"\s*DDE(?:AUTO)?\b", re.IGNORECASE)
# A formula (<f>...</f>) holding a | outside its quoted strings: app|topic!item, a DDE call.
_DDE_FORMULA = re.compile(rb'<f\b[^>]*>(?:[^<"&|]|&(?!quot;)|(?:"|&quot;)(?:[^"&<]|&(?!quot;))*'
                          rb'(?:"|&quot;))*\|')


def _name(raw: bytes) -> bytes:
    return _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _outside_streams(data: bytes):
    """The parts of `data` that are PDF syntax, without the bytes of its streams."""
    position = 0
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue  # inside a stream already skipped
        yield data[position:match.end()]
        end = data.find(b"endstream", match.end())
        if end < 0:
            return
        position = end
    yield data[position:]


def _pdf_found(data: bytes) -> str | None:
    for part in _outside_streams(data):
        match = _PDF_NAMES.search(part)
        if match:
            return PDF_HOSTILE[match.group(1)]
        for escaped in _PDF_ESCAPED_NAME.finditer(part):
            found = PDF_HOSTILE.get(_name(escaped.group(1)))
            if found:
                return found
    return None


def pdf_problem(data: bytes) -> str | None:
    """What active content the PDF carries (a label to translate), or None."""
    found = _pdf_found(data)
    if found:
        return found
    budget, view = MAX_INFLATED, memoryview(data)
    for count, match in enumerate(_OBJSTM.finditer(data)):
        if count >= MAX_OBJECT_STREAMS:
            return N_("luồng nén quá lớn")
        body = _STREAM_AFTER.search(data, match.end(), match.end() + 512)
        if body is None or not _FLATE.search(data, max(0, match.start() - 512), body.start()):
            continue
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(view[body.end():], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        found = _pdf_found(inflated)  # an object stream holds no streams: all of it is syntax
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
