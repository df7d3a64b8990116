"""Recognise the HCPCS files (and CMS zip members) by name and content, and the release each holds."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.core.records import CodeSet
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.hcpcs.anweb_txt import looks_like_anweb, parse_anweb_txt
from index_build.sources.hcpcs.anweb_xlsx import find_header, open_workbook, parse_anweb_xlsx
from index_build.sources.hcpcs.pdf_text import first_text, year_of
from index_build.sources.hcpcs.proc_notes import looks_like_proc_notes
from index_build.sources.hcpcs.release import Release, release_from_dates, release_from_name

KIND_TXT = "hcpcs-anweb-txt"
KIND_XLSX = "hcpcs-xlsx"
KIND_PROC_NOTES = "hcpcs-proc-notes"
KIND_DRUG_PDF = "hcpcs-drug-table-pdf"
KIND_INDEX_PDF = "hcpcs-index-pdf"
CODE_KINDS = (KIND_TXT, KIND_XLSX)

_ANWEB_NAME = re.compile(r"HCPC\d{4}_[A-Z]{3}_ANWEB", re.IGNORECASE)
_UNKNOWN = Release("", "")


def _read(path: Path, member: str) -> bytes:
    return SourceFile(path=path, kind="", code_set=CodeSet.HCPCS, release="", effective="", member=member).read_bytes()


def _source(path: Path, member: str, kind: str, release: Release | None) -> SourceFile:
    release = release or _UNKNOWN
    return SourceFile(
        path=path, kind=kind, code_set=CodeSet.HCPCS, release=release.label, effective=release.effective, member=member
    )


def _detect_txt(path: Path, member: str, name: str, head: bytes) -> SourceFile | None:
    text = head.decode("cp1252", errors="replace")
    # an ANWEB-named file that does not parse is reported by build() with its line, not skipped
    if _ANWEB_NAME.search(name) or looks_like_anweb(text):
        # a renamed copy says nothing in its name: its newest action date gives the quarter
        release = release_from_name(name)
        if release is None:
            rows = parse_anweb_txt(_read(path, member), name)
            release = release_from_dates([row.action_date for row in rows] + [row.add_date for row in rows])
        return _source(path, member, KIND_TXT, release)
    if looks_like_proc_notes(text):
        return _source(path, member, KIND_PROC_NOTES, release_from_name(name))
    return None  # the record layout, and anything else


def _detect_xlsx(path: Path, member: str, name: str) -> SourceFile | None:
    data = _read(path, member)
    try:
        workbook = open_workbook(data)
    except Exception:  # not a workbook after all: not ours
        return None
    try:
        header = find_header(workbook)
    finally:
        workbook.close()
    if header is None:
        return None  # corrections, transaction report, NOC list
    release = release_from_name(name) or release_from_name(header[0])
    if release is None:
        _, rows = parse_anweb_xlsx(data, name)
        release = release_from_dates([row.action_date for row in rows] + [row.add_date for row in rows])
    return _source(path, member, KIND_XLSX, release)


def _detect_pdf(path: Path, member: str, name: str) -> SourceFile | None:
    try:
        text = first_text(_read(path, member), name)
    except SourceError:
        return None
    flat = " ".join(text.split())
    year = year_of(flat)
    release = Release(year, f"{year}-01-01") if year else None
    if "Table of Drugs" in flat and "Chemicals" not in flat and re.search(r"\bJ\d{4}\b", flat):
        return _source(path, member, KIND_DRUG_PDF, release)
    if re.search(r"HCPCS (\d{4} )?Index|Alpha-Numeric Index", flat, re.IGNORECASE) and "HCPCS" in flat:
        return _source(path, member, KIND_INDEX_PDF, release)
    return None


def detect(path: Path, member: str, head: bytes) -> SourceFile | None:
    """The HCPCS file this is (ANWEB txt or xlsx, processing notes, drug table or index PDF), else None."""
    name = member or path.name
    lower = name.lower()
    if lower.endswith(".txt"):
        return _detect_txt(path, member, name, head)
    if lower.endswith((".xlsx", ".xlsm")) and head.startswith(b"PK"):
        return _detect_xlsx(path, member, name)
    if head.startswith(b"%PDF"):
        return _detect_pdf(path, member, name)
    return None
