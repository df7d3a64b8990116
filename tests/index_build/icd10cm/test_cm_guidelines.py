"""The guidelines splitter, on a PDF generated here in the layout of the official guidelines."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from desktop.core.records import CodeSet, GuidelineSection
from index_build.sources import icd10cm
from index_build.sources.base import SourceError
from index_build.sources.icd10cm.guidelines import clean_pages, parse_guidelines, split_sections

from .conftest import detect_file

HEADER = "ICD-10-CM Official Guidelines for Coding and Reporting FY 2026"
COVER = [
    ("h", "ICD-10-CM Official Guidelines for Coding and Reporting"),
    ("h", "FY 2026"),
    ("p", "(October 1, 2025 - September 30, 2026)"),
    ("h", "Narrative"),
    (
        "p",
        "The Centers for Medicare and Medicaid Services (CMS) and the National Center for Health "
        "Statistics (NCHS), two departments within the U.S. Federal Government, provide the following "
        "guidelines for coding and reporting using the ICD-10-CM.",
    ),
]
CONTENTS = [
    ("h", "Table of Contents"),
    ("p", "Section I. Conventions, general coding guidelines and chapter specific guidelines ........ 3"),
    ("p", "A. Conventions for the ICD-10-CM ........ 3"),
    ("p", "1. The Alphabetic Index and Tabular List ........ 3"),
    ("p", "B. General Coding Guidelines ........ 3"),
    ("p", "C. Chapter-Specific Coding Guidelines ........ 4"),
    ("p", "Section II. Selection of Principal Diagnosis ........ 5"),
]
BODY = [
    ("h", "Section I. Conventions, general coding guidelines and chapter specific guidelines"),
    (
        "p",
        "The conventions, general guidelines and chapter-specific guidelines are applicable to all "
        "health care settings unless otherwise indicated.",
    ),
    ("h", "A. Conventions for the ICD-10-CM"),
    (
        "p",
        "The conventions for the ICD-10-CM are the general rules for use of the classification "
        "independent of the guidelines.",
    ),
    ("h", "1. The Alphabetic Index and Tabular List"),
    (
        "p",
        "The ICD-10-CM is divided into the Alphabetic Index, an alphabetical list of terms and their "
        "corresponding code, and the Tabular List, a structured list of codes divided into chapters "
        "based on body system or condition.",
    ),
    ("h", "2. Format and Structure:"),
    (
        "p",
        "The ICD-10-CM Tabular List contains categories, subcategories and codes. The list below is part of the text:",
    ),
    ("p", "1. Characters for categories may be either a letter or a number."),
    ("h", "B. General Coding Guidelines"),
    ("h", "1. Locating a code in the ICD-10-CM"),
    (
        "p",
        "To select a code in the classification that corresponds to a diagnosis or reason for visit "
        "documented in a medical record, first locate the term in the Alphabetic Index, and then "
        "verify the code in the Tabular List.",
    ),
    ("h", "C. Chapter-Specific Coding Guidelines"),
    (
        "p",
        "In addition to general coding guidelines, there are guidelines for specific diagnoses and/or "
        "conditions in the classification.",
    ),
    ("h", "1. Chapter 1: Certain Infectious and Parasitic Diseases (A00-B99), U07.1, U09.9"),
    ("h", "a. Human Immunodeficiency Virus (HIV) Infections"),
    ("h", "1) Code only confirmed cases"),
    ("p", "Code only confirmed cases of HIV infection/illness."),
    ("h", "2. Chapter 2: Neoplasms (C00-D49)"),
    (
        "p",
        "General guidelines: Chapter 2 of the ICD-10-CM contains the codes for most benign and all "
        "malignant neoplasms.",
    ),
    (
        "h",
        "3. Chapter 3: Disease of the Blood and Blood-Forming Organs and Certain Disorders involving the "
        "Immune Mechanism (D50-D89)",
    ),
    ("p", "Reserved for future guideline expansion"),
    ("h", "4. Chapter 4: Endocrine, Nutritional, and Metabolic Diseases (E00-E89)"),
    ("h", "a. Diabetes mellitus"),
    (
        "p",
        "The diabetes mellitus codes are combination codes that include the type of diabetes mellitus, "
        "the body system affected, and the complications affecting that body system.",
    ),
    ("break", ""),
    (
        "p",
        "As many codes within a particular category as are necessary to describe all of the "
        "complications of the disease may be used.",
    ),
    ("h", "1) Type of diabetes"),
    (
        "p",
        "The age of a patient is not the sole determining factor, though most type 1 diabetics develop "
        "the condition before reaching puberty.",
    ),
    ("h", "2) Type of diabetes mellitus not documented"),
    (
        "p",
        "If the type of diabetes mellitus is not documented in the medical record the default is E11.-, "
        "Type 2 diabetes mellitus.",
    ),
    ("h", "(a) Secondary diabetes mellitus"),
    ("p", "Codes under categories E08, E09 and E13 identify complications of secondary diabetes."),
    (
        "h",
        "(i) Diabetes due to pancreatectomy: For postpancreatectomy diabetes mellitus, see also the "
        "Section III. Reporting guidance below.",
    ),
    ("p", "Section III. Reporting Additional Diagnoses is referred to here."),
    ("p", "Assign code E89.1 first."),
    ("break", ""),
    ("h", "Section II. Selection of Principal Diagnosis"),
    ("p", "The circumstances of inpatient admission always govern the selection of principal diagnosis."),
    ("h", "A. Codes for symptoms, signs, and ill-defined conditions"),
    (
        "p",
        "Codes for symptoms, signs, and ill-defined conditions are not to be used as principal "
        "diagnosis when a related definitive diagnosis has been established.",
    ),
    ("h", "Section III. Reporting Additional Diagnoses"),
    ("h", "A. Previous conditions"),
    ("p", "If the provider has included a diagnosis in the final diagnostic statement, it should be coded."),
    ("h", "Section IV. Diagnostic Coding and Reporting Guidelines for Outpatient Services"),
    ("h", "A. Selection of first-listed condition"),
    ("p", "In the outpatient setting, the term first-listed diagnosis is used in lieu of principal diagnosis."),
    ("h", "Appendix I: Present on Admission Reporting Guidelines"),
    ("p", "Present on admission is defined as present at the time the order for inpatient admission occurs."),
]

EXPECTED_NUMBERS = [
    "I",
    "I.A",
    "I.A.1",
    "I.A.2",
    "I.B",
    "I.B.1",
    "I.C",
    "I.C.1",
    "I.C.1.a",
    "I.C.1.a.1",
    "I.C.2",
    "I.C.3",
    "I.C.4",
    "I.C.4.a",
    "I.C.4.a.1",
    "I.C.4.a.2",
    "I.C.4.a.2.a",
    "I.C.4.a.2.a.i",
    "II",
    "II.A",
    "III",
    "III.A",
    "IV",
    "IV.A",
    "Appendix I",
]


class _GuidelinesPdf(FPDF):
    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, HEADER, new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")


def write_guidelines_pdf(path: Path, body: list[tuple[str, str]] = BODY) -> Path:
    """A guidelines PDF: cover, contents page, then the numbered body with headers and footers."""
    pdf = _GuidelinesPdf(format="letter")
    for page in (COVER, CONTENTS, body):
        pdf.add_page()
        for style, text in page:
            if style == "break":
                pdf.add_page()
                continue
            pdf.set_font("Helvetica", "B" if style == "h" else "", 11)
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_guidelines_pdf(tmp_path_factory.mktemp("guidelines") / "fy-2026-icd-10-cm-coding-guidelines.pdf")


@pytest.fixture(scope="module")
def sections(pdf_path: Path) -> dict[str, GuidelineSection]:
    return {section.number: section for section in parse_guidelines(detect_file(pdf_path))}


def test_detected_with_release(pdf_path: Path) -> None:
    source = detect_file(pdf_path)
    assert (source.kind, source.release, source.effective) == ("icd10cm-guidelines-pdf", "FY2026", "2025-10-01")


def test_other_pdfs_are_not_ours(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "Table of Drugs - HCPCS Level II")
    path = tmp_path / "drugs.pdf"
    pdf.output(str(path))
    assert icd10cm.detect(path, "", path.read_bytes()[:65536]) is None


def test_damaged_pdf_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "guidelines.pdf"
    path.write_bytes(b"%PDF-1.4\nICD-10-CM Official Guidelines for Coding and Reporting, cut short")
    assert icd10cm.detect(path, "", path.read_bytes()) is None


def test_numbered_sections_in_order(sections: dict[str, GuidelineSection]) -> None:
    assert list(sections) == EXPECTED_NUMBERS


def test_titles(sections: dict[str, GuidelineSection]) -> None:
    assert sections["I"].title == "Conventions, general coding guidelines and chapter specific guidelines"
    assert sections["I.A.2"].title == "Format and Structure"
    assert sections["I.C.4"].title == "Chapter 4: Endocrine, Nutritional, and Metabolic Diseases (E00-E89)"
    assert sections["I.C.4.a"].title == "Diabetes mellitus"
    assert sections["I.C.4.a.2.a.i"].title == "Diabetes due to pancreatectomy"
    assert sections["Appendix I"].title == "Present on Admission Reporting Guidelines"
    # a heading with its text on the same line
    assert sections["I.C.4.a.2.a.i"].text.startswith("For postpancreatectomy diabetes mellitus, see also")
    # a heading that wraps onto a second line keeps its whole title
    assert sections["I.C.3"].title.endswith("Immune Mechanism (D50-D89)")
    assert sections["I.C.3"].text == "Reserved for future guideline expansion"


def test_text_across_a_page_break_without_headers_or_footers(sections: dict[str, GuidelineSection]) -> None:
    text = sections["I.C.4.a"].text
    assert text.startswith("The diabetes mellitus codes are combination codes")
    assert text.endswith("complications of the disease may be used.")
    assert "Page" not in text and "FY 2026" not in text


def test_out_of_sequence_section_line_is_text(sections: dict[str, GuidelineSection]) -> None:
    assert "Section III. Reporting Additional Diagnoses is referred to here." in sections["I.C.4.a.2.a.i"].text


def test_list_item_in_text_is_not_a_heading(sections: dict[str, GuidelineSection]) -> None:
    assert sections["I.A.2"].text.endswith(
        "part of the text:\n1. Characters for categories may be either a letter or a number."
    )


def test_chapter_sections_apply_to_their_chapter(sections: dict[str, GuidelineSection]) -> None:
    assert sections["I.C.4"].applies_to == ("chapter:4",)
    assert sections["I.C.4.a.2.a.i"].applies_to == ("chapter:4", "code:E89")  # its text names E89.1
    assert (sections["I.C.1.a.1"].group, sections["I.C.1.a.1"].applies_to) == ("Chapter 1", ("chapter:1",))
    assert sections["I.C"].applies_to == ("all",)
    assert (sections["II.A"].group, sections["II.A"].applies_to) == ("Section II.A", ("all",))
    assert sections["I.B.1"].code_set is CodeSet.ICD10CM
    assert sections["I.B.1"].document == HEADER


def test_contents_without_dot_leaders_are_replaced_by_the_body() -> None:
    contents = "Section I. Conventions\nA. Conventions for the ICD-10-CM\nSection II. Selection of Principal Diagnosis"
    body = (
        "Section I. Conventions\nThe conventions apply.\nA. Conventions for the ICD-10-CM\nRules.\n"
        "Section II. Selection of Principal Diagnosis\nCircumstances govern."
    )
    found = split_sections([contents, body])
    assert [(s.number, s.text) for s in found] == [
        ("I", "The conventions apply."),
        ("I.A", "Rules."),
        ("II", "Circumstances govern."),
    ]


def test_a_heading_wrapped_onto_a_lowercase_line_keeps_its_words() -> None:
    """Issue 15: the FY2026 PDF wraps long headings; the text after a heading starts with a capital."""
    page = (
        "Section I. Conventions\nA. Conventions for the ICD-10-CM\n"
        "1. Assigning and sequencing secondary diabetes codes and its\ncauses\nCode first the cause.\n"
        "2. Signs and symptoms without definitive diagnosis of COVID-\nFor patients presenting with signs.\n"
        "3. Type 1 ST elevation myocardial infarction (STEMI) and non-\nST elevation myocardial infarction\n"
        "The codes apply."
    )
    found = {s.number: s for s in split_sections([page])}
    assert found["I.A.1"].title == "Assigning and sequencing secondary diabetes codes and its causes"
    assert found["I.A.1"].text == "Code first the cause."
    # the text layer lost the '19': the capital 'For' starts the text, not the title
    assert found["I.A.2"].title == "Signs and symptoms without definitive diagnosis of COVID-"
    assert found["I.A.2"].text == "For patients presenting with signs."
    assert found["I.A.3"].title.endswith("(STEMI) and non- ST elevation myocardial infarction")


def test_lines_reflow_into_paragraphs() -> None:
    page = (
        "Section I. Conventions\nThe first paragraph runs over a line that is as long as the others in\n"
        "this text and goes on.\nShort end.\n• A bullet point\nThe chapter-\nspecific guidelines follow here."
    )
    (section,) = split_sections([page])
    assert section.text.split("\n") == [
        "The first paragraph runs over a line that is as long as the others in this text and goes on.",
        "Short end.",
        "• A bullet point The chapter-specific guidelines follow here.",
    ]


def test_clean_pages_drops_page_numbers_and_repeated_headers() -> None:
    words = ["Alpha", "Beta", "Gamma", "Delta"]
    pages = [f"Guidelines FY 2026\n{word} text.\nPage {n} of 4" for n, word in enumerate(words, 1)]
    assert clean_pages(pages) == ["Alpha text.", "Beta text.", "Gamma text.", "Delta text."]


def test_pdf_without_sections_is_an_error(tmp_path: Path) -> None:
    path = write_guidelines_pdf(tmp_path / "guidelines.pdf", body=[("p", "No numbered sections here.")])
    with pytest.raises(SourceError, match="no numbered guideline sections"):
        parse_guidelines(detect_file(path))
