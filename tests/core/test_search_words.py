"""Issue 11 on a small index: anatomical adjectives, billable children, code-set blocks, load more, notes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.records import CodeSet, SearchFilters
from desktop.core.search.engine import SearchEngine
from desktop.core.search.equivalents import Equivalents, parse_pairs
from tests.core.search_fixture import codes, ready_engine, write_search_index

CM, HCPCS = CodeSet.ICD10CM, CodeSet.HCPCS


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with ready_engine(write_search_index(tmp_path_factory.mktemp("words") / "index")) as found:
        yield found


def test_an_anatomical_adjective_reaches_its_noun(engine: SearchEngine) -> None:
    found = codes(engine, "fracture of left femoral neck, initial encounter")
    assert found[0] == "S72.002A"  # not S12.9XXA, the cervical neck
    assert found.index("S72.002A") < found.index("S12.9XXA") if "S12.9XXA" in found else True
    assert codes(engine, "femoral neck fracture")[0].startswith("S72.0")


def test_laterality_and_encounter_words_steer_to_the_matching_code(engine: SearchEngine) -> None:
    assert codes(engine, "fracture of right femoral neck initial encounter")[0] == "S72.001A"
    assert codes(engine, "fracture of left femur neck subsequent encounter")[0] == "S72.002D"


def test_the_anatomy_table_reads_and_rejects_bad_lines() -> None:
    table = Equivalents(parse_pairs(["# comment", "femoral\tfemur", "renal\tkidney"]))
    assert table.of("femor") == ("femur",) and table.of("femur") == ("femor",) and table.of("kidnei") == ("renal",)
    with pytest.raises(ValueError, match=r"anatomy.tsv, line 2"):
        parse_pairs(["renal\tkidney", "heart muscle\tmyocardial"])
    shipped = Equivalents.load()
    for adjective, noun in [("femor", "femur"), ("renal", "kidnei"), ("hepat", "liver"), ("cardiac", "heart")]:
        assert noun in shipped.of(adjective), adjective
    for adjective, noun in [("pulmonari", "lung"), ("gastric", "stomach"), ("cerebr", "brain"), ("ocular", "eye")]:
        assert noun in shipped.of(adjective), adjective
    assert "skin" in shipped.of("cutan") and len(shipped) > 150


def test_billable_only_answers_with_the_billable_children(engine: SearchEngine) -> None:
    found = codes(engine, "acetaminophen overdose", billable_only=True)
    assert "T39.1X1A" in found and "T39.1X1S" in found and "T39.1X1" not in found
    assert all(h.billable for h in engine.search("acetaminophen", SearchFilters(billable_only=True)).hits)
    assert codes(engine, "acetaminophen", billable_only=True).count("T39.1X1A") == 1


def test_a_lay_word_names_the_code_set_though_its_synonym_matched_no_line(engine: SearchEngine) -> None:
    """'overdose' -> 'poisoning' (ICD-10-CM): the Table of Drugs has 'acetaminophen' in one column and
    'poisoning' in another, so no line holds both; an injection's title (HCPCS) holds 'acetaminophen'."""
    hits = engine.search("acetaminophen overdose").hits
    assert hits[0].code_set is CM and hits[0].code.startswith("T39.1X"), [(h.code, h.code_set.value) for h in hits]
    # Under Billable only, a heading's codes come in code order at its place, each once.
    found = codes(engine, "acetaminophen overdose", billable_only=True)
    assert found[:2] == ["T39.1X1A", "T39.1X1S"], found  # the small index has no D
    assert len(found) == len(set(found))


def test_every_hit_names_the_code_it_sits_under(engine: SearchEngine) -> None:
    hits = {h.code: h for h in engine.search("fracture of left femur neck", limit=50).hits}
    assert hits["S72.002A"].parent == "S72.002" and hits["S72.002"].parent == "S72.00"
    assert engine.search("0DTJ4ZZ").hits[0].parent == "0DTJ"


def test_code_sets_come_in_blocks_the_likeliest_first(engine: SearchEngine) -> None:
    hits = engine.search("acute myocardial infarction").hits
    sets = [h.code_set for h in hits]
    assert sets[0] is CM and HCPCS in sets
    changes = sum(1 for a, b in itertools.pairwise(sets) if a is not b)
    assert changes == 1, [(h.code, h.code_set.value) for h in hits]  # CM rows, then the HCPCS row below
    assert next(h.code_set for h in engine.search("acetaminophen injection").hits) is HCPCS


