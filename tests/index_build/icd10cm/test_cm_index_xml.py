"""The index-family parser on mini Drug, Neoplasm, External Cause and Alphabetic index files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.records import CodeSet, IndexTerm
from index_build.sources.base import SourceError, SourceFile
from index_build.sources.icd10cm.index_xml import classify, parse_index

from .conftest import detect_file

DRUG = "icd10cm-drug-April-1-2026-XML.xml"
NEOPLASM = "icd10cm-neoplasm-April-1-2026-XML.xml"
EINDEX = "icd10cm-eindex-April-1-2026-XML.xml"
ALPHABETIC = "icd10cm_index_2026.xml"


def _terms(source: SourceFile, *path: str) -> list[IndexTerm]:
    return [term for term in parse_index(source).terms if term.path == path]


@pytest.mark.parametrize(
    ("name", "kind", "effective"),
    [
        (DRUG, "drug", "2026-04-01"),
        (NEOPLASM, "neoplasm", "2026-04-01"),
        (EINDEX, "external", "2026-04-01"),
        (ALPHABETIC, "alphabetic", "2025-10-01"),
    ],
)
def test_detect_and_classify(cm_source: Callable[[str], SourceFile], name: str, kind: str, effective: str) -> None:
    source = cm_source(name)
    assert (source.kind, source.code_set, source.effective) == ("icd10cm-index", CodeSet.ICD10CM, effective)
    parsed = parse_index(source)
    assert parsed.source == kind
    assert {term.source for term in parsed.terms} == {kind}


def test_classify_falls_back_on_the_file_name() -> None:
    assert classify("", "", "icd10cm-index-April-1-2026-XML.xml") == "alphabetic"
    assert classify("", "", "icd10cm_eindex_2026.xml") == "external"
    assert classify("ICD-10-CM TABLE OF DRUGS AND CHEMICALS", "", "x.xml") == "drug"
    assert classify("", "Neoplasm", "x.xml") == "neoplasm"


def test_drug_table_one_term_per_cell_with_column(cm_source: Callable[[str], SourceFile]) -> None:
    terms = _terms(cm_source(DRUG), "Aspirin (aluminum) (soluble)")
    assert [(t.code, t.column) for t in terms] == [
        ("T39.011", "Poisoning Accidental (unintentional)"),
        ("T39.012", "Poisoning Intentional self-harm"),
        ("T39.013", "Poisoning Assault"),
        ("T39.014", "Poisoning Undetermined"),
        ("T39.015", "Adverse effect"),
        ("T39.016", "Underdosing"),
    ]
    assert len(_terms(cm_source(DRUG), "Aspirin (aluminum) (soluble)", "buffered")) == 6


def test_drug_table_skips_empty_cells_and_keeps_see(cm_source: Callable[[str], SourceFile]) -> None:
    source = cm_source(DRUG)
    assert [t.code for t in _terms(source, "2,4-D (dichlorophen-oxyacetic acid)")] == [
        "T60.3X1",
        "T60.3X2",
        "T60.3X3",
        "T60.3X4",
    ]
    (xref,) = _terms(source, "Acetylsalicylic acid")
    assert (xref.code, xref.see) == ("", "Aspirin")


def test_neoplasm_table_keeps_incomplete_codes(cm_source: Callable[[str], SourceFile]) -> None:
    source = cm_source(NEOPLASM)
    lung = {t.column: t.code for t in _terms(source, "Neoplasm, neoplastic", "lung")}
    assert lung == {
        "Malignant Primary": "C34.9-",
        "Malignant Secondary": "C78.0-",
        "Ca in situ": "D02.2-",
        "Benign": "D14.3-",
        "Uncertain Behavior": "D38.1",
        "Unspecified Behavior": "D49.1",
    }
    upper = {t.column for t in _terms(source, "Neoplasm, neoplastic", "lung", "upper lobe")}
    assert "Ca in situ" not in upper  # "-" means no code
    (book,) = _terms(source, "Neoplasm, neoplastic", "book-leaf (mouth) (ventral surface of tongue and floor of mouth)")
    assert book.code == "C06.89"
    (lymph,) = _terms(source, "Neoplasm, neoplastic", "lymph, lymphatic channel NEC")
    assert (lymph.code, lymph.see_also) == ("", "Neoplasm, connective tissue")


def test_external_cause_index(cm_source: Callable[[str], SourceFile]) -> None:
    source = cm_source(EINDEX)
    (accident,) = _terms(source, "Accident (to)")
    assert accident.code == "X58"
    (aircraft,) = _terms(source, "Accident (to)", "aircraft (in transit) (powered)")
    assert (aircraft.code, aircraft.see_also) == ("", "Accident, transport, aircraft")
    (cataclysm,) = _terms(source, "Accident (to)", "aircraft (in transit) (powered)", "due to, caused by cataclysm")
    assert (cataclysm.code, cataclysm.see) == ("", "Forces of nature, by type")
    (pollution,) = _terms(source, "Environmental pollution related condition")
    assert (pollution.code, pollution.see) == ("Z77", "category Z77")
    (lightning,) = _terms(source, "Exposure (to)", "lightning")
    assert (lightning.code, lightning.see) == ("T75.0", "subcategory T75.0")
    assert _terms(source, "Téléférique injury")[0].code == "V98.0"


def test_alphabetic_index(cm_source: Callable[[str], SourceFile]) -> None:
    source = cm_source(ALPHABETIC)
    assert [t.code for t in _terms(source, "Abasia (-astasia) (hysterical)")] == ["F44.4"]
    assert _terms(source, "Abandonment")[0].see == "Maltreatment"
    diabetes = "Diabetes, diabetic (mellitus) (sugar)"
    assert [t.code for t in _terms(source, diabetes)] == ["E11.9"]
    assert _terms(source, diabetes, "with") == []  # a term with only subterms leads nowhere itself
    assert [t.code for t in _terms(source, diabetes, "with", "amyotrophy")] == ["E11.44"]
    paired = _terms(source, diabetes, "with", "autonomic (poly) neuropathy")
    assert [(t.code, t.column) for t in paired] == [("E11.43", ""), ("G99.0", "manifestation")]
    (type1,) = _terms(source, diabetes, "type 1")
    assert (type1.code, type1.see_also, type1.text) == ("E10.9", "Diabetes, type 1", f"{diabetes}, type 1")


def _write(tmp_path: Path, text: str) -> SourceFile:
    path = tmp_path / "icd10cm_drug_2026.xml"
    path.write_text(text, encoding="utf-8")
    return detect_file(path)


def test_malformed_index_names_the_line(tmp_path: Path) -> None:
    source = _write(tmp_path, "<ICD10CM.index>\n<letter>\n<mainTerm><title>A</title>\n</letter>\n")
    with pytest.raises(SourceError) as caught:
        parse_index(source)
    assert caught.value.line == 4


def test_cell_without_heading_names_the_element(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        (
            "<ICD10CM.index><indexHeading><head col='1'>Substance</head></indexHeading>"
            "<letter><title>A</title><mainTerm><title>Aspirin</title><cell col='9'>T39.011</cell>"
            "</mainTerm></letter></ICD10CM.index>"
        ),
    )
    with pytest.raises(SourceError) as caught:
        parse_index(source)
    assert caught.value.element == "cell"
    assert "Aspirin" in str(caught.value)


def test_term_without_title_names_its_parents(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        (
            "<ICD10CM.index><letter><title>A</title><mainTerm><title>Abscess</title>"
            "<term level='1'><code>L02.91</code></term></mainTerm></letter></ICD10CM.index>"
        ),
    )
    with pytest.raises(SourceError, match="under Abscess") as caught:
        parse_index(source)
    assert caught.value.element == "term"
