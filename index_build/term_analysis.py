"""A field's postings as field.index() yields them: each distinct word of a TEXT field analysed once.

Whoosh runs a field's analyzer over every value: a Token passed through a generator per filter for each
of the full build's ~3.6 M words, a third of the write. The schema's analyzer (StemmingAnalyzer) is a
regex tokenizer followed by filters that each look at one token alone (lower-casing, stop words, the
stemmer), so a word's term depends on the word only: `FieldTerms` finds the words with the tokenizer's
own expression and looks each one up in a dictionary filled by running the field's filters on it once.
An ID field (the whole value one term, no frequencies) skips the token machinery too (`WholeValue`).
`postings_function` picks one of them, or field.index itself for any other analyzer or format.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from whoosh.analysis import IDTokenizer, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.formats import Existence, Frequency
from whoosh.system import pack_uint

# Filters whose output for a token depends on that token's text alone (StopFilter's renumbering only
# moves positions, which a Frequency field does not keep).
_PER_TOKEN_FILTERS = (LowercaseFilter, StopFilter, StemFilter)

Posting = tuple[bytes, int, float, bytes]  # term, frequency, weight, value: what field.index() yields
_REMOVED = b""  # the term of a word the filters remove (a stop word); no word's term is empty
_GROUP = re.Match.group


def supports(field: Any) -> bool:
    """Whether FieldTerms gives exactly what field.index() gives for this field's string values."""
    analyzer = getattr(field, "analyzer", None)
    if type(field.format) is not Frequency or not isinstance(analyzer, CompositeAnalyzer):
        return False
    tokenizer, *filters = analyzer.items
    return (
        type(tokenizer) is RegexTokenizer
        and not tokenizer.gaps
        and all(type(item) in _PER_TOKEN_FILTERS for item in filters)
    )


class FieldTerms:
    """field.index(value) for a field `supports` accepts, with a cache of every word's term."""

    def __init__(self, field: Any) -> None:
        if not supports(field):
            raise ValueError(f"{type(field).__name__} field with {field.analyzer!r} is not a per-word analyzer")
        self._field = field
        tokenizer, *filters = field.analyzer.items
        self._tokenizer = tokenizer
        self._filters = filters
        self._finditer = tokenizer.expression.finditer
        self._terms: dict[str, bytes] = {}  # word as found -> its term's bytes (_REMOVED: a stop word)
        self._boost = field.format.field_boost
        self._values: dict[int, tuple[float, bytes]] = {}  # frequency -> (weight, value bytes)

    def term(self, word: str) -> bytes | None:
        """The term the field's filters make of one word as the tokenizer found it (None: removed)."""
        found = self._terms.get(word)
        if found is None:
            found = self._learn(word)
        return found or None

    def _learn(self, word: str) -> bytes:
        stream: Any = self._tokenizer(word, tokenize=False, mode="index", boosts=True)
        for item in self._filters:
            stream = item(stream)
        texts = [token.text for token in stream if not token.stopped]
        if len(texts) > 1:  # no per-token filter splits a word; a new Whoosh one would be caught here
            raise ValueError(f"the analyzer made {len(texts)} terms of the word {word!r}")
        term = texts[0].encode("utf-8") if texts else _REMOVED
        if texts and not term:
            raise ValueError(f"the analyzer made an empty term of the word {word!r}")
        self._terms[word] = term
        return term

    def postings(self, value: Any) -> list[Posting]:
        """(term bytes, frequency, weight, value bytes) per distinct term, as field.index(value) yields them."""
        if not isinstance(value, str):
            return list(self._field.index(value))
        terms = self._terms
        words = list(map(_GROUP, self._finditer(value)))
        found: list[Any] = list(map(terms.get, words))
        if None in found:  # words not seen before
            for word in words:
                if word not in terms:
                    self._learn(word)
            found = list(map(terms.get, words))
        counts = Counter(found)
        counts.pop(_REMOVED, None)
        values = self._values
        out: list[Posting] = []
        for term, count in counts.items():
            weighted = values.get(count)
            if weighted is None:
                # Whoosh sums each token's boost (1.0) and multiplies by the format's field boost.
                weighted = values[count] = (float(count) * self._boost, pack_uint(count))
            out.append((term, count, weighted[0], weighted[1]))
        return out


class WholeValue:
    """field.index(value) for an ID field: the value itself is the one term, weight the format's boost."""

    def __init__(self, field: Any) -> None:
        if type(field.analyzer) is not IDTokenizer or type(field.format) is not Existence:
            raise ValueError(f"{type(field).__name__} field with {field.analyzer!r} is not a whole-value field")
        self._field = field
        self._boost = field.format.field_boost

    def postings(self, value: Any) -> list[Posting]:
        if not isinstance(value, str):
            return list(self._field.index(value))
        return [(value.encode("utf-8"), 1, self._boost, b"")]


def postings_function(field: Any) -> Callable[[Any], Iterable[Posting]]:
    """What gives field.index(value)'s postings fastest for this field."""
    if supports(field):
        return FieldTerms(field).postings
    if type(getattr(field, "analyzer", None)) is IDTokenizer and type(field.format) is Existence:
        return WholeValue(field).postings
    index: Callable[[Any], Iterable[Posting]] = field.index
    return index
