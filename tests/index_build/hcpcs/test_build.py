"""build() on fixture files: newest release wins, notes joined, attributes in words, drug table and index."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from desktop.core.records import CodeRecord, CodeSet, IndexTerm, Kind, NoteKind
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.hcpcs import build, detect

HEAD = 65536


def _sources(*paths: Path) -> list[SourceFile]:
    found = []
    for path in paths:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                heads = {name: archive.open(name).read(HEAD) for name in archive.namelist()}
            found += [detect(path, name, head) for name, head in heads.items()]
        else:
            found.append(detect(path, "", path.read_bytes()[:HEAD]))
    return [source for source in found if source is not None]


@pytest.fixture
def april_zip(tmp_path: Path, fixture_txt: Path, fixture_notes: Path, make_xlsx, make_row, make_zip) -> Path:
    # the April xlsx twin says 'XLSX' in a title so a test can tell which form was built
    twin = make_xlsx(
        tmp_path / "twin.xlsx",
        [make_row("A9901", "3", "XLSX title", cells={"ADD DT": "20050101"})],
        sheet="HCPC2030_APR_ANWEB",
    )
    return make_zip(
        tmp_path / "april-2030-alpha-numeric-hcpcs-file.zip",
        {
            fixture_txt.name: fixture_txt.read_bytes(),
            "HCPC2030_APR_ANWEB_03152030.xlsx": twin.read_bytes(),
            "HCPC2030_recordlayout.txt": b"  CMS RIF REPORT\r\n",
            fixture_notes.name: fixture_notes.read_bytes(),
        },
    )


@pytest.fixture
def july_xlsx(tmp_path: Path, make_xlsx, make_row) -> Path:
    rows = [
        make_row(
            "   LT",
            7,
            "Left side (synthetic fixture modifier)",
            "Left side",
            {"COV": "C", "ADD DT": "19840101", "ACT EFF DT": "19970101", "ACTION CD": "N"},
        ),
        make_row(
            "A9901",
            "3",
            "Synthetic supply item, July wording",
            "Synthetic supply item",
            {
                "PRICE1": "51",
                "MULT_PI": "A",
                "CIM1": "60-9",
                "MCM1": "2049",
                "LABCERT1": "310",
                "XREF1": "J9902",
                "COV": "D",
                "PROCNOTE": "0002",
                "BETOS": "O1D",
                "TOS1": "1",
                "TOS2": "P",
                "ANEST_BU": "  0",
                "ADD DT": "20050101",
                "ACT EFF DT": "20300701",
                "ACTION CD": "C",
            },
        ),
        make_row(
            "J9902",
            "3",
            "Injection, syntheticumab, 10 mg",
            "Syntheticumab injection",
            {
                "PRICE1": "51",
                "COV": "C",
                "BETOS": "O1E",
                "ADD DT": "20100101",
                "ACT EFF DT": "20300401",
                "TERM DT": "20300331",
                "ACTION CD": "D",
            },
        ),
        make_row(
            "Q9903",
            "3",
            "Synthetic screening service",
            "Synthetic screening",
            {"PROCNOTE": "0099", "ADD DT": "20300401", "ACT EFF DT": "20300401", "ACTION CD": "A"},
        ),
        make_row(
            "G9904",
            "3",
            "Synthetic new July service",
            "Synthetic new",
            {"ADD DT": "20300701", "ACT EFF DT": "20300701", "ACTION CD": "A"},
        ),
    ]
    return make_xlsx(tmp_path / "hcpcs-2030.xlsx", rows, sheet="HCPC2030_JUL_contr")


@pytest.fixture
def parsed(april_zip: Path, july_xlsx: Path, drug_pdf: Path, index_pdf: Path):
    lines: list[str] = []
    result = build(_sources(april_zip, july_xlsx, drug_pdf, index_pdf), lines.append)
    result.log = lines  # type: ignore[attr-defined]
    return result


def _records(parsed) -> dict[str, CodeRecord]:
    return {record.code: record for record in parsed.records}


def test_newest_release_is_built_and_all_are_listed(parsed) -> None:
    assert [(r.release, r.effective) for r in parsed.releases] == [("July 2030", "2030-07-01")]
    assert parsed.releases[0].files[0] == "hcpcs-2030.xlsx"
    assert parsed.releases[0].code_set is CodeSet.HCPCS
    assert (
        "HCPCS releases present: April 2030 (txt, xlsx), July 2030 (xlsx); built July 2030 from hcpcs-2030.xlsx"
    ) in parsed.warnings
    # ZX is in the April release only: kept as a terminated record saying it went in July
    assert list(_records(parsed)) == ["LT", "A9901", "J9902", "Q9903", "G9904", "ZX"]
    gone = _records(parsed)["ZX"]
    assert gone.terminated and gone.history[-1].action == "deleted" and gone.history[-1].release == "July 2030"
    assert _records(parsed)["A9901"].title == "Synthetic supply item, July wording"
    revised = [e for e in _records(parsed)["A9901"].history if e.action == "revised"]
    assert [(e.release, e.old_title != "") for e in revised] == [("July 2030", True)]
    assert any("hcpcs-2030.xlsx: July 2030: 4 codes (3 not terminated), 1 modifiers" in line for line in parsed.log)


def test_counts(parsed) -> None:
    counts = parsed.counts
    assert (counts["codes"], counts["codes not terminated"], counts["modifiers"]) == (4, 3, 1)
    assert counts["proc notes joined"] == 1
    assert counts["releases present"] == 2
    assert counts["drug-table rows"] == 6
    assert counts["drug codes no longer existing"] == 3  # J0129, J0702 and J9170 are not in the fixture release
    assert "HCPCS processing notes not found: 0099" in parsed.warnings


def test_code_record_in_plain_words(parsed) -> None:
    item = _records(parsed)["A9901"]
    assert (item.kind, item.billable, item.terminated, item.order) == (Kind.CODE, True, False, 2)
    assert item.short_title == "Synthetic supply item"
    assert item.attributes == (
        ("Coverage", "D - Special coverage instructions apply"),
        ("Pricing indicator", "51 - Drugs"),
        ("Multiple pricing", "A - Not applicable as HCPCS priced under one methodology"),
        ("BETOS", "O1D - Chemotherapy"),
        ("Type of service", "1 - Medical care; P - Lump sum purchase of DME, prosthetics, orthotics"),
        ("Processing note number", "0002"),
        ("CIM reference", "60-9"),
        ("MCM reference", "2049"),
        ("Lab certification", "310 - Routine chemistry"),
        ("Cross-reference codes", "J9902"),
        ("Added", "2005-01-01"),
        ("Action effective", "2030-07-01"),
        ("Action", "C - Change in long description of procedure or modifier code"),
    )
    (note,) = item.notes
    assert note.kind is NoteKind.PROCESSING_NOTE
    assert note.text.startswith("SYNTHETIC NOTE FOR THE FIXTURE: BILL A9901")
    assert (note.source_code, note.source_kind) == ("A9901", Kind.CODE)


def test_terminated_code_and_modifier(parsed) -> None:
    records = _records(parsed)
    assert records["J9902"].terminated
    assert ("Terminated", "2030-03-31") in records["J9902"].attributes
    assert ("Action", "D - Discontinue procedure or modifier code") in records["J9902"].attributes
    modifier = records["LT"]
    assert (modifier.kind, modifier.billable, modifier.title) == (
        Kind.MODIFIER,
        False,
        "Left side (synthetic fixture modifier)",
    )
    assert ("Added", "1984-01-01") in modifier.attributes


def test_drug_table_links(parsed) -> None:
    records = _records(parsed)
    assert records["J9902"].search_terms == ("Syntheticumab", "Avastin")
    assert records["A9901"].search_terms == ("Supplyzumab, injection",)
    assert records["Q9903"].search_terms == ("Supplyzumab, injection",)  # unit-only row under the same drug
    drug_terms = [t for t in parsed.index_terms if t.source == "hcpcs-drug"]
    assert IndexTerm(CodeSet.HCPCS, "hcpcs-drug", ("Syntheticumab",), code="J9902", column="10 mg IV") in drug_terms
    assert (
        IndexTerm(CodeSet.HCPCS, "hcpcs-drug", ("Avastin",), code="J9902", column="10 mg IV", see="Syntheticumab")
        in drug_terms
    )
    assert not [t for t in drug_terms if t.code in ("J9170", "J0129")]
    assert "HCPCS Table of Drugs 2030: 3 codes no longer in July 2030: J0129, J0702, J9170" in parsed.warnings


def test_index_links(parsed) -> None:
    terms = {(t.path, t.code, t.see, t.see_also) for t in parsed.index_terms if t.source == "hcpcs-index"}
    assert terms == {
        (("Abdomen", "pad, synthetic"), "A9901", "", ""),
        (("Screening, synthetic",), "Q9903", "", "Supply"),
        (("Syntheticumab",), "J9902", "", ""),
        (("Supplies",), "A9901", "", ""),  # a range expanded to the release's codes
        (("Brandname",), "J9902", "Syntheticumab", ""),
    }
    assert parsed.counts["index terms"] == 5
    assert parsed.counts["index codes no longer existing"] == 2  # A0021-A0999 (no code in range) and J9170


def test_same_release_prefers_the_fixed_width_file(april_zip: Path) -> None:
    result = build(_sources(april_zip), lambda _: None)
    assert result.releases[0].release == "April 2030"
    assert result.files_used[0].member.endswith(".txt")
    assert _records(result)["A9901"].title.startswith("Synthetic supply item, sterile")
    assert _records(result)["ZX"].kind is Kind.MODIFIER
    assert result.counts["codes"] == 3 and result.counts["modifiers"] == 2


def test_malformed_file_names_file_and_line(tmp_path: Path, make_line, make_zip) -> None:
    bad = "\r\n".join([make_line("A0001", "3", "One", "One"), make_line("A0002", "4", "orphan")]) + "\r\n"
    archive = make_zip(tmp_path / "bad.zip", {"HCPC2030_OCT_ANWEB_09152030.txt": bad.encode()})
    with pytest.raises(SourceError) as info:
        build(_sources(archive), lambda _: None)
    assert str(info.value).startswith("bad.zip!HCPC2030_OCT_ANWEB_09152030.txt, line 2:")


def test_no_code_file(drug_pdf: Path) -> None:
    result = build(_sources(drug_pdf), lambda _: None)
    assert result.records == [] and result.index_terms == []
    assert "no ANWEB code file" in result.warnings[0]
