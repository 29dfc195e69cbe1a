"""Helpers shared by the tests that read rendered reports."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader


def pdf_text(pdf: Path) -> str:
    """The text a reader sees in the PDF, page after page."""
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
