"""How well one text matches the query words: which line matched, how precisely, and where to highlight."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from desktop.core.search.query import CACHE_LIMIT, Token, stem, token_columns

# Index terms by where they come from: the Table of Drugs and Neoplasm table lead to poisoning and
# neoplasm codes by column, so a drug name also reaches the HCPCS code for giving the drug.
SOURCE_WEIGHT = {"drug": 0.8, "neoplasm": 0.9, "external": 0.95}

# Words that do not narrow what a line is about, so they do not count against its precision:
# 'Pneumonia, unspecified organism' says just 'pneumonia' to a coder, 'Injection, naloxone
# hydrochloride, per 1 mg' just 'naloxone'. Words in parentheses are nonessential modifiers by the
# tabular's own convention, and a 7th-character ending (', initial encounter ...') repeats the parent.
FILLER = frozenset(
    stem(word)
    for word in (
        "unspecified",
        "nos",
        "organism",
        "injection",
        "per",
        "mg",
        "mcg",
        "ml",
        "units",
        "unit",
        "up",
        "hydrochloride",
        "hcl",
        "sodium",
        "sulfate",
        "acetate",
        "phosphate",
        "citrate",
        "succinate",
        "tartrate",
        "mesylate",
        "bromide",
        "tromethamine",
        "each",
    )
)
_FILLER_SPANS = re.compile(
    r"\([^()]*\)|, (?:initial|subsequent) encounter.*$|, sequela$|\bwithout complications\b"
    r"|\bnot (?:elsewhere classified|otherwise specified|specified)\b|\b(?:unspecified )?site\b",
    re.IGNORECASE,
)
_UNSPECIFIED = re.compile(r"\bunspecified\b|\bNOS\b|\bnot (?:otherwise )?specified\b", re.IGNORECASE)


# Every match of _UNSPECIFIED holds one of these words, so a line holding none of them is not the
# 'unspecified' choice: the search cache's word lists tell that without reading the line.
UNSPECIFIED_STEMS = tuple(stem(word) for word in ("unspecified", "nos", "specified"))


def says_unspecified(text: str) -> bool:
    """The line is the 'unspecified' choice: what a coder takes when nothing more was said."""
    return bool(_UNSPECIFIED.search(text))


_FILLER_KEYS = ("(", "encounter", "sequela", "without complications", "not ", "site")  # one in every match


def _filler_spans(text: str) -> list[tuple[int, int]]:
    if text.isascii():
        lower = text.lower()
        if not any(key in lower for key in _FILLER_KEYS):
            return []  # most lines: the regex would scan them for nothing (a third of a line's first match)
    return [match.span() for match in _FILLER_SPANS.finditer(text)]


_FILLER_FLAGS: dict[str, tuple[bool, ...]] = {}
_ALWAYS_FILLER: dict[str, bool] = {}  # per stem: the vocabulary is small next to the lines it makes up


def _always_filler(stemmed: str) -> bool:
    """Filler whatever the line says around it (the filler spans only add more)."""
    found = _ALWAYS_FILLER.get(stemmed)
    if found is None:
        found = stemmed in FILLER or stemmed.replace(".", "").isdigit()
        if len(_ALWAYS_FILLER) >= CACHE_LIMIT:
            _ALWAYS_FILLER.clear()
        _ALWAYS_FILLER[stemmed] = found
    return found


def _filler_flags(text: str, stems: tuple[str, ...], starts: tuple[int, ...]) -> tuple[bool, ...]:
    """Per word of text (token_columns order), whether it is filler; cached, as a line is matched once per
    keystroke of a query (the regex and per-word checks were a fifth of the time of ranking)."""
    found = _FILLER_FLAGS.get(text)
    if found is None:
        spans = _filler_spans(text)  # mostly none: then no span test per word
        flags: list[bool] = []
        for stemmed, start in zip(stems, starts, strict=True):
            flag = _always_filler(stemmed)
            if spans and not flag:
                flag = any(a <= start < b for a, b in spans)
            flags.append(flag)
        found = tuple(flags)
        if len(_FILLER_FLAGS) >= CACHE_LIMIT:
            _FILLER_FLAGS.clear()
        _FILLER_FLAGS[text] = found
    return found


def meaningful_stems(text: str) -> set[str]:
    """The words of text that say what it is about (filler, parentheses and 7th-character endings left out)."""
    stems, _words, starts, _ends = token_columns(text)
    return {s for s, filler in zip(stems, _filler_flags(text, stems, starts), strict=True) if not filler}


def pick_default(
    said: set[str], children: list[tuple[str, int]], stems_of: Callable[[str], set[str]] = meaningful_stems
) -> int:
    """Which child (title, order) a coder takes under a heading that says `said`, when nothing more
    was said: the one adding fewest meaningful words ('unspecified ear' before 'right ear'), then
    the first in code order (for 7th characters, the initial encounter). stems_of: meaningful_stems,
    or a memo of it (the search-cache build weighs each title several times)."""
    return min(range(len(children)), key=lambda n: (added_words(said, children[n][0], stems_of), children[n][1]))


def added_words(said: set[str], title: str, stems_of: Callable[[str], set[str]] = meaningful_stems) -> int:
    """How many meaningful words title adds to what a heading says (pick_default's first key)."""
    return len(stems_of(title) - said)


def effective_length(text: str) -> int:
    """Distinct words of text that say what it is about (the precision denominator when none match)."""
    return len(meaningful_stems(text))


@dataclass(frozen=True, slots=True)
class Wanted:
    """The words one search looks for: whole words as index forms, plus the half-typed last word."""

    stems: tuple[str, ...]
    partial: str = ""  # the half-typed last word as typed ('' when the user finished it)
    forms: tuple[str, ...] = ()  # index-form prefixes the half-typed word may continue
    completing: bool = False  # only continuations of the half-typed word, not the word itself
    # Other index forms that say the same as a wanted word (femoral -> femur): (wanted stem, forms) pairs.
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()
    _size: int = field(init=False, repr=False, compare=False)  # read for every line and bound: worked out once
    _filler: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_size", len(set(self.stems)) + (1 if self.partial else 0))
        aliased = {s for s, _others in self.alternatives}
        always = {s for s in self.stems if s not in aliased and _always_filler(s)}
        object.__setattr__(self, "_filler", len(always))

    @property
    def filler(self) -> int:
        """Distinct wanted words that are filler wherever they stand ('per', '2'): a line holding them counts
        them among its words when matched, though its effective_length leaves them out."""
        return self._filler

    def forms_of(self, stemmed: str) -> tuple[str, ...]:
        """The wanted word and the forms that count as it."""
        for wanted, others in self.alternatives:
            if wanted == stemmed:
                return (stemmed, *others)
        return (stemmed,)

    @property
    def stem_of_partial(self) -> str:
        return stem(self.partial) if self.partial else ""

    @property
    def size(self) -> int:
        """Distinct wanted words, the half-typed one included."""
        return self._size

    def probes(self) -> tuple[str, ...]:
        """Short lower-case pieces a matching line must contain somewhere (a cheap pre-check)."""
        pieces = [f[:4] for s in self.stems for f in self.forms_of(s)] + [f[:4] for f in self.forms]
        return tuple(dict.fromkeys(p for p in pieces if p))

    def token_matches(self, token: Token) -> str:
        """Which wanted word the token is ('' when none); the half-typed word is reported as '*'."""
        if token.stem in self.stems:
            return token.stem
        for wanted, others in self.alternatives:
            if token.stem in others and wanted in self.stems:
                return wanted
        if self.partial and any(token.stem.startswith(f) or token.word.startswith(f) for f in self.forms):
            return "*"
        return ""


class LineMatch(NamedTuple):
    """The best-matching line of a field and how well it matches (a tuple: made for every line matched)."""

    text: str
    matched: int  # distinct wanted words found
    precision: float  # found words / distinct words of the line: 1.0 means the line says just that
    spans: tuple[tuple[int, int], ...]
    exact_partial: bool  # the half-typed word matched a whole word exactly
    found: frozenset[str] = frozenset()  # which wanted words: their stems, '*' for the half-typed one


class _Matcher:
    """One Wanted prepared for many lines: sets for lookups, probes grouped by wanted word."""

    __slots__ = ("aliases", "forms", "partial", "probes", "stems", "wanted")

    def __init__(self, wanted: Wanted) -> None:
        self.wanted = wanted
        self.stems = frozenset(wanted.stems)
        self.partial = wanted.partial
        self.forms = wanted.forms
        self.aliases = {other: s for s, others in wanted.alternatives if s in self.stems for other in others}
        groups: list[tuple[str, ...]] = [tuple(f[:4] for f in wanted.forms_of(s)) for s in self.stems]
        if self.partial:
            groups.append(tuple(f[:4] for f in self.forms))
        self.probes = [g for g in groups if all(g)]

    def possible(self, lower: str) -> int:
        """At most how many wanted words the line can hold (by cheap substring checks)."""
        return sum(1 for group in self.probes if any(p in lower for p in group))

    def match(self, text: str) -> LineMatch:
        stems, words, starts, ends = token_columns(text)
        filler = _filler_flags(text, stems, starts)
        found: set[str] = set()
        spans: list[tuple[int, int]] = []
        meaningful: set[str] = set()
        exact_partial = False
        partial, forms, wanted, aliases = self.partial, self.forms, self.stems, self.aliases
        for n, stemmed in enumerate(stems):
            if stemmed in wanted:
                found.add(stemmed)
            elif stemmed in aliases:
                found.add(aliases[stemmed])
            elif partial and (stemmed.startswith(forms) or words[n].startswith(forms)):
                found.add("*")
                exact_partial = exact_partial or words[n] == partial
            else:
                if not filler[n]:
                    meaningful.add(stemmed)
                continue
            spans.append((starts[n], ends[n]))
            meaningful.add(stemmed)
        precision = len(found) / max(1, len(meaningful))
        return LineMatch(text, len(found), min(1.0, precision), tuple(spans), exact_partial, frozenset(found))


def holds_all(text: str, wanted: Wanted) -> bool:
    """Every wanted word is in text."""
    return match_line(text, wanted).matched >= wanted.size


_MATCHERS: dict[Wanted, _Matcher] = {}
MATCHERS_KEPT = 512  # a query has a few dozen Wanted (fields x synonyms x completions); typing repeats them


def _matcher(wanted: Wanted) -> _Matcher:
    """The prepared matcher of wanted: one per Wanted, not one per line (a query matches ~70 lines)."""
    found = _MATCHERS.get(wanted)
    if found is None:
        if len(_MATCHERS) >= MATCHERS_KEPT:
            _MATCHERS.clear()
        found = _MATCHERS[wanted] = _Matcher(wanted)
    return found


def match_line(text: str, wanted: Wanted) -> LineMatch:
    return _matcher(wanted).match(text)


def best_line(lines: Sequence[str], wanted: Wanted) -> LineMatch | None:
    """The line matching most wanted words, then most precisely; None when no line matches any."""
    matcher = _matcher(wanted)
    size = wanted.size
    if len(lines) == 1:  # the search cache named the line
        line = lines[0]
        if matcher.probes and not matcher.possible(line.lower()):
            return None
        found = matcher.match(line)
        return found if found.matched else None
    best: LineMatch | None = None
    for line in lines:
        possible = matcher.possible(line.lower()) if matcher.probes else size
        if not possible or (
            best is not None and (possible < best.matched or (possible == best.matched and best.precision >= 1.0))
        ):
            continue
        found = matcher.match(line)
        if found.matched and (best is None or (found.matched, found.precision) > (best.matched, best.precision)):
            best = found
            if found.matched >= size and found.precision >= 1.0:
                break
    return best
