"""Course attachments: type checked by content (not by name), images resized, stored under
UPLOAD_DIR/courses with generated names.

Accepted: PDF, DOCX, XLSX, PPTX, JPG, PNG, and audio (MP3, M4A, OGG, WAV; at most
AUDIO_MAX_BYTES, 5 MB, for weak mobile data) recognised by its first bytes. The file's name
must agree with its content: an .exe renamed .pdf is refused. A PDF must end like one (%%EOF)
and not carry an HTML page or script at its start; an Office file must have its main part and
no macros. Images are always decoded and encoded again (scaled down to the maximum width):
only the pixels are kept, never EXIF (GPS position), XMP, comments, PNG text chunks or data
hidden after the image. Images over MAX_PIXELS are refused before they are decoded.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import secrets
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.core import active_content, storage
from app.core.refusal import Refusal
from app.i18n_markers import N_
from app.vietnamese import fold, nfc

KINDS = {
    "pdf": ("application/pdf", (".pdf",), "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (".docx",), "Word (.docx)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             (".xlsx",), "Excel (.xlsx)"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             (".pptx",), "PowerPoint (.pptx)"),
    "jpg": ("image/jpeg", (".jpg", ".jpeg"), N_("ảnh JPG")),
    "png": ("image/png", (".png",), N_("ảnh PNG")),
    "mp3": ("audio/mpeg", (".mp3",), N_("âm thanh MP3")),
    "m4a": ("audio/mp4", (".m4a", ".mp4", ".aac"), N_("âm thanh M4A")),
    "ogg": ("audio/ogg", (".ogg", ".oga", ".opus"), N_("âm thanh OGG")),
    "wav": ("audio/wav", (".wav",), N_("âm thanh WAV")),
}  # the labels are translated where they are shown: _(KINDS[kind][2])
ALLOWED_TEXT = "PDF, DOCX, XLSX, PPTX, JPG, PNG, MP3, M4A, OGG, WAV"
# Audio of a lesson (or any course file): recognised by its first bytes, at most
# AUDIO_MAX_BYTES (COURSE_AUDIO_MAX_MB in the configuration), sized for weak mobile data: 5 MB
# is about 10 minutes of speech at 64 kbit/s (MP3 mono), a lesson's length on a phone.
AUDIO_KINDS = ("mp3", "m4a", "ogg", "wav")
AUDIO_TEXT = "MP3, M4A, OGG, WAV"
AUDIO_MAX_BYTES = 5 * 1024 * 1024
# the brands of an MP4 container ("ftyp" box) that hold audio; HEIC/AVIF images are refused
MP4_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"mp41", b"mp42", b"isom", b"iso2", b"iso5",
                    b"iso6", b"dash", b"3gp4", b"3gp5", b"3gp6", b"F4A "}
OOXML_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
                 "pptx": "ppt/presentation.xml"}
# Macros and ActiveX controls in an Office file: refused whatever the file is called.
MACRO_PARTS = re.compile(
    r"(^|/)(vbaProject|vbaProjectSignature|vbaProjectSignatureAgile)\.bin$|(^|/)vbaData\.xml$"
    r"|(^|/)activeX/", re.IGNORECASE)
MACRO_TYPES = re.compile(rb"vbaProject|macroEnabled|activeX", re.IGNORECASE)
# Shown or played in the browser (images, audio); PDFs and Office files are downloaded.
INLINE_KINDS = {"jpg", "png", *AUDIO_KINDS}
DEFAULT_MAX_WIDTH = 1280
# Refuse larger images before decoding them (an RGBA image takes 4 bytes a pixel: 64 MB at
# 16 megapixels). COURSE_IMAGE_MAX_PIXELS in the configuration overrides it.
MAX_PIXELS = 16_000_000
PDF_TRAILER_WINDOW = 1024  # %%EOF must be within the last kilobyte (PDF 1.7, 7.5.5)
PDF_HTML_WINDOW = 4096  # an HTML page or script in the first bytes: a polyglot
# [Content_Types].xml is a few kilobytes; it is read whole, so a bigger one (a "zip bomb":
# a 20 MB upload can unpack to 20 GB) is refused before it is unpacked.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
_PDF_HTML = re.compile(rb"<\s*(?:html|script|!doctype|body|head|iframe|svg|meta)\b",
                       re.IGNORECASE)
SUBDIR = "courses"
UNKNOWN = "không rõ"  # what sniff() says of content it cannot name
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class UploadError(Refusal, ValueError):
    """A refused file; the message is shown to the user (in their language)."""

    status = 400


@dataclass
class CheckedFile:
    filename: str  # safe name used in links: files/<filename>
    original_name: str
    kind: str
    mime_type: str
    data: bytes
    width: int | None = None
    height: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def kind_by_extension(name: str) -> str | None:
    ext = os.path.splitext(name.lower())[1]
    for kind, (_mime, exts, _label) in KINDS.items():
        if ext in exts:
            return kind
    return None


def sniff_audio(data: bytes) -> str | None:
    """The audio kind by the first bytes (magic numbers), or None: MP3 (an ID3 tag, or an MPEG
    audio frame header), M4A (an MP4 'ftyp' box of an audio brand), OGG ('OggS'), WAV
    ('RIFF' .... 'WAVE')."""
    if data.startswith(b"ID3") and len(data) > 10:
        return "mp3"
    # an MPEG-1/2 audio frame: 11 sync bits, a version that exists, layer I-III (not 00,
    # which is AAC's ADTS), a bitrate index that is neither 0000 nor 1111
    if len(data) > 4 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0 \
            and data[1] & 0x18 != 0x08 and data[1] & 0x06 and data[2] >> 4 not in (0, 15):
        return "mp3"
    if data[4:8] == b"ftyp" and data[8:12] in MP4_AUDIO_BRANDS:
        return "m4a"
    if data.startswith(b"OggS"):
        return "ogg"
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "wav"
    return None


def sniff(data: bytes) -> tuple[str | None, str]:
    """(allowed kind or None, what the content looks like) from the bytes alone."""
    guess = filetype.guess(data[:8192])
    found = guess.extension if guess else ""
    if data.startswith(b"%PDF-"):
        return "pdf", "pdf"
    audio = sniff_audio(data)
    if audio is not None:
        return audio, audio
    if found in ("jpg", "png"):
        return found, found
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None, "zip"
        if "[Content_Types].xml" in names:
            for kind, marker in OOXML_MARKERS.items():
                if marker in names:
                    return kind, kind
        return None, "zip"
    return None, found or UNKNOWN


def content_problem(kind: str, data: bytes, name: str) -> str | None:
    """Why a file of an allowed kind is still refused (None when it is fine)."""
    if kind == "pdf":
        if b"%%EOF" not in data[-PDF_TRAILER_WINDOW:]:
            return _("Tệp %(name)s không phải PDF hoàn chỉnh (thiếu phần kết %(end)s); hãy xuất "
                     "lại tệp PDF.", name=name, end="%%EOF")
        if _PDF_HTML.search(data[:PDF_HTML_WINDOW]):
            return _("Tệp %(name)s có mã HTML hoặc script lẫn trong PDF nên bị từ chối; hãy xuất "
                     "lại tệp PDF từ phần mềm soạn thảo.", name=name)
        if found := active_content.pdf_problem(data):
            return active_content.pdf_message(name, found)
    elif kind in OOXML_MARKERS:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            try:
                if archive.getinfo("[Content_Types].xml").file_size > MAX_CONTENT_TYPES_BYTES:
                    return _("Tệp %(name)s bị hỏng hoặc không đọc được.", name=name)
                types = archive.read("[Content_Types].xml")
            except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
                return _("Tệp %(name)s bị hỏng hoặc không đọc được.", name=name)
            if any(MACRO_PARTS.search(n) for n in names) or MACRO_TYPES.search(types):
                return _("Tệp %(name)s có macro (mã lệnh tự chạy) nên bị từ chối; hãy lưu lại "
                         "thành %(ext)s thường, không có macro.", name=name,
                         ext=KINDS[kind][1][0])
            if found := active_content.office_problem(archive):
                return active_content.office_message(name, found)
    return None



def safe_filename(name: str, kind: str | None = None) -> str:
    """A link-friendly file name: lower-case ASCII letters, digits, '.', '_' and '-'."""
    base = os.path.basename((name or "").replace("\\", "/"))
    stem, ext = os.path.splitext(base)
    stem = re.sub(r"[^a-z0-9_-]+", "-", fold(stem)).strip("-._")[:100] or "tep"
    ext = ext.lower()
    if kind is not None and ext not in KINDS[kind][1]:
        ext = KINDS[kind][1][0]
    return f"{stem}{ext}"


def check(name: str, data: bytes, max_bytes: int, max_width: int = DEFAULT_MAX_WIDTH,
          max_pixels: int = MAX_PIXELS, max_audio_bytes: int = AUDIO_MAX_BYTES,
          kinds: tuple[str, ...] | None = None) -> CheckedFile:
    """Validate an upload by its content; images are re-encoded. Raises UploadError: 413 for
    a file too large, 400 otherwise. `kinds` narrows what is taken (a lesson's audio:
    AUDIO_KINDS)."""
    # no control characters: the name goes back out in the Content-Disposition header, where
    # one would make the server (gunicorn) refuse the response
    base = os.path.basename((name or "").replace("\\", "/"))
    original = nfc(_CONTROL.sub(" ", base))[:255] or "tep"
    if not data:
        raise UploadError(_("Tệp %(name)s rỗng.", name=original))
    if len(data) > max_bytes:
        raise UploadError(_("Tệp %(name)s nặng %(size)s; tối đa %(max)s.", name=original,
                            size=format_mb(len(data)), max=format_mb(max_bytes)), 413)
    kind, looks_like = sniff(data)
    if kinds is not None and kind not in kinds:
        looks = _("không rõ") if looks_like == UNKNOWN else looks_like
        raise UploadError(_(
            "Tệp %(name)s không phải tệp âm thanh (nội dung là %(found)s). Chỉ nhận "
            "%(allowed)s.", name=original, found=looks.upper(), allowed=AUDIO_TEXT))
    if kind in AUDIO_KINDS and len(data) > max_audio_bytes:
        raise UploadError(_(
            "Tệp âm thanh %(name)s nặng %(size)s; tối đa %(max)s để học viên nghe được cả khi "
            "sóng yếu. Hãy lưu lại ở chất lượng thấp hơn (ví dụ MP3 64 kbps, một kênh) hoặc "
            "chia thành nhiều đoạn.", name=original, size=format_mb(len(data)),
            max=format_mb(max_audio_bytes)), 413)
    if kind is None:
        looks = _("không rõ") if looks_like == UNKNOWN else looks_like
        raise UploadError(_(
            "Tệp %(name)s không phải loại được phép (nội dung là %(found)s). Chỉ nhận "
            "%(allowed)s.", name=original, found=looks.upper(), allowed=ALLOWED_TEXT))
    named = kind_by_extension(original)
    ext = os.path.splitext(original)[1]
    if ext and named != kind:
        label = _(KINDS[named][2]) if named else ext
        raise UploadError(_(
            "Tệp %(name)s có đuôi %(ext)s nhưng nội dung là %(found)s, không phải %(expected)s. "
            "Tệp bị từ chối; hãy kiểm tra lại tệp.", name=original, ext=ext,
            found=_(KINDS[kind][2]), expected=label))
    problem = content_problem(kind, data, original)
    if problem:
        raise UploadError(problem)
    width = height = None
    if kind in ("jpg", "png"):
        data, width, height = process_image(data, kind, max_width, original, max_pixels)
    return CheckedFile(filename=safe_filename(original, kind), original_name=original,
                       kind=kind, mime_type=KINDS[kind][0], data=data, width=width,
                       height=height)


def _too_large(name: str, width: int | None = None, height: int | None = None,
               max_pixels: int = MAX_PIXELS) -> UploadError:
    limit = f"{max_pixels / 1_000_000:g}".replace(".", ",")
    if width and height:
        return UploadError(_(
            "Ảnh %(name)s quá lớn (%(w)s×%(h)s điểm ảnh): tối đa %(limit)s triệu điểm ảnh. Hãy "
            "thu nhỏ ảnh (ví dụ còn 2000 điểm ảnh chiều rộng) rồi tải lên lại.", name=name,
            w=width, h=height, limit=limit))
    return UploadError(_("Ảnh %(name)s quá lớn: tối đa %(limit)s triệu điểm ảnh. Hãy thu nhỏ "
                         "ảnh (ví dụ còn 2000 điểm ảnh chiều rộng) rồi tải lên lại.", name=name,
                         limit=limit))


def process_image(data: bytes, kind: str, max_width: int, name: str = "",
                  max_pixels: int = MAX_PIXELS) -> tuple[bytes, int, int]:
    """Decode the image (refusing one over `max_pixels` before decoding it), apply the EXIF
    rotation, scale it down to `max_width` (keeping its proportions) and encode it again:
    only the pixels are kept, no metadata and nothing after the image data."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > max_pixels:
                raise _too_large(name, image.width, image.height, max_pixels)
            orientation = image.getexif().get(0x0112, 1)
            final_width = image.height if orientation in (5, 6, 7, 8) else image.width
            if kind == "jpg" and final_width > max_width:
                # decode at 1/2, 1/4 or 1/8 of the size when that is still wide enough
                scale = max_width / final_width
                image.draft("RGB", (math.ceil(image.width * scale),
                                    math.ceil(image.height * scale)))
            image.load()
    except UploadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(name, max_pixels=max_pixels) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UploadError(_("Ảnh %(name)s bị hỏng hoặc không đọc được.", name=name)) from exc
    if orientation != 1:
        image = ImageOps.exif_transpose(image)  # turn the pixels; the tag is not kept
    if image.width > max_width:
        height = max(1, round(image.height * max_width / image.width))
        image = image.resize((max_width, height), Image.Resampling.LANCZOS)
    # Only the pixels: Pillow would otherwise write some of image.info back (a JPEG comment,
    # an ICC profile...). The transparent colour of a PNG is part of the picture.
    transparency = image.info.get("transparency")
    image.info = {}
    out = io.BytesIO()
    if kind == "jpg":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        extra = {"transparency": transparency} if transparency is not None \
            and image.mode in ("P", "L", "RGB") else {}
        image.save(out, "PNG", optimize=True, **extra)
    return out.getvalue(), image.width, image.height


