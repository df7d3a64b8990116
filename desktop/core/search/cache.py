"""A search side file built once per index: word lists ordered by how general each text is.

Whoosh scores every posting of a common word ('left', 'encounter': 40,000 documents) in pure
Python, which costs 30-250 ms. This cache keeps, for every word of every searched field, the texts
that hold it ordered shortest first (the most general, most precise matches), plus one byte per
document for its kind, code set and flags. A text ("unit") is a document's title, or one line of
its index terms, inclusion terms, Includes notes or extra terms, so every-word matches are matches
within one line. A word search reads only the head of one list and checks the others with set
lookups, in a few milliseconds.

This module holds the format (FieldLists, SearchCache, save, load); search_cache_build.py makes
it. The index builder can write the cache beside the index (search_cache_build.write_for_index);
when it is missing the search engine builds it on a background thread and keeps it beside the
index, or in the user's data folder when the index folder is read-only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import heapq
import marshal
import mmap
import os
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from whoosh.reading import IndexReader

from desktop.core import paths
from desktop.core.manifest import MANIFEST_NAME
from desktop.core.records import CodeSet, Kind

FORMAT = 13  # 13: terminated codes last in each word's list; 12: per-unit word lists (unit_starts, unit_words)
FILE_NAME = "search.cache"
USER_FOLDER = paths.SEARCH_CACHE_FOLDER  # in the user's data folder, for indexes in read-only places
SINGLE_LINE = ("title", "short_title")  # one unit per document
MULTI_LINE = ("index_terms", "inclusion", "includes", "extra")  # one unit per line
WORD_FIELDS = SINGLE_LINE + MULTI_LINE
KINDS = tuple(Kind)
CODE_SETS = tuple(CodeSet)
BILLABLE, TERMINATED, BILLABLE_CHILDREN = 1, 2, 4  # flags: a heading with billable codes directly under it
NOT_A_DOC = 255
COMPLETIONS_KEPT = 4096  # (prefix, size) answers kept per field


class Cancelled(Exception):
    """The engine closed while the cache was being built."""


@dataclass(frozen=True)
class FieldLists:
    """One field's words (sorted) and, per word, the units holding it in rank order."""

    terms: list[str]
    offsets: memoryview  # 'I': start of each word's units in postings; one extra at the end
    postings: memoryview  # 'i': unit numbers, each word's in rank order
    unit_starts: memoryview  # 'I': start of each unit's words in unit_words; one extra at the end
    unit_words: (
        memoryview  # 'H' ('I' for a field of 65,536 words or more): each unit's words (index into terms), sorted
    )
    unit_lengths: memoryview  # 'B': words that count in each unit (ranking.effective_length, 1..255)
    line_docs: memoryview  # 'i': the document of each unit (empty when units are documents)
    line_numbers: memoryview  # 'H': the unit's place among the document's lines of this field
    unit_weights: memoryview  # 'B': percent weight of the line's source (Table of Drugs lines weigh less)
    _completions: dict[tuple[str, int], tuple[str, ...]] = dataclasses.field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def find(self, term: str) -> int:
        at = bisect_left(self.terms, term)
        return at if at < len(self.terms) and self.terms[at] == term else -1

    def units(self, term: str) -> memoryview:
        at = self.find(term)
        if at < 0:
            return memoryview(b"").cast("i")
        return self.postings[self.offsets[at] : self.offsets[at + 1]]

    def contains(self, term_at: int, unit: int) -> bool:
        """Whether the word at index term_at of terms is in unit (a unit holds a few words: half the bytes
        of each word's units in unit order, and a bisection over a handful instead of thousands)."""
        low, high = self.unit_starts[unit], self.unit_starts[unit + 1]
        at = bisect_left(self.unit_words, term_at, low, high)
        return at < high and self.unit_words[at] == term_at

    def holds_any(self, unit: int, low: int, high: int) -> bool:
        """Whether unit holds a word whose index in terms is in [low, high) (the words starting with a prefix)."""
        start, end = self.unit_starts[unit], self.unit_starts[unit + 1]
        at = bisect_left(self.unit_words, low, start, end)
        return at < end and self.unit_words[at] < high

    def holds_one_of(self, unit: int, term_ats: frozenset[int]) -> bool:
        """Whether unit holds one of the words at these indexes of terms (one pass in C over its few words)."""
        return not term_ats.isdisjoint(self.unit_words[self.unit_starts[unit] : self.unit_starts[unit + 1]])

    def frequency(self, term: str) -> int:
        at = self.find(term)
        return 0 if at < 0 else self.offsets[at + 1] - self.offsets[at]

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The commonest words starting with prefix, commonest first (kept: 'c' has 8,000 words to weigh, and
        every keystroke of a word asks again for the same few prefixes)."""
        known = self._completions.get((prefix, limit))
        if known is not None:
            return list(known)
        low = bisect_left(self.terms, prefix)
        high = bisect_left(self.terms, prefix + "\uffff", low)
        offsets = self.offsets
        best = heapq.nlargest(limit, range(low, high), key=lambda i: offsets[i + 1] - offsets[i])
        found = tuple(self.terms[i] for i in best)
        if len(self._completions) >= COMPLETIONS_KEPT:
            self._completions.clear()
        self._completions[(prefix, limit)] = found
        return list(found)

    def doc(self, unit: int) -> int:
        return self.line_docs[unit] if len(self.line_docs) else unit

    def weight(self, unit: int) -> float:
        return self.unit_weights[unit] / 100 if len(self.unit_weights) else 1.0

    def line(self, unit: int) -> int:
        """The line's place in Doc.lines(field), or -1 when the unit is the whole document."""
        return self.line_numbers[unit] if len(self.line_numbers) else -1


