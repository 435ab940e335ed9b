"""Upload checks by content (no app needed): kinds, names, PDF and Office content, images
(re-encoded without metadata, refused when too large before being decoded)."""

import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from app.courses import uploads

MB = 1024 * 1024
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
    ("a.pdf", PDF, "pdf"),
    ("a.docx", _ooxml("word/document.xml"), "docx"),
    ("a.xlsx", _ooxml("xl/workbook.xml"), "xlsx"),
    ("a.pptx", _ooxml("ppt/presentation.xml"), "pptx"),
    ("a.jpg", _image("JPEG"), "jpg"),
    ("a.JPEG", _image("JPEG"), "jpg"),
    ("a.png", _image("PNG"), "png"),
    ("khong-duoi", PDF, "pdf"),
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
    checked = uploads.check("a.pdf", PDF, MB)
    stored = uploads.store(str(tmp_path), checked)
    assert uploads.path_of(str(tmp_path), stored).read_bytes() == PDF
    with pytest.raises(ValueError):
        uploads.path_of(str(tmp_path), "../../secret.pdf")


# --- PDF and Office content ----------------------------------------------------------------


def _zip(files: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def _office(marker: str, extra: dict | None = None, types: str = "<Types/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr(marker, "<x/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("cut.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n", "thiếu phần kết %%EOF"),
    ("cut-far.pdf", b"%PDF-1.7\n%%EOF\n" + b"0" * 2000, "thiếu phần kết %%EOF"),
    ("page.pdf", b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n%%EOF",
     "có mã HTML hoặc script"),
    ("page2.pdf", b"%PDF-1.4\n%\xe2\xe3\n<!DOCTYPE html>\n<p>x</p>\n%%EOF\n",
     "có mã HTML hoặc script"),
    ("page3.pdf", b"%PDF-1.4\n1 0 obj\n< script src=//evil.example/x.js>\n%%EOF\n",
     "có mã HTML hoặc script"),
    ("macro.docx", _office("word/document.xml", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
     "có macro"),
    ("macro.xlsx", _office("xl/workbook.xml", types='<Types><Default ContentType='
                           '"application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'),
     "có macro"),
    ("activex.pptx", _office("ppt/presentation.xml", {"ppt/activeX/activeX1.bin": b"x"}),
     "có macro"),
    ("no-main.docx", _office("word/styles.xml"), "nội dung là ZIP"),
    ("no-types.xlsx", "NO_TYPES", "nội dung là ZIP"),
])
def test_refused_content(name, data, message):
    if data == "NO_TYPES":
        data = _zip({"xl/workbook.xml": "<x/>"})
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check(name, data, MB)
    assert message in str(caught.value)


def test_real_office_and_pdf_files_pass():
    import openpyxl

    out = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Hộ nghèo"
    workbook.save(out)
    assert uploads.check("bang.xlsx", out.getvalue(), MB).kind == "xlsx"
    # printer settings and other binary parts are fine: only macros and ActiveX are refused
    with_printer = _office("xl/workbook.xml",
                           {"xl/printerSettings/printerSettings1.bin": b"\x00" * 10})
    assert uploads.check("in.xlsx", with_printer, MB).kind == "xlsx"
    # "%%EOF" followed by a line break and a little padding is still the end of the file
    assert uploads.check("a.pdf", PDF + b"\r\n" + b" " * 500, MB).kind == "pdf"


# --- images --------------------------------------------------------------------------------


def _png_header(width: int, height: int, mode: int = 6) -> bytes:
    """A PNG that only claims its size: IHDR, one tiny IDAT, IEND (a few dozen bytes, never
    decoded: the size check comes first)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, mode, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


@pytest.mark.parametrize(("width", "height"), [
    (6300, 6300),  # 40 megapixels RGBA: under Pillow's own limit, ~160 MB once decoded
    (60000, 60000),  # a decompression bomb: Pillow refuses it on opening
    (100000, 200),  # a long strip still counts its pixels (20 megapixels)
])
def test_too_many_pixels_is_refused_before_decoding(width, height):
    data = _png_header(width, height)
    assert len(data) < 100
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check("bom.png", data, MB)
    message = str(caught.value)
    assert "quá lớn" in message and "tối đa 16 triệu điểm ảnh" in message
    assert "bị hỏng" not in message


def test_pixel_limit_is_configurable():
    data = _image("PNG", (300, 200))  # 60 000 pixels
    with pytest.raises(uploads.UploadError) as caught:
        uploads.check("a.png", data, MB, max_pixels=50_000)
    assert "quá lớn (300×200 điểm ảnh): tối đa 0,05 triệu điểm ảnh" in str(caught.value)
    assert uploads.check("a.png", data, MB, max_pixels=60_000).width == 300


def test_large_jpeg_is_decoded_small(monkeypatch):
    """A wide JPEG is decoded at a reduced scale (draft mode) before being resized."""
    from PIL import JpegImagePlugin

    seen = []
    original = JpegImagePlugin.JpegImageFile.draft

    def draft(self, mode, size):
        seen.append(size)
        result = original(self, mode, size)
        seen.append(self.size)  # decoded at this size
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", draft)
    data, width, height = uploads.process_image(_image("JPEG", (4000, 2000)), "jpg", 1000)
    assert (width, height) == (1000, 500)
    assert seen == [(1000, 500), (1000, 500)]  # 1/4 scale: 16 times fewer pixels


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_metadata_and_trailing_data_are_dropped(fmt):
    from PIL import PngImagePlugin

    out = io.BytesIO()
    image = Image.new("RGB", (120, 80), (1, 2, 3))
    exif = Image.Exif()
    exif[0x8825] = {1: "N"}  # a GPS block
    exif[0x010F] = "Máy ảnh"
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "Nguyễn Văn A")
        info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 21.03</x:xmpmeta>")
        image.save(out, "PNG", pnginfo=info, exif=exif)
    else:
        image.save(out, "JPEG", exif=exif, comment=b"secret comment",
                   xmp=b"<x:xmpmeta>GPS 21.03</x:xmpmeta>")
    data = out.getvalue() + b"TRAILING SECRET"
    checked = uploads.check(f"a.{fmt.lower()}", data, MB)
    for secret in (b"TRAILING SECRET", b"xmpmeta", b"secret comment", "Nguyễn".encode(),
                   "Máy".encode(), b"Exif", b"tEXt", b"iTXt", b"eXIf"):
        assert secret not in checked.data, secret
    with Image.open(io.BytesIO(checked.data)) as again:
        assert again.size == (120, 80) and not again.getexif()


def test_exif_rotation_is_applied_to_the_pixels():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    Image.new("RGB", (300, 100), (1, 2, 3)).save(out, "JPEG", exif=exif)
    data, width, height = uploads.process_image(out.getvalue(), "jpg", 1280)
    assert (width, height) == (100, 300)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (100, 300) and image.getexif().get(0x0112) is None


def test_transparent_png_keeps_its_transparency():
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (255, 0, 0, 0)).save(out, "PNG")
    data, _w, _h = uploads.process_image(out.getvalue(), "png", 1280)
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0
