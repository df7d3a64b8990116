"""Lay terms and abbreviations coders meet (CHF, heart attack) mapped to the words the code titles use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop.core.paths import resources_dir
from desktop.core.search.query import stem, tokens

FILE_NAME = "synonyms.tsv"
MIN_PREFIX = 4  # a half-typed last word this long may already complete a synonym ("heart atta")


@dataclass(frozen=True, slots=True)
class Synonym:
    """One line of the list: lay phrase -> title words, and the code set the target was checked in."""

    lay: str
    target: str
    code_set: str
    stems: tuple[str, ...]  # the lay phrase as index forms
    lay_words: tuple[str, ...]  # the lay phrase's words as typed

    @property
    def target_words(self) -> tuple[str, ...]:
        return tuple(t.word for t in tokens(self.target))


@dataclass(frozen=True, slots=True)
class Variant:
    """The query with one synonym phrase replaced by its target words."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    synonym: Synonym
    partial: bool  # the last word is still being typed

    @property
    def label(self) -> str:
        return f"{self.synonym.lay} → {self.synonym.target}"

    @property
    def target_start(self) -> int:
        """Where the target words start in label (for highlight spans)."""
        return len(self.synonym.lay) + 3


def parse_lines(lines: Iterable[str], source: str = FILE_NAME) -> list[Synonym]:
    """Read 'lay<TAB>target<TAB>code set' lines; '#' starts a comment. Raises ValueError on a bad line."""
    found: list[Synonym] = []
    for number, line in enumerate(lines, 1):
        text = line.rstrip("\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        parts = text.split("\t")
        if len(parts) != 3 or not all(p.strip() == p and p for p in parts):
            raise ValueError(f"{source}, line {number}: expected 'lay term<TAB>title words<TAB>code set'")
        lay, target, code_set = parts
        lay_tokens = tokens(lay.lower())
        stems = tuple(t.stem for t in lay_tokens)
        if not stems or not tokens(target):
            raise ValueError(f"{source}, line {number}: a side has no searchable word")
        found.append(Synonym(lay.lower(), target.lower(), code_set, stems, tuple(t.word for t in lay_tokens)))
    return found


class SynonymTable:
    """Finds synonym phrases inside a query and offers the query with each one replaced."""

    def __init__(self, entries: Iterable[Synonym]) -> None:
        self.entries = list(entries)
        self._by_first: dict[str, list[Synonym]] = {}
        for entry in self.entries:
            self._by_first.setdefault(entry.stems[0], []).append(entry)
        for group in self._by_first.values():
            group.sort(key=lambda e: -len(e.stems))  # longest phrase first
        self._lay_words = {word for entry in self.entries for word in entry.lay_words}

    def is_lay_word(self, word: str) -> bool:
        """The word is part of a listed lay phrase ('sob', 'heart'): typed whole, not half-typed."""
        return word in self._lay_words

    @classmethod
    def load(cls, path: Path | None = None) -> SynonymTable:
        """The project's list from resources/; an empty table when the file is missing."""
        path = path or resources_dir() / FILE_NAME
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return cls([])
        return cls(parse_lines(text.splitlines(), path.name))

    def _match_at(self, stems: tuple[str, ...], words: tuple[str, ...], at: int, partial: bool) -> list[Synonym]:
        last = len(stems) - 1
        typing = partial and len(words[last]) >= MIN_PREFIX
        candidates = list(self._by_first.get(stems[at], ()))
        if typing and at == last:
            candidates += [
                e
                for first, group in self._by_first.items()
                if first != stems[at]
                for e in group
                if e.lay_words[0].startswith(words[at])
            ]
        matches: list[Synonym] = []
        for entry in candidates:
            size = len(entry.stems)
            if at + size - 1 > last:
                continue
            if all(
                stems[at + i] == entry.stems[i]
                or (typing and at + i == last and entry.lay_words[i].startswith(words[last]))
                for i in range(size)
            ):
                matches.append(entry)
        return matches

    def variants(self, words: tuple[str, ...], stems: tuple[str, ...], partial: bool, limit: int = 3) -> list[Variant]:
        """Up to limit rewritings of the query, longest synonym phrases first."""
        out: list[Variant] = []
        for at in range(len(stems)):
            for entry in self._match_at(stems, words, at, partial):
                end = at + len(entry.stems)
                target = entry.target_words
                new_words = words[:at] + target + words[end:]
                new_stems = stems[:at] + tuple(stem(w) for w in target) + stems[end:]
                out.append(Variant(new_words, new_stems, entry, partial and end < len(stems)))
        out.sort(key=lambda v: -len(v.synonym.stems))
        return out[:limit]
