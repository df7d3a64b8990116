"""Code references inside note text."""

from __future__ import annotations

from desktop.core.records import CodeRef
from index_build.sources.icd10cm.refs import find_code_refs


def test_single_codes_and_incomplete_codes() -> None:
    refs = find_code_refs("type 1 diabetes mellitus (E10.-); hypertension I10; gestational (O24.4-)")
    assert refs == (
        CodeRef("E10.-", "E10"),
        CodeRef("I10", "I10"),
        CodeRef("O24.4-", "O24.4"),
    )


def test_ranges_with_and_without_parentheses() -> None:
    refs = find_code_refs("chronic kidney disease N18.1-N18.6 and diabetes mellitus (E08-E13)")
    assert refs == (CodeRef("N18.1-N18.6", "N18.1", "N18.6"), CodeRef("E08-E13", "E08", "E13"))


def test_range_ending_on_an_incomplete_code() -> None:
    assert find_code_refs("localized abdominal pain (R10.1-R10.4-)") == (CodeRef("R10.1-R10.4-", "R10.1", "R10.4"),)


def test_known_filter_checks_the_start_of_a_range() -> None:
    known = {"A00", "K00"}.__contains__
    assert [r.text for r in find_code_refs("A00-Y89, K00-K93, B12-B15", known)] == ["A00-Y89", "K00-K93"]


def test_range_followed_by_qualifying_words() -> None:
    refs = find_code_refs("categories T36-T65 with fifth or sixth character 5")
    assert refs == (CodeRef("T36-T65", "T36", "T65"),)


def test_incomplete_code_followed_by_another_code_is_not_a_range() -> None:
    refs = find_code_refs("secondary C79.8- T39.01- and subcategories S06.1- to S06.6-")
    assert [ref.text for ref in refs] == ["C79.8-", "T39.01-", "S06.1-", "S06.6-"]
    assert all(ref.end == "" for ref in refs)


def test_seven_character_codes_and_letters_in_codes() -> None:
    refs = find_code_refs("see S06.0X1A, M1A.0- and Z3A.-")
    assert [(ref.text, ref.start) for ref in refs] == [("S06.0X1A", "S06.0X1A"), ("M1A.0-", "M1A.0"), ("Z3A.-", "Z3A")]


def test_known_filter_drops_look_alikes() -> None:
    text = "vitamin B12 deficiency anemia (D51.-)"
    assert [ref.text for ref in find_code_refs(text)] == ["B12", "D51.-"]
    assert [ref.text for ref in find_code_refs(text, {"D51"}.__contains__)] == ["D51.-"]


def test_words_and_numbers_are_not_codes() -> None:
    assert find_code_refs("COVID-19 in 2026, type II, HbA1c above 6.5") == ()
