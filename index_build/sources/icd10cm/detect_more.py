"""Recognise the ICD-10-CM files beyond the XML and the guidelines: order files, addenda, conversion table, GEMs."""

from __future__ import annotations

import io
import re
from pathlib import Path

from desktop.core.records import CodeSet
from index_build.sources import gems
from index_build.sources.base import SourceFile
from index_build.sources.fiscal import release_of
from index_build.sources.order_file import looks_like_order_addenda, looks_like_order_file

from .conversion import is_conversion_header

ORDER, ORDER_ADDENDA = "icd10cm-order", "icd10cm-order-addenda"
CODES, CODES_ADDENDA = "icd10cm-codes", "icd10cm-codes-addenda"
CONVERSION = "icd10cm-conversion-table"
ADDENDA_PDF = "icd10cm-addenda-pdf"
GEM_KINDS = (gems.FORWARD, gems.BACKWARD)

_CODES_NAME = re.compile(r"icd10cm_codes(_addenda)?_(\d{4})\.txt$", re.I)
_ADDENDA_PDF_NAME = re.compile(r"icd10cm[-_](tabular|index|drug|neoplasm|eindex)[-_]addenda[-_](\d{4})\.pdf$", re.I)
_CM_ADDENDA_LINE = re.compile(r"^(?:Add|Delete|Revise from|Revise to):\s+[01] [A-Z]\d", re.M)
_CODES_LINE = re.compile(r"^[A-Z]\d[0-9A-Z]{1,5} +\S")


def _source(path: Path, member: str, kind: str, name: str) -> SourceFile:
    release, effective = release_of(name)
    return SourceFile(path, kind, CodeSet.ICD10CM, release, effective, member)


def _detect_text(path: Path, member: str, name: str, head: bytes) -> SourceFile | None:
    text = head.decode("latin-1")
    first_code = text[6:13].strip()
    if looks_like_order_file(text) and first_code[:1].isalpha():  # PCS order files open with 001
        return _source(path, member, ORDER, name)
    # ICD-10-CM addenda carry the 0/1 flag before a code that opens with a letter; PCS addenda neither
    if looks_like_order_addenda(text) and _CM_ADDENDA_LINE.search(text):
        return _source(path, member, ORDER_ADDENDA, name)
    codes = _CODES_NAME.search(name)
    lines = [line for line in text.splitlines()[:5] if line.strip()]
    if (
        codes
        and lines
        and all(_CODES_LINE.match(line) or line.startswith(("Add", "Delete", "Revise")) for line in lines)
    ):
        return _source(path, member, CODES_ADDENDA if codes.group(1) else CODES, name)
    return gems.detect(path, member, head)


def _detect_workbook(path: Path, member: str, name: str) -> SourceFile | None:
    import openpyxl

    # Only a workbook named like the official one is opened: reading every spreadsheet would slow discovery.
    if "conversion" not in name.lower():
        return None
    try:
        data = SourceFile(path, CONVERSION, CodeSet.ICD10CM, "", "", member).read_bytes()
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # not a workbook after all: not ours
        return None
    try:
        rows = list(workbook.worksheets[0].iter_rows(max_row=5, max_col=3, values_only=True))
    finally:
        workbook.close()
    if not any(is_conversion_header(tuple(row)) for row in rows):
        return None
    return _source(path, member, CONVERSION, name)


def detect_more(path: Path, member: str, head: bytes) -> SourceFile | None:
    """One of the supplementary ICD-10-CM files, or None."""
    name = Path(member or path.name).name
    if head.startswith(b"%PDF"):
        return _source(path, member, ADDENDA_PDF, name) if _ADDENDA_PDF_NAME.search(name) else None
    if head.startswith(b"PK"):
        return _detect_workbook(path, member, name) if name.lower().endswith((".xlsx", ".xlsm")) else None
    if name.lower().endswith(".txt"):
        return _detect_text(path, member, name, head)
    return None
