"""Query normalisation: cleaning, code detection, the index's own word forms, highlight spans."""

from __future__ import annotations

import pytest

from desktop.core.schema import text_analyzer
from desktop.core.search.query import (
    MAX_INPUT,
    clean,
    code_candidate,
    looks_like_cm,
    parse,
    prefix_forms,
    spans,
    stem,
    tokens,
)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("E11.9", "E119"),
        ("e119", "E119"),
        ("E11 9", "E119"),
        (" e11.9 ", "E119"),
        ("s72001a", "S72001A"),
        ("S72.001A", "S72001A"),
        ("0dtj4zz", "0DTJ4ZZ"),
        ("0DT", "0DT"),
        ("J9035", "J9035"),
        ("j90", "J90"),
        ("lt", "LT"),
        ("4", "4"),
        ("E08-E13", "E08E13"),
        ("e08 - e13", "E08E13"),
    ],
)
def test_code_shaped_input_gives_its_key(typed: str, key: str) -> None:
    assert code_candidate(clean(typed)) == key


@pytest.mark.parametrize(
    "typed", ["heart attack", "broken left hip", "0DTJ4ZZZ9", "E11.9!", "ééé", "", "a.b.c.d.e.f.g.h"]
)
def test_words_and_overlong_input_are_not_codes(typed: str) -> None:
    assert code_candidate(clean(typed)) == ""


def test_dotted_input_is_icd10cm_shaped() -> None:
    assert looks_like_cm("E11.9") and looks_like_cm("s72.0") and looks_like_cm("E11.")
    assert not looks_like_cm("J9035") and not looks_like_cm("0DTJ4ZZ") and not looks_like_cm("E11")


def test_clean_drops_control_characters_and_cuts_long_input() -> None:
    assert clean("heart\x00\tattack\u200b\n") == "heart attack"
    assert clean("x" * 10_000) == "x" * MAX_INPUT
    assert clean("\x07\x1b") == ""


def test_tokens_match_the_schema_analyzer() -> None:
    text = "Type 2 diabetes mellitus with diabetic nephropathy (E11.21), injuries of the Right femur"
    assert [t.stem for t in tokens(text)] == [t.text for t in text_analyzer()(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Type 2 Diabetes MELLITUS with Diabetic Nephropathy (E11.21), initial encounter",
        "Maladie de Ménière, oreille DROITE (Ünspecified) — İstanbul ﬁbrosis",  # non-ASCII: lowered per word
    ],
)
def test_tokens_match_the_analyzer_in_any_case_and_script(text: str) -> None:
    analysed = [(a.text, a.startchar, a.endchar) for a in text_analyzer()(text, chars=True)]  # one Token reused
    assert [(t.stem, t.start, t.end) for t in tokens(text)] == analysed


def test_tokens_know_where_words_are() -> None:
    found = tokens("Attack, heart")
    assert [(t.word, t.start, t.end) for t in found] == [("attack", 0, 6), ("heart", 8, 13)]


def test_parse_marks_a_half_typed_last_word() -> None:
    typing = parse("diabetes ty")
    assert typing.partial and typing.words == ("diabetes", "ty") and typing.stems[0] == stem("diabetes")
    done = parse("diabetes type ")
    assert not done.partial
    assert parse("heart attack").code_key == ""
    assert parse("E11.9").code_key == "E119"


def test_stop_words_are_not_words() -> None:
    assert parse("fracture of the femur").words == ("fracture", "femur")
    assert parse("the of and").stems == ()


def test_prefix_forms_cover_stemmed_and_typed_spelling() -> None:
    assert prefix_forms("diabetes") == ("diabet", "diabetes")
    assert "injuri" in prefix_forms("injury")
    assert prefix_forms("diab") == ("diab",)


def test_spans_mark_query_words_in_a_title() -> None:
    title = "Type 2 diabetes mellitus without complications"
    assert spans(title, frozenset({stem("diabetes")})) == ((7, 15),)
    assert spans(title, frozenset(), ("compl",)) == ((33, 46),)
