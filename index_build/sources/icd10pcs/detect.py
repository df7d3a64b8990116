"""Recognise ICD-10-PCS source files (tables, definitions, index XML; guideline JSON and PDF)."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.core.records import CodeSet
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.fiscal import release_of
from index_build.sources.order_file import looks_like_order_addenda, looks_like_order_file

from . import guideline_pdf

TABLES = "icd10pcs-tables"
DEFINITIONS = "icd10pcs-definitions"
INDEX = "icd10pcs-index"
GUIDELINES_JSON = "icd10pcs-guidelines-json"
GUIDELINES_PDF = "icd10pcs-guidelines-pdf"
ORDER = "icd10pcs-order"  # icd10pcs_order_YYYY.txt: official long and short titles
ORDER_ADDENDA = "icd10pcs-order-addenda"  # order_addenda_YYYY.txt: this release's adds, deletes, revisions

_XML_ROOTS = {b"ICD10PCS.tabular": TABLES, b"ICD10PCS.definitions": DEFINITIONS, b"ICD10PCS.index": INDEX}
_ROOT = re.compile(rb"<(ICD10PCS\.(?:tabular|definitions|index))[\s>]")
_VERSION = re.compile(rb"<version>\s*([^<]{1,40}?)\s*</version>")
_TITLE = re.compile(rb"<title>\s*([^<]{1,200}?)\s*</title>")
_JSON_CODE_SET = re.compile(rb'"code_set"\s*:\s*"ICD-10-PCS"')
_JSON_DOCUMENT = re.compile(rb'"document"\s*:\s*"([^"]{1,300})"')


def _text(pattern: re.Pattern[bytes], head: bytes) -> str:
    match = pattern.search(head)
    return match.group(1).decode("utf-8", "replace") if match else ""


def _source(path: Path, member: str, kind: str, *texts: str) -> SourceFile:
    label, effective = release_of(*texts, Path(member).name if member else path.name)
    return SourceFile(path, kind, CodeSet.ICD10PCS, label, effective, member)


def _version_text(version: str) -> str:
    # <version>2026</version> is the fiscal year the release is effective in.
    return f"FY{version}" if version.isdigit() and len(version) == 4 else version


def detect(path: Path, member: str, head: bytes) -> SourceFile | None:
    """Recognise one PCS file (or zip member) by its content; None if it is not one of ours."""
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if (member or path.name).lower().endswith(".txt"):
        return _detect_text(path, member, head)
    if body.startswith(b"<"):
        root = _ROOT.search(head)
        if root is None:
            return None
        return _source(
            path, member, _XML_ROOTS[root.group(1)], _version_text(_text(_VERSION, head)), _text(_TITLE, head)
        )
    if body.startswith(b"{"):
        if not (_JSON_CODE_SET.search(head) and b'"sections"' in head):
            return None
        return _source(path, member, GUIDELINES_JSON, _text(_JSON_DOCUMENT, head))
    if body.startswith(b"%PDF"):
        probe = SourceFile(path, GUIDELINES_PDF, CodeSet.ICD10PCS, "", "", member)
        try:
            first_pages = guideline_pdf.pdf_text(probe, max_pages=2)
        except SourceError:
            return None  # some other, unreadable PDF: not ours to judge
        if not guideline_pdf.is_guidelines_pdf(first_pages):
            return None
        title_line = next((line for line in first_pages.splitlines() if "Guidelines" in line), "")
        return _source(path, member, GUIDELINES_PDF, title_line, first_pages[:2000])
    return None


_CM_CODE = re.compile(r"^(?:Add|Delete|Revise from|Revise to):\s+[01] [A-Z]\d", re.M)


def _detect_text(path: Path, member: str, head: bytes) -> SourceFile | None:
    """The PCS order file (its first header is 001) or its order addenda (codes without a 0/1 flag)."""
    text = head.decode("latin-1")
    if looks_like_order_file(text) and text[6:7].isdigit():
        return _source(path, member, ORDER)
    if looks_like_order_addenda(text) and not _CM_CODE.search(text):
        return _source(path, member, ORDER_ADDENDA)
    return None
