"""Query text handling: clean input, spot code-shaped input, split and stem words, find highlight spans."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem as porter_stem

from desktop.core.codes import code_key
from desktop.core.schema import STOP_WORDS

MAX_INPUT = 200  # nobody types more; a longer paste is cut so it cannot stall the search
MAX_WORDS = 10

_CODE_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-]*$")
_CODE_KEY = re.compile(r"^[A-Z0-9]{1,7}$")
_RANGE = re.compile(r"^[A-Z]\d{2}[A-Z0-9]?-[A-Z]\d{2}[A-Z0-9]?$")
_CM_DOTTED = re.compile(r"^[A-Z]\d[0-9A-Z]\.[0-9A-Z]{0,4}$")
_HCPCS_SHAPE = re.compile(r"^[A-Z]\d{4}$")


def clean(text: str) -> str:
    """Drop control and format characters, fold whitespace, cut to MAX_INPUT characters."""
    text = unicodedata.normalize("NFKC", text[: MAX_INPUT * 4])
    kept = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in text)
    return " ".join(kept.split())[:MAX_INPUT]


def code_candidate(text: str) -> str:
    """The code key when the input could be a code or code prefix ('e11.9' -> 'E119'), else ''.

    Ranges as printed in the tabular ('E08-E13') keep their shape so they reach section documents.
    """
    if not _CODE_TEXT.match(text):
        return ""
    upper = text.upper().replace(" ", "")
    if _RANGE.match(upper):
        return code_key(upper)
    if text.count(" ") > 1 or (" " in text and not any(c.isdigit() for c in text)):
        return ""  # several words ('left hip') are words, but 'E11 9' is a code
    key = code_key(text)
    return key if _CODE_KEY.match(key) else ""


def looks_like_cm(text: str) -> bool:
    """A dot after three characters is how ICD-10-CM codes are written (E11.9, S72.0)."""
    return bool(_CM_DOTTED.match(text.upper().replace(" ", "")))


def looks_like_hcpcs(key: str) -> bool:
    return bool(_HCPCS_SHAPE.match(key))


# Caches are plain dicts of strings and tuples of strings and numbers, which the garbage collector
# stops tracking; functools.lru_cache keeps a tracked node per entry, and walking those made full
# collections (run on the GUI thread by the app) take tens of milliseconds. Full caches are emptied.
_STEMS: dict[str, str] = {}
_TOKENS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[int, ...]]] = {}
CACHE_LIMIT = 40_000


def stem(word: str) -> str:
    """The index form of one lower-case word, exactly as the schema's analyzer stems it."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) >= CACHE_LIMIT:
            _STEMS.clear()
        found = _STEMS[word] = str(porter_stem(word))
    return found


class Token(NamedTuple):
    """One indexed word of a text: its stem and where the word sits."""

    stem: str
    word: str  # lower-case word as written
    start: int
    end: int


def _read_tokens(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(stem, lower-case word, start, end) of each word of text in turn, as the index sees them."""
    ascii_text = text.isascii()  # lower-cased once: the same words at the same places
    for match in default_pattern.finditer(text.lower() if ascii_text else text):
        word = match.group() if ascii_text else match.group().lower()
        if word not in STOP_WORDS:
            yield stem(word), word, match.start(), match.end()


def token_columns(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[int, ...]]:
    """The stems, words, starts and ends of the words of text (see tokens); cached."""
    found = _TOKENS.get(text)
    if found is not None:
        return found
    stems: list[str] = []
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    if text.isascii():  # _read_tokens written out: most lines, and a line's first match tokenises it
        known = _STEMS
        for match in default_pattern.finditer(text.lower()):
            word = match[0]
            if word not in STOP_WORDS:
                stems.append(known.get(word) or stem(word))
                words.append(word)
                start, end = match.span()
                starts.append(start)
                ends.append(end)
    else:
        for stemmed, word, start, end in _read_tokens(text):
            stems.append(stemmed)
            words.append(word)
            starts.append(start)
            ends.append(end)
    if len(_TOKENS) >= CACHE_LIMIT:
        _TOKENS.clear()
    found = _TOKENS[text] = (tuple(stems), tuple(words), tuple(starts), tuple(ends))
    return found


def tokens(text: str) -> tuple[Token, ...]:
    """The words of text as the index sees them (same pattern, stop words and stemmer)."""
    return tuple(map(Token, *token_columns(text)))


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What the search engine needs to know about one input."""

    text: str  # cleaned input
    code_key: str  # '' when the input is not code-shaped
    words: tuple[str, ...]  # lower-case words in order, stop words dropped
    stems: tuple[str, ...]  # their index forms
    partial: bool  # the user may still be typing the last word (no trailing space)

    @property
    def has_digit(self) -> bool:
        return any(c.isdigit() for c in self.text)


def parse(raw: str) -> ParsedQuery:
    text = clean(raw)
    found = tokens(text)[:MAX_WORDS]
    partial = bool(text) and bool(raw) and not raw[-1].isspace()
    if found and found[-1].end < len(text):
        partial = False  # the input ends in punctuation after the last word
    return ParsedQuery(text, code_candidate(text), tuple(t.word for t in found), tuple(t.stem for t in found), partial)


def prefix_forms(word: str) -> tuple[str, ...]:
    """Index-term prefixes that may continue a half-typed word ('diabetes' -> 'diabet', 'diabetes')."""
    forms = [word]
    stemmed = stem(word)
    if stemmed != word:
        forms.insert(0, stemmed)
    if word.endswith("y") and len(word) > 3:
        forms.append(word[:-1] + "i")  # porter: injury -> injuri
    return tuple(dict.fromkeys(forms))


def _wanted(stemmed: str, word: str, stems: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    return stemmed in stems or any(stemmed.startswith(p) or word.startswith(p) for p in prefixes)


def first_span(text: str, stems: frozenset[str], prefixes: tuple[str, ...] = ()) -> tuple[int, int] | None:
    """The span of the first word spans() would give, reading no further (a guideline section is
    thousands of words; its snippet needs only where the first match is)."""
    found = (
        (start, end) for stemmed, word, start, end in _read_tokens(text) if _wanted(stemmed, word, stems, prefixes)
    )
    return next(found, None)


def spans(text: str, stems: frozenset[str], prefixes: tuple[str, ...] = ()) -> tuple[tuple[int, int], ...]:
    """Character spans of the words of text whose stem is wanted or starts with a typed prefix."""
    return tuple((t.start, t.end) for t in tokens(text) if _wanted(t.stem, t.word, stems, prefixes))
