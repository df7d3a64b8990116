"""The ICD-10-PCS code builder on table 0DT as CMS publishes it (rows 2 and 3 both hold the appendix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.pcs_builder import BuilderState, Option, build_state, leads_to, pick, picks_of_code
from desktop.core.records import CodeRecord, CodeSet, Kind
from index_build.sources import icd10pcs

TABLES = Path(__file__).resolve().parents[1] / "desktop" / "fixtures" / "tabs" / "icd10pcs_tables_2026.xml"


@pytest.fixture(scope="module")
def table() -> CodeRecord:
    source = icd10pcs.detect(TABLES, "", TABLES.read_bytes()[:65536])
    assert source is not None
    records = icd10pcs.build([source], lambda line: None).records
    return next(r for r in records if r.code_set is CodeSet.ICD10PCS and r.kind is Kind.PCS_TABLE and r.code == "0DT")


def option(state: BuilderState, position: int, value: str) -> Option:
    entry = next(p for p in state.positions if p.position == position)
    return next(o for o in entry.options if o.value == value)


def test_the_whole_table_with_nothing_picked(table: CodeRecord) -> None:
    state = build_state(table, {})
    assert [p.name for p in state.positions] == ["Body Part", "Approach", "Device", "Qualifier"]
    assert [o.value for o in state.positions[0].options] == ["6", "F", "J", "P", "R", "U"]  # every row's values
    assert [o.value for o in state.positions[1].options] == ["0", "4", "7", "8"]
    assert all(o.allowed for p in state.positions for o in p.options)
    assert state.remaining == 8 + 6 + 4 + 4 and state.code == ""
    assert option(state, 6, "Z").implied  # one device value in the whole table


def test_choices_narrow_as_values_are_picked(table: CodeRecord) -> None:
    state = build_state(table, {4: "J"})
    assert {o.value for o in state.positions[1].options if o.allowed} == {"0", "4", "7", "8"}
    assert state.remaining == 3 + 2
    open_approach = build_state(table, {4: "J", 5: "0"})
    hand = option(open_approach, 7, "G")
    assert not hand.allowed and hand.conflicts == (5,)  # hand-assisted only with the percutaneous endoscopic approach
    assert option(open_approach, 7, "Z").implied
    assert open_approach.code == "0DTJ0ZZ" and open_approach.remaining == 1
    # The omentum's row holds approaches 0 and 4 only.
    omentum = build_state(table, {4: "U"})
    assert not option(omentum, 5, "7").allowed and option(omentum, 5, "7").conflicts == (4,)


def test_a_code_starts_from_its_own_values(table: CodeRecord) -> None:
    assert picks_of_code("0DTJ4ZZ") == {4: "J", 5: "4", 6: "Z", 7: "Z"}
    assert picks_of_code("0DTJ") == {4: "J"}
    state = build_state(table, picks_of_code("0DTJ4ZZ"))
    assert state.code == "0DTJ4ZZ"
    assert option(state, 5, "0").allowed  # open appendix is in another row, still reachable
    assert option(state, 7, "G").allowed and option(state, 4, "6").allowed  # 0DTJ4ZG, 0DT64ZZ


def test_picking_drops_only_the_picks_that_cannot_combine(table: CodeRecord) -> None:
    code = picks_of_code("0DTJ4ZG")
    opened = pick(table, code, 5, "0")
    assert opened == {5: "0", 4: "J", 6: "Z"}  # G goes: hand-assisted is never open
    assert build_state(table, opened).code == "0DTJ0ZZ"
    assert pick(table, opened, 5, "0") == {4: "J", 6: "Z"}  # picking it again takes it back
    stomach = pick(table, picks_of_code("0DTJ4ZZ"), 4, "6")
    assert stomach == {4: "6", 5: "4", 6: "Z", 7: "Z"} and build_state(table, stomach).code == "0DT64ZZ"


def test_each_value_says_the_code_it_completes(table: CodeRecord) -> None:
    code = build_state(table, picks_of_code("0DTJ4ZZ"))
    assert leads_to(code, 5, "0") == "0DTJ0ZZ" and leads_to(code, 7, "G") == "0DTJ4ZG"
    assert leads_to(code, 4, "6") == "0DT64ZZ"
    open_approach = build_state(table, {5: "0"})  # every open row has device Z and qualifier Z only
    assert leads_to(open_approach, 4, "J") == "0DTJ0ZZ"
    open_appendix = build_state(table, {4: "J", 5: "0"})
    assert leads_to(open_appendix, 5, "4") == ""  # with approach 4 the qualifier may be G or Z again
    assert leads_to(build_state(table, {4: "J"}), 5, "4") == ""  # qualifier still open
