"""CombinedEngine: the main index and an imported (synthetic) CPT index searched and read as one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.records import CodeSet, Hit, Kind, SearchFilters
from desktop.core.search.cache import FILE_NAME as CACHE_NAME
from desktop.core.search.combined import CombinedEngine, CombinedIndex, merge_hits, open_combined
from desktop.core.search.engine import SearchEngine
from index_build import cpt_import

AMA_STYLE = ("LONGULT.txt", "MEDU.txt", "SHORTU.txt", "MODUL.txt")


@pytest.fixture(scope="module")
def cpt_index(fixtures_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CPT index imported from the synthetic AMA-style fixture files (no real CPT text)."""
    folder = tmp_path_factory.mktemp("cpt") / "cpt"
    plan = cpt_import.inspect([fixtures_dir / "cpt" / name for name in AMA_STYLE])
    cpt_import.write(plan, lambda line: None, folder)
    return folder


@pytest.fixture(scope="module")
def combined(small_index: Path, cpt_index: Path) -> Iterator[CombinedEngine]:
    engine = open_combined(SearchEngine(small_index, warm_up=False), cpt_index)
    engine.strict = True
    yield engine
    engine.close()


def test_import_writes_the_search_cache(cpt_index: Path) -> None:
    assert (cpt_index / CACHE_NAME).is_file()


def test_code_number_finds_the_cpt_code_first(combined: CombinedEngine) -> None:
    result = combined.search("33999")
    assert result.hits[0].code == "33999" and result.hits[0].code_set is CodeSet.CPT
    assert result.total >= 1


def test_descriptor_word_finds_the_cpt_code(combined: CombinedEngine) -> None:
    result = combined.search("cardiovascular")
    found = [(hit.code_set, hit.code) for hit in result.hits]
    assert (CodeSet.CPT, "33999") in found


def test_main_index_still_searched(combined: CombinedEngine, small_index: Path) -> None:
    alone = SearchEngine(small_index, warm_up=False)
    try:
        expected = alone.search("E11.9")
    finally:
        alone.close()
    result = combined.search("E11.9")
    assert result.hits[0].code == "E11.9" and result.hits[0].code_set is CodeSet.ICD10CM
    assert result.total >= expected.total


def test_filters_respect_code_sets(combined: CombinedEngine) -> None:
    only_cm = combined.search("33999", SearchFilters(code_sets=frozenset({CodeSet.ICD10CM})))
    assert all(hit.code_set is CodeSet.ICD10CM for hit in only_cm.hits)
    only_cpt = combined.search("synthetic", SearchFilters(code_sets=frozenset({CodeSet.CPT})))
    assert only_cpt.hits and all(hit.code_set is CodeSet.CPT for hit in only_cpt.hits)


def test_index_routes_by_code_set(combined: CombinedEngine) -> None:
    index = combined.index
    assert isinstance(index, CombinedIndex)
    detail = index.detail(CodeSet.CPT, "33999")
    assert detail is not None
    assert detail.record.title == "Synthetic test procedure cardiovascular one, long form"
    assert [a.code for a in detail.ancestors] == ["10004-69990", "33016-37799"]
    assert index.detail(CodeSet.ICD10CM, "E11.9") is not None
    assert index.record(CodeSet.CPT, "E11.9") is None
    assert [c.code for c in index.children(CodeSet.CPT, "33016-37799")] == ["33999"]
    assert [m.code for m in index.records_of_kind(CodeSet.CPT, Kind.MODIFIER)] == ["1P", "25", "59", "99", "TC"]
    assert all(m.code_set is CodeSet.HCPCS for m in index.records_of_kind(CodeSet.HCPCS, Kind.MODIFIER))


def test_merged_manifest_lists_cpt(combined: CombinedEngine, small_index: Path) -> None:
    index = combined.index
    assert isinstance(index, CombinedIndex)
    sets = [str(item["code_set"]) for item in index.manifest.code_sets]
    assert "CPT" in sets and "ICD-10-CM" in sets
    assert [str(item["code_set"]) for item in index.releases()] == sets
    assert index.cpt_manifest.code_sets[0]["code_set"] == "CPT"
    assert "CPT" not in [str(item["code_set"]) for item in index.main.manifest.code_sets]


