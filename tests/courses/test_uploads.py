"""Upload checks by content (no app needed)."""

import io
import zipfile

import pytest
from PIL import Image

from app.courses import uploads

MB = 1024 * 1024


def _ooxml(marker: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(marker, "<x/>")
    return out.getvalue()


def _image(fmt: str, size=(200, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("a.pdf", b"%PDF-1.7\n...", "pdf"),
    ("a.docx", _ooxml("word/document.xml"), "docx"),
    ("a.xlsx", _ooxml("xl/workbook.xml"), "xlsx"),
    ("a.pptx", _ooxml("ppt/presentation.xml"), "pptx"),
    ("a.jpg", _image("JPEG"), "jpg"),
    ("a.JPEG", _image("JPEG"), "jpg"),
    ("a.png", _image("PNG"), "png"),
    ("khong-duoi", b"%PDF-1.7\n...", "pdf"),
])
def test_allowed_kinds(name, data, kind):
    checked = uploads.check(name, data, MB)
    assert checked.kind == kind
    assert checked.filename.endswith(uploads.KINDS[kind][1]) or checked.filename.endswith(
        ".jpeg")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 64, "nội dung là EXE"),
    ("so-do.png", b"%PDF-1.7\n", "có đuôi .png nhưng nội dung là PDF"),
    ("bang.xlsx", _ooxml("word/document.xml"), "có đuôi .xlsx nhưng nội dung là Word"),
    ("nen.docx", _ooxml("other.xml"), "nội dung là ZIP"),
    ("trang.html", b"<html><script>alert(1)</script>", "không phải loại được phép"),
    ("anh.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "không phải loại được phép"),
    ("hong.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "bị hỏng"),
    ("rong.pdf", b"", "rỗng"),
])
def test_refused(name, data, message):
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check(name, data, MB)
    assert message in str(caught.value)


def test_size_limit_and_names():
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check("lon.pdf", b"%PDF-" + b"0" * (2 * MB), MB)
    assert "tối đa 1 MB" in str(caught.value)
    assert uploads.safe_filename("Biểu mẫu số 01 (mới).PDF") == "bieu-mau-so-01-moi.pdf"
    assert uploads.safe_filename("../../etc/passwd") == "passwd"
    assert uploads.safe_filename("ảnh", "png") == "anh.png"
    assert uploads.format_mb(20 * MB) == "20 MB" and uploads.format_mb(MB // 2) == "0,5 MB"


def test_resize_keeps_proportions():
    data, width, height = uploads.process_image(_image("PNG", (2560, 1440)), "png", 1280)
    assert (width, height) == (1280, 720)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1280, 720)


def test_stored_names_are_checked(tmp_path):
    checked = uploads.check("a.pdf", b"%PDF-1.7\n", MB)
    stored = uploads.store(str(tmp_path), checked)
    assert uploads.path_of(str(tmp_path), stored).read_bytes() == b"%PDF-1.7\n"
    with pytest.raises(ValueError):
        uploads.path_of(str(tmp_path), "../../secret.pdf")