def limits(config) -> dict[str, int]:
    """The limits of the app's configuration for a course file, under the names `check` and
    `package.read_packages` take: max_bytes, max_width and max_pixels."""
    return {"max_bytes": config["MAX_CONTENT_LENGTH"],
            "max_width": config["COURSE_IMAGE_MAX_WIDTH"],
            "max_pixels": config["COURSE_IMAGE_MAX_PIXELS"],
            "max_audio_bytes": config.get("COURSE_AUDIO_MAX_BYTES", AUDIO_MAX_BYTES)}


def format_mb(size: int) -> str:
    """20971520 -> "20 MB", 1572864 -> "1,5 MB" (Vietnamese decimal comma)."""
    value = size / (1024 * 1024)
    if value >= 1 and value == int(value):
        return f"{int(value)} MB"
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


def directory(upload_dir: str) -> Path:
    return Path(upload_dir) / SUBDIR


def store(upload_dir: str, checked: CheckedFile) -> str:
    """Write the file under a generated name (whole or not at all, app/core/storage.py: a
    full disk raises StorageFull); returns that name."""
    stored = f"{secrets.token_hex(16)}{KINDS[checked.kind][1][0]}"
    storage.write_whole(directory(upload_dir), stored, checked.data)  # StorageFull
    return stored


def path_of(upload_dir: str, stored_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.[a-z][a-z0-9]{2,3}", stored_name or ""):
        raise ValueError("invalid stored name")
    return directory(upload_dir) / stored_name


def remove(upload_dir: str, stored_names) -> None:
    """Delete stored files (after the transaction that dropped them committed)."""
    for name in stored_names:
        try:
            path_of(upload_dir, name).unlink(missing_ok=True)
        except (OSError, ValueError):
            continue