@dataclass(frozen=True)
class SearchCache:
    identity: str
    kinds: bytes | memoryview  # index into KINDS per document, NOT_A_DOC for deleted documents
    code_sets: bytes | memoryview  # index into CODE_SETS
    flags: bytes | memoryview  # BILLABLE | TERMINATED | BILLABLE_CHILDREN
    key_lengths: bytes | memoryview
    families: bytes | memoryview  # 16 x log2(1 + codes under the document)
    prefix_counts: dict[str, int]  # documents under each one- and two-character code prefix
    fields: dict[str, FieldLists]
    defaults: memoryview  # 'i': per ICD-10-CM heading, its default billable code (ranking.pick_default); -1
    span_ends: memoryview  # 'i': per heading, the document after its last descendant (they follow it); -1

    def descendants(self, doc: int, most: int) -> range:
        """The documents under a heading, in code order (the index keeps each family together)."""
        end = self.span_ends[doc]
        return range(doc + 1, min(end, doc + 1 + most)) if end > doc else range(0)


def identity(folder: Path, reader: IndexReader) -> str:
    """Ties a cache to one build of one index."""
    return identity_of(folder, reader.doc_count_all())


def identity_of(folder: Path, doc_count: int) -> str:
    """identity() of the index in folder holding doc_count documents (the builder knows it without a reader)."""
    digest = hashlib.sha1(str(doc_count).encode())
    with contextlib.suppress(OSError):
        digest.update((folder / MANIFEST_NAME).read_bytes())
    return digest.hexdigest()


def view_of(values: array, typecode: str) -> memoryview:
    return _cast(memoryview(values.tobytes()), typecode)


def _cast(view: memoryview, typecode: str) -> memoryview:
    cast: Any = view.cast  # typeshed types cast() per literal format; ours come from a table
    return cast(typecode)  # type: ignore[no-any-return]


