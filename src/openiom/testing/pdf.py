"""Reading a generated PDF back as text in tests (poppler's pdftotext, from Debian's poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    assert content.startswith(b"%PDF-"), "not a PDF"  # noqa: S101
    tool = shutil.which("pdftotext")
    if tool is None:
        raise RuntimeError("pdftotext is missing: run scripts/install-system-packages.sh runtime")
    args = [tool, *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=content, capture_output=True, check=True).stdout.decode()  # noqa: S603
