"""Input normalisation: clean what the user typed, spot code-shaped input, split words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from desktop.core.codes import code_key
from desktop.core.schema import text_analyzer

MAX_INPUT = 200  # nobody types more; longer input is cut so a paste cannot stall the search
MAX_WORDS = 12

_CODE_SHAPE = re.compile(r"^[A-Z0-9]{1,7}$")
_CODE_TEXT = re.compile(r"^[\sA-Za-z0-9.\-_/]+$")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_analyzer = text_analyzer()


def clean(text: str) -> str:
    """Drop control and format characters, fold whitespace, cut to MAX_INPUT characters."""
    text = text[: MAX_INPUT * 4]
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "C":
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())[:MAX_INPUT]


def code_candidate(text: str) -> str:
    """The code key when the input could be a code or a code prefix ('e11.9' -> 'E119'), else ''."""
    if not _CODE_TEXT.match(text):
        return ""
    key = code_key(text)
    return key if _CODE_SHAPE.match(key) else ""


def words(text: str) -> list[str]:
    """The raw words of the input in order, lower-cased, at most MAX_WORDS."""
    return [w.lower() for w in _WORD.findall(text)][:MAX_WORDS]


def stem(word: str) -> str:
    """The index form of one word ('' for a stop word)."""
    tokens = [t.text for t in _analyzer(word)]
    return tokens[0] if tokens else ""


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What the search engine needs to know about one input."""

    text: str  # cleaned input
    code_key: str  # '' when the input is not code-shaped
    words: tuple[str, ...]  # raw lower-case words
    stems: tuple[str, ...]  # analysed words (stop words dropped)
    last_is_partial: bool  # the user may still be typing the last word


def parse(raw: str) -> ParsedQuery:
    text = clean(raw)
    raw_words = words(text)
    stems = tuple(s for s in (stem(w) for w in raw_words) if s)
    partial = bool(text) and not raw[-1:].isspace()
    return ParsedQuery(text, code_candidate(text), tuple(raw_words), stems, partial)
