"""Course attachments: type checked by content (not by name), images resized, stored under
UPLOAD_DIR/courses with generated names.

Accepted: PDF, DOCX, XLSX, PPTX, JPG, PNG. The file's name must agree with its content: an
.exe renamed .pdf is refused. Images wider than the maximum width are scaled down and
re-encoded (which also drops their EXIF data, e.g. GPS position).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError

from app.vietnamese import fold, nfc

KINDS = {
    "pdf": ("application/pdf", (".pdf",), "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (".docx",), "Word (.docx)"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             (".xlsx",), "Excel (.xlsx)"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             (".pptx",), "PowerPoint (.pptx)"),
    "jpg": ("image/jpeg", (".jpg", ".jpeg"), "ảnh JPG"),
    "png": ("image/png", (".png",), "ảnh PNG"),
}
ALLOWED_TEXT = "PDF, DOCX, XLSX, PPTX, JPG, PNG"
OOXML_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
                 "pptx": "ppt/presentation.xml"}
INLINE_KINDS = {"pdf", "jpg", "png"}  # shown in the browser; office files are downloaded
DEFAULT_MAX_WIDTH = 1280
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
SUBDIR = "courses"


class UploadError(ValueError):
    """A refused file; the message is shown to the user (Vietnamese)."""


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


def sniff(data: bytes) -> tuple[str | None, str]:
    """(allowed kind or None, what the content looks like) from the bytes alone."""
    guess = filetype.guess(data[:8192])
    found = guess.extension if guess else ""
    if data.startswith(b"%PDF-"):
        return "pdf", "pdf"
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
    return None, found or "không rõ"


def safe_filename(name: str, kind: str | None = None) -> str:
    """A link-friendly file name: lower-case ASCII letters, digits, '.', '_' and '-'."""
    base = os.path.basename((name or "").replace("\\", "/"))
    stem, ext = os.path.splitext(base)
    stem = re.sub(r"[^a-z0-9_-]+", "-", fold(stem)).strip("-._")[:100] or "tep"
    ext = ext.lower()
    if kind is not None and ext not in KINDS[kind][1]:
        ext = KINDS[kind][1][0]
    return f"{stem}{ext}"


def check(name: str, data: bytes, max_bytes: int,
          max_width: int = DEFAULT_MAX_WIDTH) -> CheckedFile:
    """Validate an upload by its content; images are resized. Raises UploadError."""
    original = nfc(os.path.basename((name or "").replace("\\", "/")))[:255] or "tep"
    if not data:
        raise UploadError(f"Tệp {original} rỗng.")
    if len(data) > max_bytes:
        raise UploadError(f"Tệp {original} nặng {format_mb(len(data))}; tối đa "
                          f"{format_mb(max_bytes)}.")
    kind, looks_like = sniff(data)
    if kind is None:
        raise UploadError(
            f"Tệp {original} không phải loại được phép (nội dung là {looks_like.upper()}). "
            f"Chỉ nhận {ALLOWED_TEXT}.")
    named = kind_by_extension(original)
    ext = os.path.splitext(original)[1]
    if ext and named != kind:
        label = KINDS[named][2] if named else ext
        raise UploadError(
            f"Tệp {original} có đuôi {ext} nhưng nội dung là {KINDS[kind][2]}, không phải "
            f"{label}. Tệp bị từ chối; hãy kiểm tra lại tệp.")
    width = height = None
    if kind in ("jpg", "png"):
        data, width, height = process_image(data, kind, max_width, original)
    return CheckedFile(filename=safe_filename(original, kind), original_name=original,
                       kind=kind, mime_type=KINDS[kind][0], data=data, width=width,
                       height=height)


def process_image(data: bytes, kind: str, max_width: int,
                  name: str = "") -> tuple[bytes, int, int]:
    """Scale an image down to `max_width` (keeping its proportions), apply the EXIF rotation
    and drop the metadata. Small images without metadata are kept byte for byte."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise UploadError(f"Ảnh {name} quá lớn ({image.width}×{image.height} điểm ảnh).")
            image.load()
    except UploadError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadError(f"Ảnh {name} bị hỏng hoặc không đọc được.") from exc
    has_meta = bool(image.info.get("exif"))
    changed = image.getexif().get(0x0112, 1) != 1  # EXIF orientation: turn the pixels
    if changed:
        image = ImageOps.exif_transpose(image)
    if image.width > max_width:
        height = max(1, round(image.height * max_width / image.width))
        image = image.resize((max_width, height), Image.Resampling.LANCZOS)
        changed = True
    if not changed and not has_meta:
        return data, image.width, image.height
    out = io.BytesIO()
    if kind == "jpg":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue(), image.width, image.height


def format_mb(size: int) -> str:
    """20971520 -> "20 MB", 1572864 -> "1,5 MB" (Vietnamese decimal comma)."""
    value = size / (1024 * 1024)
    if value >= 1 and value == int(value):
        return f"{int(value)} MB"
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


def directory(upload_dir: str) -> Path:
    return Path(upload_dir) / SUBDIR


def store(upload_dir: str, checked: CheckedFile) -> str:
    """Write the file under a generated name (atomically); returns that name."""
    folder = directory(upload_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}{KINDS[checked.kind][1][0]}"
    temp = folder / f".{stored}.part"
    temp.write_bytes(checked.data)
    os.replace(temp, folder / stored)
    return stored


def path_of(upload_dir: str, stored_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3,4}", stored_name or ""):
        raise ValueError("invalid stored name")
    return directory(upload_dir) / stored_name


def remove(upload_dir: str, stored_names) -> None:
    """Delete stored files (after the transaction that dropped them committed)."""
    for name in stored_names:
        try:
            path_of(upload_dir, name).unlink(missing_ok=True)
        except (OSError, ValueError):
            continue
