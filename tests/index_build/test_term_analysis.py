"""FieldTerms gives what the schema's TEXT fields' own field.index() gives, on varied text."""

from __future__ import annotations

import pytest
from whoosh.analysis import KeywordAnalyzer, StandardAnalyzer
from whoosh.fields import ID, KEYWORD, TEXT

from desktop.core.schema import build_schema, text_analyzer
from index_build.term_analysis import FieldTerms, WholeValue, postings_function, supports

TEXTS = [
    "",
    "   ",
    "Type 2 diabetes mellitus without complications",
    "Fracture of the left femur, initial encounter for closed fracture",
    "the of and or to in on by for as at a an",  # every stop word: no term at all
    "A an AND The",
    "running runs ran runner RUNNING Running",
    "Café naïve Ærø Straße façade résumé São Paulo Øresund",
    "ΑΒΓ αβγ Ωμέγα кириллица 中文 日本語",
    "3.14 0.5mg 10,000 1/2 2nd 3rd 250mcg 0DTJ4ZZ E11.9 J9035",
    "e.g. i.e. x-ray's patient's (left) [right] {both} <tag> \"quoted\" semi;colon a|b",
    "*wildcard* star* **",
    "under_score __init__ a_b_c",
    "line one\nline two\r\nline\tthree",
    "C C C c c type type TYPE",
    "ﬁ ligature ﬀ Ⅷ ① ²",
    "Hodgkin's non-Hodgkin lymphoma; NOS (not otherwise specified)",
]


def _fields() -> dict[str, object]:
    schema = build_schema()
    return {name: schema[name] for name in ("title", "short_title", "inclusion", "index_terms", "extra")}


@pytest.mark.parametrize("name", sorted(_fields()))
def test_same_postings_as_the_field_for_every_text_field(name: str) -> None:
    field = _fields()[name]
    terms = FieldTerms(field)
    for text in [*TEXTS, "\n".join(TEXTS)]:
        assert terms.postings(text) == list(field.index(text)), text  # type: ignore[attr-defined]


def test_repeated_words_count_once_per_term_with_the_whoosh_weight() -> None:
    field = _fields()["title"]
    postings = {term: (freq, weight) for term, freq, weight, _value in FieldTerms(field).postings("Runs run RUN")}
    assert postings == {b"run": (3, 3.0)}
    assert FieldTerms(field).postings("the of and") == []


def test_a_word_seen_again_gives_the_same_term_from_the_cache() -> None:
    terms = FieldTerms(TEXT(analyzer=text_analyzer(), phrase=False))
    assert terms.term("Fractures") == b"fractur"
    assert terms.term("Fractures") == b"fractur"
    assert terms.term("the") is None
    assert terms.term("Ærø") == "ærø".encode()


def test_only_per_word_analyzers_and_frequency_fields_are_taken() -> None:
    assert supports(TEXT(analyzer=text_analyzer(), phrase=False))
    assert not supports(TEXT(analyzer=text_analyzer()))  # positions: Whoosh's own path
    assert not supports(ID())
    assert not supports(KEYWORD(commas=True, lowercase=True))
    assert not supports(TEXT(analyzer=KeywordAnalyzer(), phrase=False))
    assert supports(TEXT(analyzer=StandardAnalyzer(), phrase=False))
    with pytest.raises(ValueError, match="per-word"):
        FieldTerms(ID())


@pytest.mark.parametrize("name", ["key", "code_set", "kind", "parent", "ref", "applies", "billable", "title"])
def test_postings_function_gives_what_each_schema_field_gives(name: str) -> None:
    field = build_schema()[name]
    postings = postings_function(field)
    values = ["E11.9", "0DTJ4ZZ", "ICD-10-CM:guideline:I.C.4", "Ærø Straße", "a, B ,c", "the", "Type 2 diabetes", ""]
    for value in values:
        assert list(postings(value)) == list(field.index(value)), value
    if name == "billable":
        assert list(postings(True)) == list(field.index(True)) == [(b"t", 1, 1.0, b"")]


def test_a_whole_value_field_indexes_the_value_itself() -> None:
    field = ID()
    assert WholeValue(field).postings("E11.9") == [(b"E11.9", 1, 1.0, b"")]
    assert WholeValue(field).postings("Ærø") == [("Ærø".encode(), 1, 1.0, b"")]
    with pytest.raises(ValueError, match="whole-value"):
        WholeValue(KEYWORD(commas=True))