_ARRAYS = (
    "offsets",
    "postings",
    "unit_starts",
    "unit_words",
    "unit_lengths",
    "line_docs",
    "line_numbers",
    "unit_weights",
)
_TYPES = {
    "offsets": "I",
    "postings": "i",
    "unit_starts": "I",
    "unit_words": "H",
    "unit_lengths": "B",
    "line_docs": "i",
    "line_numbers": "H",
    "unit_weights": "B",
    "kinds": "B",
    "code_sets": "B",
    "flags": "B",
    "key_lengths": "B",
    "families": "B",
    "defaults": "i",
    "span_ends": "i",
}
_MAGIC = b"CodeAtlasSearch\0"


def save(cache: SearchCache, path: Path) -> None:
    """Write atomically: a header (marshal) then the raw arrays, which load() maps without copying."""
    blobs: list[bytes] = []
    places: dict[str, tuple[int, int]] = {}
    position = 0

    def put(name: str, data: bytes | memoryview) -> None:
        nonlocal position
        raw = bytes(data)
        places[name] = (position, len(raw))
        padding = -len(raw) % 8  # keep every array 8-byte aligned
        blobs.append(raw + bytes(padding))
        position += len(raw) + padding

    for name in ("kinds", "code_sets", "flags", "key_lengths", "families", "defaults", "span_ends"):
        put(name, getattr(cache, name))
    for field, lists in cache.fields.items():
        for name in _ARRAYS:
            put(f"{field}.{name}", getattr(lists, name))
    header = marshal.dumps(
        {
            "format": FORMAT,
            "identity": cache.identity,
            "prefix_counts": cache.prefix_counts,
            "terms": {field: lists.terms for field, lists in cache.fields.items()},
            "places": places,
            "types": {f"{field}.unit_words": lists.unit_words.format for field, lists in cache.fields.items()},
        }
    )
    start = len(_MAGIC) + 8 + len(header)
    start += -start % 8
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.parent.name == USER_FOLDER:  # caches of indexes since replaced are of no more use
        for old in path.parent.glob("*.cache"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with open(temporary, "wb") as out:
        out.write(_MAGIC + len(header).to_bytes(8, "little") + header)
        out.write(bytes(start - out.tell()))
        for blob in blobs:
            out.write(blob)
    os.replace(temporary, path)


def read_header(handle: BinaryIO) -> tuple[dict[str, Any], int, int] | None:
    """A cache file's header, its length in bytes (magic and size included) and where the arrays start
    (8-byte aligned; the header's `places` count from there); None when the file is not a search cache."""
    if handle.read(len(_MAGIC)) != _MAGIC:
        return None
    size = int.from_bytes(handle.read(8), "little")
    header = marshal.loads(handle.read(size))
    end = len(_MAGIC) + 8 + size
    return header, end, end + -end % 8


def load(path: Path, expected_identity: str) -> SearchCache | None:
    """The cache at path when it belongs to this index, else None. The arrays stay in the file (mmap)."""
    try:
        with open(path, "rb") as handle:
            found = read_header(handle)
            if found is None:
                return None
            header, _end, start = found
            if header.get("format") != FORMAT or header.get("identity") != expected_identity:
                return None
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        whole = memoryview(mapped)

        def view(name: str) -> memoryview:
            offset, length = header["places"][name]
            typecode = header["types"].get(name) or _TYPES[name.rpartition(".")[2]]
            return _cast(whole[start + offset : start + offset + length], typecode)

        fields = {
            field: FieldLists(list(terms), *(view(f"{field}.{name}") for name in _ARRAYS))
            for field, terms in header["terms"].items()
        }
        return SearchCache(
            header["identity"],
            view("kinds"),
            view("code_sets"),
            view("flags"),
            view("key_lengths"),
            view("families"),
            dict(header["prefix_counts"]),
            fields,
            view("defaults"),
            view("span_ends"),
        )
    except (OSError, ValueError, EOFError, TypeError, KeyError, AttributeError):
        return None


def locations(folder: Path, cache_identity: str) -> list[Path]:
    """Where a cache may live: beside the index, else in the user's data folder."""
    return [folder / FILE_NAME, paths.search_cache_dir() / f"{cache_identity}.cache"]
