"""Text lines of the CMS HCPCS PDFs (Table of Drugs, Alpha-Numeric Index) through pypdf."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from index_build.sources.base import SourceError

CODE = r"[A-Z]\d{4}"
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
# CMS replaced 'inj' by 'IV' throughout the 2019 drug table ('IVection'); put the word back.
_IVECTION = re.compile(r"IVection", re.IGNORECASE)


def _reader(data: bytes, file_name: str) -> PdfReader:
    try:
        return PdfReader(io.BytesIO(data))
    except (PdfReadError, ValueError, OSError) as exc:
        raise SourceError(file_name, f"cannot read the PDF ({exc})") from exc


def first_text(data: bytes, file_name: str, pages: int = 2) -> str:
    """Title, subject and the text of the first pages: enough to tell the PDFs apart."""
    reader = _reader(data, file_name)
    meta = reader.metadata
    parts = [str(meta.get("/Title") or ""), str(meta.get("/Subject") or "")] if meta else []
    parts += [page.extract_text() or "" for page in reader.pages[:pages]]
    return "\n".join(parts)


def page_lines(data: bytes, file_name: str) -> list[list[str]]:
    """The text lines of every page, right-trimmed, with the 'IVection' typo repaired."""
    reader = _reader(data, file_name)
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # pypdf raises many types on damaged content streams
            raise SourceError(file_name, f"cannot extract the text of page {number} ({exc})") from exc
        pages.append([_IVECTION.sub("injection", line).rstrip() for line in text.splitlines()])
    return pages


def year_of(text: str) -> str:
    """The first year printed in a title ('2019 Table of Drugs' -> '2019'), else ''."""
    match = _YEAR.search(text)
    return match.group(0) if match else ""


def clean(text: str) -> str:
    """One space between words, no stray punctuation at the ends."""
    return " ".join(text.split()).strip(" ,;@")
