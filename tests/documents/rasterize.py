"""PDF pages as images, for tests that must look at what is drawn (a QR code a phone reads).

Uses poppler's `pdftoppm` (Debian: poppler-utils, which .ci/run installs). Without it the test
is skipped with a note saying how to install it, except in CI, where that is a failure."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image


def pages(pdf: bytes, dpi: int = 150) -> list[Image.Image]:
    tool = shutil.which("pdftoppm")
    if tool is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm not found: .ci/run installs poppler-utils")
        pytest.skip("pdftoppm not found: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "paper.pdf"
        source.write_bytes(pdf)
        subprocess.run([tool, "-r", str(dpi), "-png", str(source), str(Path(folder) / "page")],
                       capture_output=True, check=True, timeout=120)
        return [Image.open(path).convert("L") for path in sorted(Path(folder).glob("page*.png"))]


def qr_texts(image: Image.Image) -> list[str]:
    """The texts of the QR codes a reader finds in the image."""
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(image)]