@pytest.mark.parametrize("text", ["fracture", "fracture of neck", "poisoning", "acute", "S72"])
def test_a_larger_limit_keeps_the_first_hits_and_adds_more(engine: SearchEngine, text: str) -> None:
    first = engine.search(text, limit=3)
    more = engine.search(text, limit=6)
    assert more.hits[:3] == first.hits
    assert len(more.hits) > 3 and first.total >= len(more.hits)


def test_a_corrected_query_and_ignored_words_are_reported(engine: SearchEngine) -> None:
    found = engine.search("zzz999 %%% ;fracture")
    assert found.ignored_words == ("zzz999", "%%%")
    assert "No match for zzz999, %%%" in found.note and found.hits and found.hits[0].code.startswith("S")
    assert engine.search("%%%").ignored_words == ("%%%",) and engine.search("%%%").note
    fixed = engine.search("fractre of femur")
    assert fixed.corrected_query == "fracture femur" and fixed.note == "Showing results for fracture femur"
    assert engine.search("fracture").corrected_query == "" and engine.search("fracture").ignored_words == ()


def test_the_vocabulary_delay_is_injectable(tmp_path: Path) -> None:
    engine = SearchEngine(write_search_index(tmp_path / "index"), vocabulary_delay=0.0)
    try:
        assert engine.wait_ready(5)  # with the default 3 s delay and no search, ready only after 3 s
        assert engine._vocabulary is not None
    finally:
        engine.close()


def test_procedure_words_read_and_mean_icd10pcs() -> None:
    from desktop.core.search.equivalents import ProcedureWord, parse_procedure_words

    rows = parse_procedure_words(["# c", "word\tstent\tintraluminal", "suffix\tectomy\tresection,excision"])
    assert rows == [
        ProcedureWord("word", "stent", ("intraluminal",)),
        ProcedureWord("suffix", "ectomy", ("resection", "excision")),
    ]
    with pytest.raises(ValueError, match=r"procedure_words.tsv, line 1"):
        parse_procedure_words(["noun\tstent\tintraluminal"])
    table = Equivalents([], rows)
    assert table.of("stent") == ("intralumin",) and table.of("intralumin") == ()  # one way only
    assert table.means_procedure(("hemorrhoidectomy",), ("hemorrhoidectomi",))
    assert not table.means_procedure(("femur", "fracture"), ("femur", "fractur"))
    shipped = Equivalents.load()
    assert shipped.means_procedure(("laparoscopic", "appendectomy"), ("laparoscop", "appendectomi"))


def test_procedure_wording_ranks_icd10pcs_first(engine: SearchEngine) -> None:
    hits = engine.search("appendectomy open").hits
    assert hits[0].code_set is CodeSet.ICD10PCS and "0DTJ0ZZ" in [h.code for h in hits[:3]]


def test_the_word_tables_are_read_at_the_first_word_search_not_at_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsing and stemming resources/synonyms.tsv and anatomy.tsv is kept off start-up: a code lookup
    never reads them, the first word search reads each once, and a later search reads nothing again."""
    from desktop.core.search import word_search

    reads: list[str] = []
    real_synonyms, real_equivalents = word_search.SynonymTable.load, word_search.Equivalents.load
    monkeypatch.setattr(word_search.SynonymTable, "load", lambda: reads.append("synonyms") or real_synonyms())
    monkeypatch.setattr(word_search.Equivalents, "load", lambda: reads.append("anatomy") or real_equivalents())
    folder = write_search_index(tmp_path / "index")
    found = SearchEngine(folder, warm_up=False)
    try:
        found.strict = True
        assert reads == []
        assert codes(found, "S72.001A")[0] == "S72.001A" and reads == []
        assert codes(found, "heart attack")[0].startswith("I21") and reads == ["synonyms", "anatomy"]
        assert codes(found, "femoral neck fracture")[0].startswith("S72.0") and reads == ["synonyms", "anatomy"]
    finally:
        found.close()
