"""Table of Drugs and Alpha-Numeric Index parsers on text lines shaped like pypdf's messy extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from index_build.sources.hcpcs.alpha_index import parse_alpha_index, parse_entry
from index_build.sources.hcpcs.drug_table import DrugRow, DrugSee, parse_drug_table, parse_row, split_name_unit
from index_build.sources.hcpcs.pdf_text import page_lines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Abatacept  10 mg  IV  J0129  ", DrugRow("Abatacept", "10 mg", "IV", ("J0129",))),
        (
            "Acetazolamide sodium  up to 500 mg  IM, IV  J1120",
            DrugRow("Acetazolamide sodium", "up to 500 mg", "IM, IV", ("J1120",)),
        ),
        (
            "Acetylcysteine,  unit dose form  per gram  INH  J7604, J7608",
            DrugRow("Acetylcysteine, unit dose form", "per gram", "INH", ("J7604", "J7608")),
        ),
        ("Acyclovir  5 mg   J0133", DrugRow("Acyclovir", "5 mg", "", ("J0133",))),
        ("Bevacizumab   10  mg  IV  J9035  ", DrugRow("Bevacizumab", "10 mg", "IV", ("J9035",))),
        (
            "Budesonide inhalation solution, concentrated form0.25 mg  INH  J7633, J7634",
            DrugRow("Budesonide inhalation solution, concentrated form", "0.25 mg", "INH", ("J7633", "J7634")),
        ),
        (
            "Factor IX (anti-hemophilic factor, recombinant) per IU IV J7195, J7200-J7202",
            DrugRow("Factor IX (anti-hemophilic factor, recombinant)", "per IU", "IV", ("J7195", "J7200-J7202")),
        ),
        ("Temozolomide 1 mg IV J9328 5", DrugRow("Temozolomide", "1 mg", "IV", ("J9328",))),
        ("Sirolimus  1 mg  Oral  J7520", DrugRow("Sirolimus", "1 mg", "ORAL", ("J7520",))),
        ("Alphanate    J7186", DrugRow("Alphanate", "", "", ("J7186",))),
        ("Diclofenac sodium  37.5  IV  J1130", DrugRow("Diclofenac sodium", "37.5", "IV", ("J1130",))),
        ("Hylan G-F 20  OTH  J7322", DrugRow("Hylan G-F 20", "", "OTH", ("J7322",))),
        ("Abbokinase, see Urokinase     ", DrugSee("Abbokinase", "Urokinase")),
        ("Thymoglobulin, also see Immune globulin", DrugSee("Thymoglobulin", "Immune globulin")),
        ("Cimzia, see Certolizumab pegol       ORAL           Q4079", DrugSee("Cimzia", "Certolizumab pegol")),
        ("B  ", None),
        ("instillation", None),
    ],
)
def test_row_parser(line: str, expected: DrugRow | DrugSee | None) -> None:
    assert parse_row(line) == expected


def test_name_and_unit_split() -> None:
    assert split_name_unit("Alpha 1-proteinase inhibitor, human  10 mg") == (
        "Alpha 1-proteinase inhibitor, human",
        "10 mg",
    )
    assert split_name_unit("Dextran 40  500 ml") == ("Dextran 40", "500 ml")
    assert split_name_unit("mg") == ("", "mg")


def test_wrapped_and_continuation_rows() -> None:
    pages = [
        [
            "A",
            "Argatroban (for non-esrd use)  1 mg  IV  J0883",
            "(for esrd use)  1 mg  IV  J0884",
            "BCG (Bacillus Calmette and Guerin), live  per vial  IV  J9031",
            " instillation",
            "Betamethasone acetate",
            "& betamethasone  sodium  phosphate  per 3  mg  IM  J0702",
            "Bicillin C-R 900/300, see Penicillin G procaine and penicillin G",
            "benzathine",
            "Factor VIII (anti-hemophilic factor, recombinant) per IU IV  J7182, J7185, J7192,",
            "J7188",
            "Methotrexate sodium 5 mg IV, IM, IT, IA J9250",
            "50 mg IV, IM, IT, IA J9260",
            "Ciprofloxacin  200  mg  IV  J0706",
            "octic  suspension  6  mg  OTH  J7342",
            "Not otherwise classified drugs, anti-neoplastic J9999 Not",
            "5",
        ]
    ]
    table = parse_drug_table(pages)
    names = [(row.name, row.unit, row.codes) for row in table.rows]
    assert names == [
        ("Argatroban (for non-esrd use)", "1 mg", ("J0883",)),
        ("Argatroban (for esrd use)", "1 mg", ("J0884",)),
        ("BCG (Bacillus Calmette and Guerin), live", "per vial", ("J9031",)),
        ("Betamethasone acetate & betamethasone sodium phosphate", "per 3 mg", ("J0702",)),
        ("Factor VIII (anti-hemophilic factor, recombinant)", "per IU", ("J7182", "J7185", "J7192", "J7188")),
        ("Methotrexate sodium", "5 mg", ("J9250",)),
        ("Methotrexate sodium", "50 mg", ("J9260",)),
        ("Ciprofloxacin", "200 mg", ("J0706",)),
        ("Ciprofloxacin, octic suspension", "6 mg", ("J7342",)),
    ]
    assert table.sees == [DrugSee("Bicillin C-R 900/300", "Penicillin G procaine and penicillin G benzathine")]
    assert "instillation" in table.skipped
    assert "Not otherwise classified drugs, anti-neoplastic J9999 Not" in table.skipped


def test_index_entries() -> None:
    assert parse_entry("Abduction rotation bar, foot, L3140-L3170") == (
        "Abduction rotation bar, foot",
        (("L3140", "L3170"),),
    )
    assert parse_entry("Durable medical equipment (DME), E0100-E1830, K Codes")[1] == (("E0100", "E1830"),)
    assert parse_entry("administration, Q0083-Q0085 (hospital reporting only)") == (
        "administration",
        (("Q0083", "Q0085"),),
    )
    pages = [
        [
            "2019 HCPCS Alpha-Numeric Index 1",
            "notice text before the letters, J0000",
            "A",
            "Abatacept, J0129",
            "Abdomen",
            "dressing holder/binder, A4462",
            "Accessories",
            "artificial kidney and machine (see also ESRD), E1510-E1699",
        ],
        [
            "2019 HCPCS Alpha-Numeric Index 2",
            "Hearing devices, V5000-V5169, V5221-",
            "V5299, L8614",
            "ESRD (End Stage Renal Disease; see also Dialysis)",
            "Corvert, see Ibutilide fumarate",
            "shoe, see Boots",
            "Last Updated October 26, 2018",
        ],
    ]
    entries = parse_alpha_index(pages).entries
    assert [(e.path, e.codes, e.see, e.see_also) for e in entries] == [
        (("Abatacept",), (("J0129", ""),), "", ""),
        (("Abdomen", "dressing holder/binder"), (("A4462", ""),), "", ""),
        (("Accessories", "artificial kidney and machine"), (("E1510", "E1699"),), "", "ESRD"),
        (("Hearing devices",), (("V5000", "V5169"), ("V5221", "V5299"), ("L8614", "")), "", ""),
        (("ESRD (End Stage Renal Disease)",), (), "", "Dialysis"),
        (("Corvert",), (), "Ibutilide fumarate", ""),
        (("Corvert", "shoe"), (), "Boots", ""),
    ]


def test_pdf_text_layer(drug_pdf: Path) -> None:
    pages = page_lines(drug_pdf.read_bytes(), drug_pdf.name)
    assert len(pages) == 2
    assert "Supplyzumab, injection  5 mg  SC  A9901" in pages[1]  # CMS's 'IVection' typo repaired
