"""Suffix-formed procedure words the index lacks reach their root operation and body part."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.core.records import CodeRecord, CodeSet, IndexTerm, Kind
from desktop.core.search.engine import SearchEngine
from desktop.core.search.equivalents import Equivalents, parse_procedure_words
from tests.core.search_fixture import codes, ready_engine, write_records

PCS, CM = CodeSet.ICD10PCS, CodeSet.ICD10CM


def _records() -> list[CodeRecord]:
    rows = [
        CodeRecord(PCS, "06B", "Excision of lower veins", Kind.PCS_TABLE),
        CodeRecord(PCS, "06BY", "Excision of Lower Vein", Kind.PCS_BODY_PART, parent="06B"),
        CodeRecord(
            PCS, "06BY0ZC", "Excision of Lower Vein, Hemorrhoidal Plexus, Open Approach", Kind.CODE, "06BY", True
        ),
        CodeRecord(PCS, "0D8", "Division of gastrointestinal system", Kind.PCS_TABLE),
        CodeRecord(PCS, "0D87", "Division of Stomach, Pylorus", Kind.PCS_BODY_PART, parent="0D8"),
        CodeRecord(PCS, "0D870ZZ", "Division of Stomach, Pylorus, Open Approach", Kind.CODE, "0D87", True),
        CodeRecord(
            PCS, "0D874ZZ", "Division of Stomach, Pylorus, Percutaneous Endoscopic Approach", Kind.CODE, "0D87", True
        ),
        CodeRecord(PCS, "0D9", "Drainage of gastrointestinal system", Kind.PCS_TABLE),
        CodeRecord(PCS, "0D9E0ZZ", "Drainage of Large Intestine, Open Approach", Kind.CODE, "0D9", True),
        CodeRecord(PCS, "0DJ", "Inspection of gastrointestinal system", Kind.PCS_TABLE),
        CodeRecord(PCS, "0DJD", "Inspection of Lower Intestinal Tract", Kind.PCS_BODY_PART, parent="0DJ"),
        CodeRecord(
            PCS,
            "0DJD8ZZ",
            "Inspection of Lower Intestinal Tract, Via Natural or Artificial Opening Endoscopic",
            Kind.CODE,
            "0DJD",
            True,
        ),
        CodeRecord(PCS, "0DBN0ZZ", "Excision of Sigmoid Colon, Open Approach", Kind.CODE, "0D9", True),
        CodeRecord(PCS, "0TC", "Extirpation of urinary system", Kind.PCS_TABLE),
        CodeRecord(
            PCS, "0TC30ZZ", "Extirpation of Matter from Right Kidney Pelvis, Open Approach", Kind.CODE, "0TC", True
        ),
        CodeRecord(PCS, "07C", "Extirpation of lymphatic and hemic systems", Kind.PCS_TABLE),
        CodeRecord(
            PCS, "07CC0ZZ", "Extirpation of Matter from Pelvis Lymphatic, Open Approach", Kind.CODE, "07C", True
        ),
        CodeRecord(CM, "K31", "Other diseases of stomach and duodenum", Kind.CATEGORY),
        CodeRecord(CM, "K31.3", "Pylorospasm, not elsewhere classified", Kind.CODE, "K31", True),
        CodeRecord(CM, "K64", "Hemorrhoids and perianal venous thrombosis", Kind.CATEGORY),
        CodeRecord(CM, "K64.9", "Unspecified hemorrhoids", Kind.CODE, "K64", True),
    ]
    return [replace(r, order=n) for n, r in enumerate(rows)]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    folder = write_records(
        tmp_path_factory.mktemp("suffixes"), _records(), [IndexTerm(PCS, "pcs", ("Colonoscopy",), "0DJD")]
    )
    with ready_engine(folder) as ready:
        yield ready


def test_hemorrhoidectomy_reaches_excision_of_the_hemorrhoidal_plexus(engine: SearchEngine) -> None:
    result = engine.search("hemorrhoidectomy")
    assert [hit.code for hit in result.hits][:1] == ["06BY0ZC"]  # was: nothing, "No match for hemorrhoidectomy"
    assert "No match" not in result.note


def test_pyloromyotomy_reaches_division_of_the_pylorus(engine: SearchEngine) -> None:
    assert codes(engine, "pyloromyotomy")[0] in {"0D87", "0D870ZZ"}
    assert "K31.3" not in codes(engine, "pyloromyotomy")[:3]  # 'pyloro' would have meant pylorospasm
    assert codes(engine, "laparoscopic pyloromyotomy")[0] == "0D874ZZ"


def test_a_root_the_table_names_in_another_word(engine: SearchEngine) -> None:
    assert codes(engine, "enterotomy ")[0] == "0D9E0ZZ"  # entero -> intestine, -otomy -> drainage


def test_a_root_the_tables_name_in_two_words_needs_both(engine: SearchEngine) -> None:
    # pyelo -> kidney pelvis (resources/procedure_words.tsv), -lithotomy -> extirpation: the pelvis
    # lymphatic says 'pelvis' alone and comes after (it came first when pyelo stood for 'pelvis').
    found = codes(engine, "pyelolithotomy")
    assert found[0] == "0TC30ZZ"


def test_a_mistyped_procedure_word_is_corrected_not_split(engine: SearchEngine) -> None:
    result = engine.search("colonscopy")  # colon + -scopy would be any inspection; it is colonoscopy mistyped
    assert result.hits[0].code == "0DJD" and result.corrected_query == "colonoscopy"


def test_split_takes_the_longest_suffix_and_the_mapped_root() -> None:
    table = parse_procedure_words(
        [
            "suffix\totomy\tdrainage,division",
            "suffix\tmyotomy\tdivision",
            "suffix\tlithotomy\textirpation",
            "root\tpyelo\tpelvis",
        ]
    )
    equivalents = Equivalents([], table)
    assert equivalents.split("pyloromyotomy") == ("myotomy", ("pyloro", "pylor"))
    assert equivalents.split("pyelolithotomy") == ("lithotomy", ("pelvis", "pyelo", "pyel"))
    assert equivalents.split("otomy") is None and equivalents.split("appendix") is None
    assert equivalents.of("myotomi") == ("divis",)


def test_a_bad_root_line_names_the_file_and_line() -> None:
    with pytest.raises(ValueError, match=r"procedure_words.tsv, line 2"):
        parse_procedure_words(["root\tpyelo\tpelvis", "rooty\tpyelo\tpelvis"])


def test_without_icd10pcs_a_procedure_word_is_not_split_into_a_diagnosis(tmp_path: Path) -> None:
    from index_build.manifest import make_manifest
    from index_build.sources.base import Parsed
    from index_build.writer import write_index

    parsed = Parsed()
    parsed.records = [
        CodeRecord(CM, "K35", "Acute appendicitis", Kind.CATEGORY, order=0),
        CodeRecord(CM, "K35.80", "Unspecified acute appendicitis", Kind.CODE, "K35", True, order=1),
    ]
    write_index(tmp_path, parsed, make_manifest({"all": parsed}, [], 0.0), lambda line: None)
    with ready_engine(tmp_path) as cm_only:
        # 'append' + -ectomy found appendicitis; with no PCS the answer is nothing, and the missing file is named.
        assert codes(cm_only, "appendectomy") == []
