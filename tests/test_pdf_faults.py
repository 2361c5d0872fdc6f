"""Issue 20: PDFs as archives hold them: AES-encrypted (owner password only: read; a
user password: exit 4), with or without the cryptography package; a damaged xref that
poppler reads; junk; a page too large to render at the chosen resolution."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vnplans.exceptions import ExitCode


# ---------------------------------------------------------------- PDFs
def _image_pdf(path: Path, size: tuple[int, int] = (800, 400), resolution: float = 100.0) -> Path:
    from PIL import Image, ImageDraw

    im = Image.new("L", size, 255)
    ImageDraw.Draw(im).text((50, 50), "KE HOACH", fill=0)
    im.save(path, resolution=resolution)
    return path


def _encrypted(src: Path, path: Path, user: str, algorithm: str) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(src))
    writer.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    writer.write(str(path))
    return path


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_an_owner_password_only_pdf_is_read(tmp_path: Path, algorithm: str) -> None:
    import ingest

    pdf = _encrypted(_image_pdf(tmp_path / "base.pdf"), tmp_path / "owner.pdf", "", algorithm)
    doc = ingest.load(pdf)
    assert len(doc.pages) == 1 and doc.pages[0].source == "image"


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_a_user_password_pdf_is_exit_4(tmp_path: Path, algorithm: str, capsys: pytest.CaptureFixture) -> None:
    from vnplans.cli import main

    pdf = _encrypted(_image_pdf(tmp_path / "base.pdf"), tmp_path / "locked.pdf", "user", algorithm)
    assert main(["run", str(pdf), "--out", str(tmp_path / "out"), "--quiet"]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"vnplans: {pdf}: the PDF is password-protected"], err


def test_a_pdf_with_a_damaged_xref_that_poppler_reads_is_read(tmp_path: Path) -> None:
    import ingest

    data = _image_pdf(tmp_path / "base.pdf").read_bytes()
    pdf = tmp_path / "xref.pdf"
    pdf.write_bytes(data.replace(b"startxref", b"startxrex"))  # pypdf: "startxref not found"
    doc = ingest.load(pdf)
    assert len(doc.pages) == 1 and doc.pages[0].source == "image"


def test_a_pdf_neither_reader_can_open_is_one_clear_line(tmp_path: Path) -> None:
    import ingest
    from vnplans.exceptions import BadInputError

    pdf = tmp_path / "junk.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + os.urandom(2000))
    with pytest.raises(BadInputError, match="damaged or truncated PDF"):
        ingest.load(pdf)


def test_a_huge_pdf_page_is_rendered_under_the_pixel_cap(tmp_path: Path) -> None:
    import ingest
    from ingest.loader import MAX_PAGE_PIXELS

    pdf = _image_pdf(tmp_path / "poster.pdf", (1000, 1000), resolution=10.0)  # 100 x 100 in
    doc = ingest.load(pdf)
    ref = doc.pages[0].image
    assert ref is not None and ref.dpi == 63
    assert doc.warnings == ("page 1 is 100 x 100 in: rendered at 63 dpi, not 300 "
                            "(limit 40 megapixels a page)",)
    pixels = ingest.load_image(ref)
    assert 6200 <= pixels.shape[0] <= 6400 and pixels.shape[0] * pixels.shape[1] <= MAX_PAGE_PIXELS


def test_a_page_too_large_even_at_the_lowest_dpi_is_a_clear_error(tmp_path: Path) -> None:
    from ingest.loader import render_dpi
    from vnplans.exceptions import ImageTooLargeError

    assert render_dpi(tmp_path, 1, 595, 842, 300) == (300, "")  # A4
    with pytest.raises(ImageTooLargeError, match="page 2 is 2500 x 2500 in: too large"):
        render_dpi(tmp_path / "x.pdf", 2, 180000, 180000, 300)


@pytest.mark.parametrize("user,expected", [("", "1 pages"), ("user", "EncryptedPdfError")])
def test_aes_pdfs_without_the_cryptography_package(tmp_path: Path, user: str, expected: str) -> None:
    """Where `cryptography` is missing, pypdf cannot do AES (it raised DependencyError, an
    internal error): poppler reads the file instead, or says it needs a password."""
    pdf = _encrypted(_image_pdf(tmp_path / "base.pdf"), tmp_path / "aes.pdf", user, "AES-128")
    code = ("import sys; sys.modules['cryptography'] = None\n"
            "import ingest\n"
            "try:\n    print(len(ingest.load(sys.argv[1]).pages), 'pages')\n"
            "except Exception as exc:\n    print(type(exc).__name__, exc)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True,
                          timeout=60)
    assert proc.stdout.startswith(expected), proc.stdout + proc.stderr