def test_without_cpt_nothing_changes(small_index: Path) -> None:
    engine = open_combined(SearchEngine(small_index, warm_up=False), None)
    try:
        assert engine.cpt is None and engine.problem == ""
        assert not isinstance(engine.index, CombinedIndex)
        assert "CPT" not in {str(item["code_set"]) for item in engine.index.releases()}
        assert not any(hit.code_set is CodeSet.CPT for hit in engine.search("synthetic").hits)
    finally:
        engine.close()


def test_damaged_cpt_index_is_left_out_and_reported(small_index: Path, tmp_path: Path) -> None:
    broken = tmp_path / "cpt"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json", encoding="utf-8")
    engine = open_combined(SearchEngine(small_index, warm_up=False), broken)
    try:
        assert engine.cpt is None and "CPT" in engine.problem
        assert engine.search("E11.9").hits[0].code == "E11.9"
    finally:
        engine.close()


def _hit(code: str, code_set: CodeSet, score: float) -> Hit:
    return Hit(code, code_set, "Synthetic", Kind.CODE, True, score, doc_id=f"{code_set}:{code}")


def test_merge_keeps_each_code_set_in_one_block_the_typed_code_first() -> None:
    main = [_hit("99", CodeSet.HCPCS, 1000.0), _hit("A1234", CodeSet.HCPCS, 50.0), _hit("S99", CodeSet.ICD10CM, 40.0)]
    cpt = [_hit("99", CodeSet.CPT, 1000.0), _hit("99213", CodeSet.CPT, 80.0)]
    merged = merge_hits("99", main, cpt, 10)
    # By score alone CPT 99213 (80) went between HCPCS 99 and HCPCS A1234: code sets interleaved.
    assert [(h.code_set, h.code) for h in merged] == [
        (CodeSet.HCPCS, "99"),
        (CodeSet.HCPCS, "A1234"),
        (CodeSet.CPT, "99"),
        (CodeSet.CPT, "99213"),
        (CodeSet.ICD10CM, "S99"),
    ]
    words = merge_hits("synthetic", [_hit("E11.9", CodeSet.ICD10CM, 90.0)], [_hit("99213", CodeSet.CPT, 95.0)], 10)
    assert [h.code for h in words] == ["99213", "E11.9"]  # the better best hit leads
    assert len(merge_hits("99", main, cpt, 2)) == 2


@pytest.fixture(scope="module")
def made_up_cpt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CPT import of files written here: made-up codes and descriptors (never AMA text)."""
    source = tmp_path_factory.mktemp("made_up_cpt")
    (source / "LONGULT.txt").write_text(
        "59000\tMade-up procedure for a merge test, long form\n59001\tAnother made-up procedure for a merge test\n",
        encoding="utf-8",
    )
    (source / "MODUL.txt").write_text(
        "59\tMade-up modifier: a distinct procedural service\nZZ\tMade-up modifier: another one\n",
        encoding="utf-8",
    )
    folder = tmp_path_factory.mktemp("made_up_cpt_index") / "cpt"
    cpt_import.write(cpt_import.inspect([source / "LONGULT.txt", source / "MODUL.txt"]), lambda line: None, folder)
    return folder


def test_59_reaches_the_imported_cpt_modifier_and_the_level_two_look_alikes(made_up_cpt: Path, tmp_path: Path) -> None:
    from tests.core.search_fixture import write_search_index

    main = SearchEngine(write_search_index(tmp_path / "main"), warm_up=False)
    engine = open_combined(main, made_up_cpt)
    engine.strict = True
    try:
        assert engine.problem == ""
        found = [(hit.code_set, hit.code) for hit in engine.search("59").hits]
    finally:
        engine.close()
    assert found[0] == (CodeSet.CPT, "59")
    level_two = [code for code_set, code in found if code_set is CodeSet.HCPCS]
    assert set(level_two[:4]) == {"XE", "XP", "XS", "XU"}
    sets = [code_set for code_set, _code in found]
    assert sets == sorted(sets, key=sets.index)  # each code set in one block
