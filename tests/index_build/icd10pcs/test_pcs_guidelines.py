"""Guideline text (JSON extraction and official PDF) and the applicability mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.records import CodeSet, GuidelineSection
from index_build.sources import icd10pcs
from index_build.sources.base import Parsed, SourceError, SourceFile
from index_build.sources.icd10pcs.applicability import GuidelineKeys, Vocabulary
from index_build.sources.icd10pcs.guideline_pdf import split_sections
from index_build.sources.icd10pcs.guidelines import read_json

WORDS = Vocabulary(
    sections={"0": "Medical and Surgical", "1": "Obstetrics", "X": "New Technology"},
    operations={"Excision", "Resection", "Drainage", "Change", "Removal", "Revision", "Bypass"},
    other_operations={"Irrigation", "Immobilization"},
    body_systems={"Gastrointestinal System", "Upper Arteries", "Anatomical Regions, General"},
    body_parts={
        "Appendix",
        "Kidney, Right",
        "Kidney, Left",
        "Coronary Artery, One Artery",
        "Coronary Artery, Two Arteries",
        "Stomach",
    },
    approaches={"Open", "Percutaneous", "Percutaneous Endoscopic", "External"},
    devices={"Drainage Device", "Intraluminal Device", "Intraluminal Device, Drug-eluting"},
)
KEYS = GuidelineKeys(WORDS)


@pytest.mark.parametrize(
    ("number", "text", "keys"),
    [
        ("A1", "ICD-10-PCS codes are composed of seven characters.", ("all",)),
        ("F", "Selection of principal procedure.", ("all",)),
        (
            "B2.1a",
            "Chest tube drainage is coded in the body system Anatomical Regions, General.",
            ("section:Medical and Surgical", "body_system:Anatomical Regions, General"),
        ),
        (
            "B3.8",
            "Resection is coded whenever all of a body part is cut out; part of it is coded to excision.",
            ("operation:Resection", "operation:Excision"),
        ),
        (
            "B3.15",
            "Casting of a nondisplaced fracture is coded to the root operation Immobilization.",
            ("operation:Immobilization",),
        ),
        ("B3.1a", "The full definition of the root operation must be applied.", ("section:Medical and Surgical",)),
        (
            "B4.4",
            "The coronary arteries are classified as a single body part.",
            ("body_part:Coronary Artery, One Artery", "body_part:Coronary Artery, Two Arteries"),
        ),
        (
            "B4.1b",
            "A procedure on the right kidney is coded to Kidney, Right; the appendix to Appendix.",
            ("body_part:Kidney, Right", "body_part:Appendix"),
        ),
        (
            "B5.2a",
            "Procedures performed using the open approach with percutaneous endoscopic assistance are "
            "coded to the approach Open.",
            ("approach:Open", "approach:Percutaneous Endoscopic"),
        ),
        (
            "B5.4",
            "Procedures performed percutaneously via a device are coded to the approach Percutaneous.",
            ("approach:Percutaneous",),
        ),
        (
            "B6.2",
            "A separate procedure to put in a drainage device is coded to the root operation Drainage.",
            ("device:Drainage Device", "operation:Drainage"),
        ),
        (
            "B6.1c",
            "Procedures performed on a device only are specified in the root operations Change, "
            "Irrigation, Removal and Revision.",
            ("operation:Change", "operation:Irrigation", "operation:Removal", "operation:Revision"),
        ),
        (
            "B4.8",
            "In the Gastrointestinal body system, change of a device in the stomach is coded to Stomach.",
            ("body_part:Stomach", "body_system:Gastrointestinal System"),
        ),
        ("C1", "Procedures on the products of conception.", ("section:Obstetrics",)),
        ("D1.a", "Brachytherapy is coded to the modality Brachytherapy.", ("section:Radiation Therapy",)),
        ("E1.a", "Section X codes are standalone codes.", ("section:New Technology",)),
    ],
)
def test_applicability_keys(number: str, text: str, keys: tuple[str, ...]) -> None:
    assert KEYS.keys(number, "", text) == keys


def _by_number(parsed: Parsed) -> dict[str, GuidelineSection]:
    return {section.number: section for section in parsed.guidelines}


def test_json_guidelines_in_the_fixture_build(fixture_build: tuple[Parsed, list[str]]) -> None:
    parsed, _ = fixture_build
    sections = _by_number(parsed)
    assert list(sections) == ["A1", "B2.1a", "B3.8", "B4.1a", "B5.2b", "B6.2", "C1", "F"]
    resection = sections["B3.8"]
    assert (resection.title, resection.group) == ("Excision vs Resection", "Root Operation")
    assert resection.code_set is CodeSet.ICD10PCS
    # The vocabulary is the tables': the fixture has no Excision table, so only Resection is a key.
    assert resection.applies_to == ("operation:Resection",)
    assert resection.document.startswith("ICD-10-PCS Official Guidelines for Coding and Reporting (FY2025")
    assert sections["B2.1a"].applies_to == ("section:Medical and Surgical", "body_system:Gastrointestinal System")
    assert sections["B4.1a"].applies_to == ("body_part:Kidney, Right", "body_part:Appendix")
    assert sections["B5.2b"].applies_to == ("approach:Percutaneous Endoscopic",)
    assert sections["B6.2"].applies_to == ("device:Drainage Device", "operation:Drainage")
    assert sections["C1"].applies_to == ("section:Obstetrics",)
    assert (sections["F"].title, sections["F"].applies_to) == ("Selection of Principal Procedure", ("all",))
    assert sections["F"].text.startswith("The following instructions")
    assert parsed.counts["guideline sections"] == 8


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text('{"code_set": "ICD-10-PCS",\n "sections": [\n {"id": "A1", }]}')
    source = SourceFile(path, "icd10pcs-guidelines-json", CodeSet.ICD10PCS, "FY2025", "2024-10-01")
    with pytest.raises(SourceError) as caught:
        read_json(source)
    assert caught.value.line == 3
    path.write_text(json.dumps({"code_set": "ICD-10-PCS", "sections": [{"id": "Z9", "text": "x"}]}))
    with pytest.raises(SourceError, match="unexpected number 'Z9'"):
        read_json(source)


GUIDELINE_PAGES = [
    [
        "ICD-10-PCS Official Guidelines for Coding and Reporting 2026",
        "Narrative changes appear in bold text",
        "A. Conventions",
        "A1",
        "ICD-10-PCS codes are composed of seven characters.",
        "B. Medical and Surgical Section Guidelines (section 0)",
        "B3. Root Operation",
        "Excision vs. Resection",
        "B3.8",
        "PCS contains specific body parts for anatomical subdivisions of a body part. Resection",
        "of the specific body part is coded whenever all of the body part is cut out or off.",
        "Page 1 of 2",
    ],
    [
        "ICD-10-PCS Official Guidelines for Coding and Reporting 2026",
        "Drainage device",
        "B6.2 A separate procedure to put in a drainage device is coded to the root operation Drainage.",
        "C. Obstetrics Section Guidelines (section 1)",
        "Products of conception",
        "C1",
        "Procedures performed on the products of conception are coded to the Obstetrics section.",
        "F. Selection of Principal Procedure",
        "The following instructions should be applied in the selection of principal procedure.",
        "Page 2 of 2",
    ],
]


def test_split_sections_of_the_pdf_text() -> None:
    text = "\n".join(line for page in GUIDELINE_PAGES for line in page)
    sections = {section.number: section for section in split_sections(text)}
    assert list(sections) == ["A1", "B3.8", "B6.2", "C1", "F"]
    assert (sections["A1"].title, sections["A1"].group) == ("Conventions", "Conventions")
    assert (sections["B3.8"].title, sections["B3.8"].group) == ("Excision vs. Resection", "Root Operation")
    assert sections["B3.8"].text.endswith("is cut out or off.")
    assert "Drainage device" not in sections["B3.8"].text and "Page" not in sections["B3.8"].text
    assert sections["B6.2"].title == "Drainage device"
    assert sections["B6.2"].text.startswith("A separate procedure to put in a drainage device")
    assert sections["C1"].title == "Products of conception"
    assert sections["C1"].group == "Obstetrics Section Guidelines"
    assert sections["F"].title == "Selection of Principal Procedure"


def _write_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=10)
    for page in GUIDELINE_PAGES:
        pdf.add_page()
        for line in page:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_official_pdf_is_detected_split_and_preferred(tmp_path: Path, pcs_fixtures: Path) -> None:
    pdf_path = tmp_path / "2026-official-icd-10-pcs-coding-guidelines.pdf"
    _write_pdf(pdf_path)
    source = icd10pcs.detect(pdf_path, "", pdf_path.read_bytes()[:65536])
    assert source is not None
    assert (source.kind, source.release) == ("icd10pcs-guidelines-pdf", "FY2026")
    assert source.effective == "2025-10-01"
    json_path = pcs_fixtures / "icd10pcs-guidelines-2025.json"
    json_source = icd10pcs.detect(json_path, "", json_path.read_bytes())
    assert json_source is not None
    parsed = icd10pcs.build([json_source, source], lambda line: None)
    sections = _by_number(parsed)
    assert list(sections) == ["A1", "B3.8", "B6.2", "C1", "F"]
    assert sections["B3.8"].document == "ICD-10-PCS Official Guidelines for Coding and Reporting FY2026"
    assert sections["A1"].applies_to == ("all",)
    assert parsed.files_used == [source]


def test_other_pdfs_are_not_ours(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.cell(0, 6, "ICD-10-CM Official Guidelines for Coding and Reporting FY 2026")
    path = tmp_path / "cm.pdf"
    pdf.output(str(path))
    assert icd10pcs.detect(path, "", path.read_bytes()) is None
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf")
    assert icd10pcs.detect(broken, "", broken.read_bytes()) is None
