"""Makers of small HCPCS files in the official formats: fixed-width lines, xlsx workbooks, PDFs, zips."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fpdf import FPDF

from index_build.sources.hcpcs.anweb_xlsx import COLUMNS

FIXTURE_TXT = "HCPC2030_APR_ANWEB_03152030.txt"
FIXTURE_NOTES = "proc_notes_APR2030.txt"


def anweb_line(
    code: str, ric: str, long: str = "", short: str = "", fields: dict[int, str] | None = None, width: int = 320
) -> str:
    """One fixed-width record: code right-justified in 1-5, RIC in 11, text at its 1-based positions."""
    buf = [" "] * width

    def put(position: int, text: str) -> None:
        buf[position - 1 : position - 1 + len(text)] = list(text)

    put(1, code.rjust(5))
    put(6, "00100")
    put(11, ric)
    put(12, long[:80])
    if ric in "37":
        put(92, short[:28])
    for position, text in (fields or {}).items():
        put(position, text)
    return "".join(buf)


def xlsx_row(code: str, recid: Any, long: str, short: str = "", cells: dict[str, Any] | None = None) -> dict[str, Any]:
    """A workbook row: the 48 ANWEB columns, blank unless given ({'ADD DT': ..., 'PRICE1': ...})."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    row.update({"HCPC": code, "SEQNUM": "0010", "RECID": recid, "LONG DESCRIPTION": long, "SHORT DESCRIPTION": short})
    row.update(cells or {})
    return row


def write_xlsx(
    path: Path, rows: Sequence[dict[str, Any]], sheet: str = "HCPC2030_JUL_ANWEB", columns: Sequence[str] = COLUMNS
) -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    worksheet.append(list(columns))
    for row in rows:
        worksheet.append([row.get(name, "") for name in columns])
    workbook.save(path)
    return path


def write_pdf(path: Path, pages: Sequence[Sequence[str]], title: str) -> Path:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_font("Helvetica", size=9)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def make_line() -> Callable[..., str]:
    return anweb_line


@pytest.fixture
def make_xlsx() -> Callable[..., Path]:
    return write_xlsx


@pytest.fixture
def make_row() -> Callable[..., dict[str, Any]]:
    return xlsx_row


@pytest.fixture
def make_pdf() -> Callable[..., Path]:
    return write_pdf


@pytest.fixture
def make_zip() -> Callable[..., Path]:
    return write_zip


@pytest.fixture
def fixture_txt(fixtures_dir: Path) -> Path:
    return fixtures_dir / "hcpcs" / FIXTURE_TXT


@pytest.fixture
def fixture_notes(fixtures_dir: Path) -> Path:
    return fixtures_dir / "hcpcs" / FIXTURE_NOTES


DRUG_PAGES = [
    [
        "A",
        "Abatacept  10 mg  IV  J0129",
        "Avastin, see Syntheticumab",
        "Betamethasone acetate",
        "& betamethasone  sodium  phosphate  per 3  mg  IM  J0702",
        "Syntheticumab   10  mg  IV  J9902",
        "Oldrug  1 mg  IV  J9170",
        "2030 Table of Drugs",
        "1",
    ],
    ["Supplyzumab, IVection  5 mg  SC  A9901", "250 mg  IV  Q9903"],
]
INDEX_PAGES = [
    [
        "2030 HCPCS Alpha-Numeric Index 1",
        "HCPCS 2030 Index",
        "Questions regarding coding",
        "A",
        "Abdomen",
        "pad, synthetic, A9901",
        "Ambulance, A0021-A0999",
        "Screening, synthetic (see also Supply), Q9903",
    ],
    [
        "2030 HCPCS Alpha-Numeric Index 2",
        "Syntheticumab, J9902, J9170",
        "Supplies, A9900-A9910",
        "Brandname, see Syntheticumab",
        "Last Updated October 26, 2029",
    ],
]


@pytest.fixture
def drug_pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "2030-Table-of-Drugs.pdf", DRUG_PAGES, "2030 Table of Drugs")


@pytest.fixture
def index_pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "2030-HCPCS-Index.pdf", INDEX_PAGES, "HCPCS 2030 Index")
