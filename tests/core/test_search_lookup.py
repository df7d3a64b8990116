"""Code-shaped input: terminated codes typed exactly, CPT-modifier look-alikes, and the one filter mask."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.core.records import CodeRecord, CodeSet, Kind, SearchFilters
from desktop.core.search.code_lookup import load_lookalikes, parse_lookalikes
from desktop.core.search.engine import SearchEngine
from tests.core.search_fixture import ready_engine, write_records, write_search_index


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    with ready_engine(write_search_index(tmp_path_factory.mktemp("lookup") / "index")) as found:
        yield found


def test_a_terminated_code_typed_exactly_is_shown_and_marked(engine: SearchEngine) -> None:
    for typed in ("G0202", "g0202", "G0202 "):
        hits = engine.search(typed).hits
        assert hits and (hits[0].code, hits[0].terminated) == ("G0202", True), typed
    assert "G0202" not in [h.code for h in engine.search("G02").hits]  # listings still leave it out
    assert "G0202" not in [h.code for h in engine.search("screening mammography").hits]


def test_cpt_modifier_59_points_to_the_x_modifiers(engine: SearchEngine) -> None:
    hits = engine.search("59").hits
    assert [h.code for h in hits[:4]] == ["XE", "XS", "XP", "XU"]
    assert all(h.code_set is CodeSet.HCPCS and "59" in h.matched_text for h in hits[:4])
    assert [h.code for h in engine.search("50").hits[:2]] == ["RT", "LT"]
    assert engine.search("59", SearchFilters(code_sets=frozenset({CodeSet.ICD10CM}))).hits == ()


def test_the_lookalike_table_reads_and_rejects_bad_lines() -> None:
    table = parse_lookalikes(["# c", "59\tXE, XS\tdistinct service"])
    assert table["59"].level_two == ("XE", "XS")
    with pytest.raises(ValueError, match=r"line 1"):
        parse_lookalikes(["59\t\twhy"])
    shipped = load_lookalikes()
    assert set(shipped["59"].level_two) == {"XE", "XP", "XS", "XU"}


def test_a_page_of_30_reaches_the_end_of_a_small_family_among_many_other_keys(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """E06.9 is key E069, after HCPCS E0600-E0699: the listing read too few keys for a page of 30."""
    cm = [CodeRecord(CodeSet.ICD10CM, "E06", "Thyroiditis", Kind.CATEGORY)]
    cm += [
        CodeRecord(CodeSet.ICD10CM, f"E06.{n}", f"Thyroiditis kind {n}", Kind.SUBCATEGORY, parent="E06", billable=True)
        for n in (0, 1, 2, 3, 4, 5, 9)
    ]
    hcpcs = [
        CodeRecord(CodeSet.HCPCS, f"E06{n:02d}", f"Respiratory item {n}", Kind.CODE, billable=True) for n in range(90)
    ]
    with ready_engine(write_records(tmp_path_factory.mktemp("e06") / "index", cm + hcpcs)) as engine:
        found = [h.code for h in engine.search("E06", limit=30).hits]
    assert found[:9] == ["E06", "E06.0", "E06.1", "E06.2", "E06.3", "E06.4", "E06.5", "E06.9", "E0600"], found
