"""The synonym list: well formed, no duplicates, every target found in the official titles."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from desktop.core.paths import resources_dir
from desktop.core.records import CodeSet
from desktop.core.schema import STOP_WORDS
from desktop.core.search.query import parse, stem
from desktop.core.search.synonyms import FILE_NAME, Synonym, SynonymTable, parse_lines

SYNONYMS = SynonymTable.load().entries


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in re.findall(r"\w+", text.lower()) if word not in STOP_WORDS)


def _unresolved(code_set: CodeSet, lines: list[frozenset[str]]) -> list[str]:
    """Synonyms of code_set whose target words never occur together in one line."""
    where: dict[str, set[int]] = {}
    for number, line in enumerate(lines):
        for word in line:
            where.setdefault(word, set()).add(number)
    missing = []
    for entry in SYNONYMS:
        if entry.code_set == code_set:
            found = [where.get(word, set()) for word in _stems(entry.target)]
            if not set.intersection(*found):
                missing.append(f"{entry.lay} -> {entry.target}")
    return missing


def test_the_list_is_well_formed_and_large_enough() -> None:
    text = (resources_dir() / FILE_NAME).read_text(encoding="utf-8")
    entries = parse_lines(text.splitlines())
    assert len(entries) >= 300
    assert {e.code_set for e in entries} <= {str(c) for c in CodeSet}
    assert {e.code_set for e in entries} >= {"ICD-10-CM", "ICD-10-PCS", "HCPCS"}
    assert all(e.lay == e.lay.lower() and e.target == e.target.lower() for e in entries)


def test_no_duplicates_and_no_line_maps_a_term_to_itself() -> None:
    pairs = [(e.lay, e.target) for e in SYNONYMS]
    assert len(pairs) == len(set(pairs))
    assert not [e.lay for e in SYNONYMS if _stems(e.lay) == _stems(e.target)]


def test_bad_lines_are_rejected_with_their_line_number() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_lines(["# comment", "heart attack\tmyocardial infarction"])
    with pytest.raises(ValueError, match="line 1"):
        parse_lines(["the\tof\tICD-10-CM"])


def test_phrases_are_found_in_a_query_longest_first() -> None:
    table = SynonymTable(
        [
            Synonym(
                "heart attack", "acute myocardial infarction", "ICD-10-CM", ("heart", "attack"), ("heart", "attack")
            ),
            Synonym("attack", "assault", "ICD-10-CM", ("attack",), ("attack",)),
        ]
    )
    query = parse("old heart attacks ")
    variants = table.variants(query.words, query.stems, query.partial)
    assert [v.words for v in variants] == [("old", "acute", "myocardial", "infarction"), ("old", "heart", "assault")]
    assert variants[0].label == "heart attack → acute myocardial infarction"
    assert variants[0].label[variants[0].target_start :] == "acute myocardial infarction"
    typing = parse("heart atta")
    assert table.variants(typing.words, typing.stems, typing.partial)[0].synonym.lay == "heart attack"


@pytest.fixture(scope="module")
def cm_lines() -> list[frozenset[str]]:
    """Titles and inclusion terms of the ICD-10-CM tabular shipped in simple-icd-10-cm."""
    spec = importlib.util.find_spec("simple_icd_10_cm")  # importing it would load all its data
    assert spec is not None and spec.submodule_search_locations
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    tabular = next(data.glob("icd10c-tabular*.xml"))
    return [
        _stems(element.text)
        for element in ET.parse(str(tabular)).getroot().iter()
        if element.tag in ("desc", "note") and element.text
    ]


def test_icd10cm_targets_are_in_the_tabular(cm_lines: list[frozenset[str]]) -> None:
    assert _unresolved(CodeSet.ICD10CM, cm_lines) == []


def test_pcs_targets_are_in_the_tables(real_sources: Path) -> None:
    lines = []
    for path in real_sources.rglob("icd10pcs_tables_*.xml"):
        for table in ET.parse(path).getroot().iter("pcsTable"):
            head = " ".join(label.text or "" for axis in table.findall("axis") for label in axis.iter("label"))
            for row in table.iter("pcsRow"):
                lines.append(_stems(head + " " + " ".join(label.text or "" for label in row.iter("label"))))
    assert lines
    assert _unresolved(CodeSet.ICD10PCS, lines) == []


def test_hcpcs_targets_are_in_the_descriptions(real_sources: Path) -> None:
    lines = []
    for path in real_sources.rglob("*alpha-numeric-hcpcs-file.zip"):
        with zipfile.ZipFile(path) as archive:
            member = next(n for n in archive.namelist() if re.search(r"ANWEB_\d+\.txt$", n))
            text = archive.read(member).decode("cp1252")
        current: list[str] = []
        for line in text.splitlines():
            if len(line) > 11 and line[10] in "37":
                lines.append(_stems(" ".join(current)))
                current = [line[11:91]]
            elif len(line) > 11 and line[10] in "48":
                current.append(line[11:91])
        lines.append(_stems(" ".join(current)))
    assert len(lines) > 1000
    assert _unresolved(CodeSet.HCPCS, lines) == []
