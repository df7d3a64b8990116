"""The xlsx form: header lookup, Excel's numeric cells, padded modifiers, malformed workbooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index_build.sources.base import SourceError
from index_build.sources.hcpcs.anweb_xlsx import COLUMNS, parse_anweb_xlsx


@pytest.fixture
def workbook(tmp_path: Path, make_xlsx, make_row) -> Path:
    rows = [
        make_row(
            "   GA",
            "7",
            "Waiver of liability statement issued  as required",
            "Waiver of liability",
            {"COV": "C", "ADD DT": "20020701", "ACT EFF DT": "20020701", "ACTION CD": "N"},
        ),
        make_row(
            "G9904",
            3,
            "Synthetic vascular procedure",
            "Synthetic vasc proc",
            {
                "PRICE1": 13,
                "MULT_PI": "A",
                "PROCNOTE": 2,
                "BETOS": "P1G",
                "TOS1": 2,
                "ANEST_BU": 0,
                "ADD DT": 20300701,
                "ACT EFF DT": dt.datetime(2030, 7, 1),
                "TERM DT": None,
                "ACTION CD": "A",
            },
        ),
        dict.fromkeys(COLUMNS, None),  # a blank row in the middle is ignored
        make_row(
            "J9902",
            "3",
            "Injection, syntheticumab, 10 mg",
            "Syntheticumab injection",
            {
                "PRICE1": "51",
                "LABCERT1": 10,
                "ADD DT": "20100101",
                "ACT EFF DT": "20300401",
                "TERM DT": 20300331,
                "ACTION CD": "D",
            },
        ),
    ]
    return make_xlsx(tmp_path / "renamed.xlsx", rows, sheet="HCPC2030_JUL_contr")


def test_rows_and_normalised_cells(workbook: Path) -> None:
    sheet, rows = parse_anweb_xlsx(workbook.read_bytes(), workbook.name)
    assert sheet == "HCPC2030_JUL_contr"
    by_code = {row.code: row for row in rows}
    assert list(by_code) == ["GA", "G9904", "J9902"]
    assert by_code["GA"].is_modifier and not by_code["G9904"].is_modifier  # RECID 3 as a number
    assert by_code["GA"].long_description == "Waiver of liability statement issued as required"
    vascular = by_code["G9904"]
    assert vascular.pricing == ("13",)
    assert vascular.proc_note == "0002"
    assert vascular.tos == ("2",)
    assert (vascular.add_date, vascular.action_date, vascular.term_date) == ("20300701", "20300701", "")
    assert by_code["J9902"].lab_cert == ("010",)
    assert by_code["J9902"].terminated and by_code["J9902"].term_date == "20300331"


def test_missing_columns_are_named(tmp_path: Path, make_xlsx, make_row) -> None:
    columns = [name for name in COLUMNS if name not in ("BETOS", "COV")]
    path = make_xlsx(tmp_path / "short.xlsx", [make_row("A0001", "3", "x")], sheet="Codes", columns=columns)
    with pytest.raises(SourceError) as info:
        parse_anweb_xlsx(path.read_bytes(), path.name)
    assert "sheet 'Codes'" in str(info.value)
    assert "missing columns COV, BETOS" in str(info.value)
    assert info.value.file == "short.xlsx"


def test_bad_recid_names_sheet_and_row(tmp_path: Path, make_xlsx, make_row) -> None:
    rows = [make_row("A0001", "3", "fine", cells={"ADD DT": "20300101"}), make_row("A0002", "X", "bad")]
    path = make_xlsx(tmp_path / "bad.xlsx", rows, sheet="HCPC2030_JAN_ANWEB")
    with pytest.raises(SourceError, match=r"sheet 'HCPC2030_JAN_ANWEB', row 3: RECID 'X'") as info:
        parse_anweb_xlsx(path.read_bytes(), path.name)
    assert info.value.line == 3


def test_not_a_workbook_and_no_header(tmp_path: Path, make_xlsx) -> None:
    with pytest.raises(SourceError, match="cannot open the workbook"):
        parse_anweb_xlsx(b"not a zip at all", "broken.xlsx")
    other = make_xlsx(tmp_path / "other.xlsx", [], sheet="Sheet1", columns=["HCPC", "ACTION CD", "LONG DESCRIPTION"])
    with pytest.raises(SourceError, match="no sheet has the HCPCS header row"):
        parse_anweb_xlsx(other.read_bytes(), other.name)
