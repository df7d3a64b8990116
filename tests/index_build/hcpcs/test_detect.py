"""detect(): which files (and zip members) are HCPCS sources, of which kind and release."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from index_build.sources.hcpcs import detect

HEAD = 65536


def _detect(path: Path, member: str = ""):
    if member:
        with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
            return detect(path, member, handle.read(HEAD))
    return detect(path, "", path.read_bytes()[:HEAD])


def _kind(found) -> tuple[str, str, str] | None:
    return (found.kind, found.release, found.effective) if found else None


def test_fixed_width_by_name_and_by_content(fixture_txt: Path, tmp_path: Path) -> None:
    assert _kind(_detect(fixture_txt)) == ("hcpcs-anweb-txt", "April 2030", "2030-04-01")
    renamed = shutil.copy(fixture_txt, tmp_path / "codes.txt")
    # no release in the name: the quarter of the newest action date (2030-04-01)
    assert _kind(_detect(Path(renamed))) == ("hcpcs-anweb-txt", "April 2030", "2030-04-01")


def test_layout_and_notes(fixture_notes: Path, tmp_path: Path) -> None:
    layout = tmp_path / "HCPC2030_recordlayout.txt"
    layout.write_text("\n  CMS RIF REPORT\n  AS OF: 11/12/2029\n\n       NAME     LENGTH   BEG  END\n" * 20)
    assert _detect(layout) is None
    assert _kind(_detect(fixture_notes)) == ("hcpcs-proc-notes", "April 2030", "2030-04-01")


def test_workbooks(tmp_path: Path, make_xlsx, make_row) -> None:
    rows = [make_row("A9901", "3", "Synthetic", cells={"ADD DT": "20050101", "ACT EFF DT": "20301001"})]
    named = make_xlsx(tmp_path / "HCPC2030_APR_ANWEB_03152030.xlsx", rows, sheet="HCPC2030_APR_ANWEB")
    assert _kind(_detect(named)) == ("hcpcs-xlsx", "April 2030", "2030-04-01")
    by_sheet = make_xlsx(tmp_path / "hcpcs-2030.xlsx", rows, sheet="HCPC2030_JUL_contr")
    assert _kind(_detect(by_sheet)) == ("hcpcs-xlsx", "July 2030", "2030-07-01")
    by_dates = make_xlsx(tmp_path / "codes.xlsx", rows, sheet="Sheet1")
    assert _kind(_detect(by_dates)) == ("hcpcs-xlsx", "October 2030", "2030-10-01")
    report = make_xlsx(
        tmp_path / "HCPC2030_APR_ANWEB_Transaction Report.xlsx",
        [],
        sheet="Changes by HCPC",
        columns=["HCPC", "ACTION CD", "SHORT DESCRIPTION", "LONG DESCRIPTION"],
    )
    assert _detect(report) is None
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a workbook")
    assert _detect(fake) is None


def test_zip_members(tmp_path: Path, fixture_txt: Path, fixture_notes: Path, make_xlsx, make_row, make_zip) -> None:
    xlsx = make_xlsx(tmp_path / "x.xlsx", [make_row("A9901", "3", "Synthetic")], sheet="HCPC2030_APR_ANWEB")
    corrections = make_xlsx(
        tmp_path / "c.xlsx",
        [],
        sheet="Sheet1",
        columns=["HCPCS/MOD Code", "Action", "Short Description", "Long Description"],
    )
    archive = make_zip(
        tmp_path / "april-2030-alpha-numeric-hcpcs-file.zip",
        {
            fixture_txt.name: fixture_txt.read_bytes(),
            "HCPC2030_APR_ANWEB_03152030.xlsx": xlsx.read_bytes(),
            "HCPC2030_APR_ANWEB_Corrections_03152030.xlsx": corrections.read_bytes(),
            "HCPC2030_recordlayout.txt": b"  CMS RIF REPORT\r\n  AS OF: 11/12/2029\r\n",
            fixture_notes.name: fixture_notes.read_bytes(),
        },
    )
    found = {member: _kind(_detect(archive, member)) for member in zipfile.ZipFile(archive).namelist()}
    assert found == {
        fixture_txt.name: ("hcpcs-anweb-txt", "April 2030", "2030-04-01"),
        "HCPC2030_APR_ANWEB_03152030.xlsx": ("hcpcs-xlsx", "April 2030", "2030-04-01"),
        "HCPC2030_APR_ANWEB_Corrections_03152030.xlsx": None,
        "HCPC2030_recordlayout.txt": None,
        fixture_notes.name: ("hcpcs-proc-notes", "April 2030", "2030-04-01"),
    }
    assert _detect(archive, fixture_txt.name).name == f"{archive.name}!{fixture_txt.name}"


def test_pdfs(drug_pdf: Path, index_pdf: Path, tmp_path: Path, make_pdf) -> None:
    assert _kind(_detect(drug_pdf)) == ("hcpcs-drug-table-pdf", "2030", "2030-01-01")
    assert _kind(_detect(index_pdf)) == ("hcpcs-index-pdf", "2030", "2030-01-01")
    icd = make_pdf(
        tmp_path / "icd.pdf",
        [["ICD-10-CM Table of Drugs and Chemicals", "Abacavir T37.5X1"]],
        "ICD-10-CM Table of Drugs and Chemicals",
    )
    assert _detect(icd) is None
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    assert _detect(broken) is None
