"""Builds the search cache (see cache.py) from a Whoosh index, or from the documents an index is written from.

Both read through one DocumentSource: a reader's postings and stored fields (the engine's first open of an
index without a cache), or the same taken from the documents in the order Whoosh numbers them (the index
builder, beside the write: index_build/second_process.py). One pass over the postings of the few fields it
needs and over the stored texts of the code documents.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from whoosh.analysis import IDTokenizer
from whoosh.fields import Schema
from whoosh.formats import Existence
from whoosh.reading import IndexReader

from desktop.core.codes import code_key
from desktop.core.records import CodeSet, Kind
from desktop.core.schema import build_schema
from desktop.core.search.cache import (
    BILLABLE,
    BILLABLE_CHILDREN,
    CODE_SETS,
    FILE_NAME,
    KINDS,
    NOT_A_DOC,
    SINGLE_LINE,
    TERMINATED,
    WORD_FIELDS,
    Cancelled,
    FieldLists,
    SearchCache,
    identity,
    save,
    view_of,
)
from desktop.core.search.query import token_columns
from desktop.core.search.ranking import SOURCE_WEIGHT, effective_length, meaningful_stems, pick_default


def _ids(reader: IndexReader, field: str, text: object) -> list[int]:
    try:
        return list(reader.postings(field, reader.schema[field].to_bytes(text)).all_ids())
    except Exception:  # TermNotFound: no document has it
        return []


def _term_ids(reader: IndexReader, field: str, raw: bytes, info: Any) -> list[int]:
    """The documents of a term met while iterating the field: a one-document term holds its own."""
    if getattr(info, "is_inlined", None) and info.is_inlined():  # CodeAtlasCodec's one-document terms
        return list(info.inlined_postings()[0])
    return _ids(reader, field, raw.decode("utf-8"))


# The indexed fields the cache reads postings of; every other field it reads is stored.
POSTED_FIELDS = ("kind", "code_set", "billable", "terminated", "key", "parent")
_NOT_CODES = frozenset(str(kind) for kind in (Kind.XREF, Kind.GUIDELINE, Kind.DEFINITION))
_STORED = frozenset(name for name, field in build_schema().items() if field.stored)


class DocumentSource(Protocol):
    """What the cache reads of an index: documents by number, and the postings of POSTED_FIELDS."""

    def doc_count_all(self) -> int: ...

    def ids(self, field: str, text: object) -> list[int]:
        """The documents holding one term, in number order."""

    def terms(self, field: str) -> Iterator[tuple[str, list[int]]]:
        """Every term of the field in the index's order (its bytes), with its documents in number order."""

    def stored_fields(self, docnum: int) -> dict[str, Any]: ...


class ReaderSource:
    """An index's reader as a DocumentSource."""

    def __init__(self, reader: IndexReader) -> None:
        self._reader = reader

    def doc_count_all(self) -> int:
        return int(self._reader.doc_count_all())

    def ids(self, field: str, text: object) -> list[int]:
        return _ids(self._reader, field, text)

    def terms(self, field: str) -> Iterator[tuple[str, list[int]]]:
        for raw, info in self._reader.iter_field(field):
            yield raw.decode("utf-8"), _term_ids(self._reader, field, raw, info)

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        stored: dict[str, Any] = self._reader.stored_fields(docnum)
        return stored


def cache_fields(document: dict[str, Any]) -> dict[str, Any]:
    """What the cache reads of one document given to Whoosh's add_document: its stored fields (all of
    POSTED_FIELDS are stored too), without the detail of the documents that are not codes (never read)."""
    kept = {name: value for name, value in document.items() if name in _STORED and value is not None}
    if kept.get("kind") in _NOT_CODES:
        kept.pop("detail", None)
    return kept


class RecordSource:
    """The documents an index is written from, in the order Whoosh numbers them, read as its reader would:
    postings made by the schema's own fields (field.index, as Whoosh's writer does), stored fields as given."""

    def __init__(self, documents: Sequence[dict[str, Any]], schema: Schema | None = None) -> None:
        self._schema = schema or build_schema()
        self._stored = [cache_fields(document) for document in documents]
        self._postings: dict[str, dict[bytes, list[int]]] = {field: {} for field in POSTED_FIELDS}
        for field in POSTED_FIELDS:
            postings = self._postings[field]
            fieldobj = self._schema[field]
            whole = type(getattr(fieldobj, "analyzer", None)) is IDTokenizer and type(fieldobj.format) is Existence
            for docnum, document in enumerate(self._stored):
                value = document.get(field)
                if value is None:
                    continue
                if whole and type(value) is str:  # an ID field's one term is the value (field.index, faster)
                    postings.setdefault(value.encode("utf-8"), []).append(docnum)
                    continue
                for term, _frequency, _weight, _value in fieldobj.index(value):
                    postings.setdefault(term, []).append(docnum)

    def doc_count_all(self) -> int:
        return len(self._stored)

    def ids(self, field: str, text: object) -> list[int]:
        return list(self._postings[field].get(self._schema[field].to_bytes(text), ()))

    def terms(self, field: str) -> Iterator[tuple[str, list[int]]]:
        postings = self._postings[field]
        for term in sorted(postings):
            yield term.decode("utf-8"), postings[term]

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        return self._stored[docnum]


def build(folder: Path, reader: IndexReader, cancelled: Callable[[], bool] = lambda: False) -> SearchCache:
    """Read the index once: per-document bytes from postings, word lists from the stored texts."""
    return build_from(ReaderSource(reader), identity(folder, reader), cancelled)


def build_from(
    source: DocumentSource, cache_identity: str, cancelled: Callable[[], bool] = lambda: False
) -> SearchCache:
    """The cache of the index source reads (cache_identity: see cache.identity)."""
    count = source.doc_count_all()
    kinds = bytearray([NOT_A_DOC]) * count
    for number, kind in enumerate(KINDS):
        for doc in source.ids("kind", str(kind)):
            kinds[doc] = number
    code_sets = bytearray(count)
    for number, code_set in enumerate(CODE_SETS):
        for doc in source.ids("code_set", str(code_set)):
            code_sets[doc] = number
    flags = bytearray(count)
    for doc in source.ids("billable", True):
        flags[doc] |= BILLABLE
    for doc in source.ids("terminated", True):
        flags[doc] |= TERMINATED
    key_lengths = bytearray(count)
    prefix_counts: dict[str, int] = {}
    by_key: dict[str, list[int]] = {}
    for number, (key, docs) in enumerate(source.terms("key")):
        if number % 2048 == 0 and cancelled():
            raise Cancelled
        by_key[key] = docs
        for doc in docs:
            key_lengths[doc] = min(len(key), 255)
        for size in (1, 2):
            if len(key) > size:
                prefix_counts[key[:size]] = prefix_counts.get(key[:size], 0) + len(docs)
    families = _families(source, by_key, code_sets, kinds)
    tree: dict[int, tuple[str, str, str, int]] = {}
    units = _stored_pass(source, kinds, tree, cancelled)
    fields = {field: _field_lists(field, units[field], flags, key_lengths, cancelled) for field in WORD_FIELDS}
    defaults = _defaults(tree, kinds, code_sets, flags)
    _mark_billable_children(tree, kinds, code_sets, flags)
    return SearchCache(
        cache_identity,
        bytes(kinds),
        bytes(code_sets),
        bytes(flags),
        bytes(key_lengths),
        bytes(families),
        prefix_counts,
        fields,
        view_of(defaults, "i"),
        view_of(_span_ends(tree, code_sets, count), "i"),
    )


def _span_ends(tree: dict[int, tuple[str, str, str, int]], code_sets: bytearray, count: int) -> array:
    """Per heading, the document after its family, when the family follows it without a gap."""
    ends = array("i", [-1]) * count
    open_: list[int] = []  # the headings whose family the current document may still belong to
    for doc in sorted(tree):
        parent = tree[doc][1]
        while open_ and not (tree[open_[-1]][0] == parent and code_sets[open_[-1]] == code_sets[doc]):
            closed = open_.pop()
            ends[closed] = doc if doc > closed + 1 else -1
        open_.append(doc)
    last = max(tree, default=-1) + 1
    for closed in open_:
        ends[closed] = last if last > closed + 1 else -1
    return ends


def _mark_billable_children(
    tree: dict[int, tuple[str, str, str, int]], kinds: bytearray, code_sets: bytearray, flags: bytearray
) -> None:
    """Flag the headings with a current billable code directly under them (T39.1X1 -> T39.1X1A)."""
    grouping = {KINDS.index(Kind.CHAPTER), KINDS.index(Kind.SECTION)}
    by_code = {(code, code_sets[doc]): doc for doc, (code, _parent, _title, _order) in tree.items()}
    for doc, (_code, parent, _title, _order) in tree.items():
        if flags[doc] & BILLABLE and not flags[doc] & TERMINATED:
            heading = by_code.get((parent, code_sets[doc]))
            if heading is not None and not flags[heading] & BILLABLE and kinds[heading] not in grouping:
                flags[heading] |= BILLABLE_CHILDREN


def _defaults(
    tree: dict[int, tuple[str, str, str, int]], kinds: bytearray, code_sets: bytearray, flags: bytearray
) -> array:
    """Per ICD-10-CM heading, the billable code a coder takes under it when nothing more was said."""
    cm = CODE_SETS.index(CodeSet.ICD10CM)
    by_code = {code: doc for doc, (code, _parent, _title, _order) in tree.items() if code_sets[doc] == cm}
    children: dict[int, list[int]] = {}
    for doc, (_code, parent, _title, _order) in tree.items():
        if code_sets[doc] == cm and parent in by_code and not flags[doc] & TERMINATED:
            children.setdefault(by_code[parent], []).append(doc)
    defaults = array("i", [-1]) * len(kinds)
    grouping = {KINDS.index(Kind.CHAPTER), KINDS.index(Kind.SECTION)}
    known: dict[str, set[str]] = {}  # a title is weighed once per sibling list it is in and per level

    def stems_of(title: str) -> set[str]:
        found = known.get(title)
        if found is None:
            found = known[title] = meaningful_stems(title)
        return found

    for heading in children:
        if kinds[heading] in grouping:
            continue
        said = meaningful_stems(tree[heading][2])
        doc = heading
        for _level in range(5):
            kids = children.get(doc)
            if not kids:
                break
            doc = kids[pick_default(said, [(tree[k][2], tree[k][3]) for k in kids], stems_of)]
            if flags[doc] & BILLABLE:
                defaults[heading] = doc
                break
    return defaults


def _families(
    source: DocumentSource, by_key: dict[str, list[int]], code_sets: bytearray, kinds: bytearray
) -> bytearray:
    """Per document, 16 x log2(1 + codes under it): how broad a heading is (0 for leaf codes)."""
    children: dict[int, list[int]] = {}
    for parent_code, kids in source.terms("parent"):
        if not kids:
            continue
        for parent in by_key.get(code_key(parent_code), []):
            if code_sets[parent] == code_sets[kids[0]]:
                children.setdefault(parent, []).extend(k for k in kids if code_sets[k] == code_sets[parent])
    below: dict[int, int] = {}

    def count(doc: int) -> int:
        total = 0
        stack = [doc]
        while stack:
            for kid in children.get(stack.pop(), ()):
                total += 1
                stack.append(kid)
        return total

    families = bytearray(len(code_sets))
    grouping = {KINDS.index(Kind.CHAPTER), KINDS.index(Kind.SECTION)}
    for doc in children:
        if kinds[doc] not in grouping:
            below[doc] = count(doc)
            families[doc] = min(255, int(16 * math.log2(1 + below[doc])))
    return families


@dataclass
class _Units:
    """What the stored pass collects for one field."""

    postings: dict[str, list[int]]
    lengths: array  # 'B'
    docs: array  # 'i' (multi-line fields)
    lines: array  # 'H' (multi-line fields)
    weights: array  # 'B' (multi-line fields)


def _stored_pass(
    source: DocumentSource, kinds: bytearray, tree: dict[int, tuple[str, str, str, int]], cancelled: Callable[[], bool]
) -> dict[str, _Units]:
    """One pass over the stored code documents, indexing each field's texts word by word.

    Titles come from the stored fields and the lines of the other fields from the stored detail,
    tokenised exactly as the index does (query.tokens), so a unit's length can bound a match's
    precision without reading the document at search time.
    """
    from desktop.core.search.documents import Doc

    count = len(kinds)
    found = {
        field: _Units(
            {}, array("B", bytes(count)) if field in SINGLE_LINE else array("B"), array("i"), array("H"), array("B")
        )
        for field in WORD_FIELDS
    }
    non_code = {KINDS.index(kind) for kind in (Kind.XREF, Kind.GUIDELINE, Kind.DEFINITION)}
    # A line's length and words depend on its text alone; a sixth of the 459k lines of a full index repeat
    # (index terms, key terms, titles of codes in two code sets).
    measured: dict[str, tuple[int, tuple[str, ...]]] = {}
    for doc in range(count):
        if kinds[doc] == NOT_A_DOC or kinds[doc] in non_code:
            continue
        if doc % 1024 == 0 and cancelled():
            raise Cancelled
        stored = Doc(doc, source.stored_fields(doc))
        tree[doc] = (stored.code, stored.parent, stored.title, stored.order)
        for field, units in found.items():
            for number, line in enumerate(stored.lines(field)):
                if not line or number > 65535:
                    continue
                known = measured.get(line)
                if known is None:  # the stems, without a Token per word
                    known = measured[line] = (
                        max(1, min(effective_length(line), 255)),
                        tuple(set(token_columns(line)[0])),
                    )
                length, words = known
                if field in SINGLE_LINE:
                    unit = doc
                    units.lengths[doc] = length
                else:
                    unit = len(units.docs)
                    units.docs.append(doc)
                    units.lines.append(number)
                    units.lengths.append(length)
                    origin = stored.term_source(line) if field == "index_terms" else ""
                    units.weights.append(round(100 * SOURCE_WEIGHT.get(origin, 1.0)))
                for word in words:
                    units.postings.setdefault(word, []).append(unit)
    return found


def _field_lists(
    field: str, units: _Units, flags: bytearray, key_lengths: bytearray, cancelled: Callable[[], bool]
) -> FieldLists:
    lengths, docs = units.lengths, units.docs

    # Current codes before terminated ones (which a search skips unless asked for: 14,567 retired
    # ICD-9-CM titles led the lists of 'code' and 'cm'); then the shortest text first, billable codes,
    # shorter (more general) codes, code order.
    def rank(unit: int) -> tuple[int, int, int, int, int]:
        doc = docs[unit] if len(docs) else unit
        flag = flags[doc]
        return (flag & TERMINATED, lengths[unit], 0 if flag & BILLABLE else 1, key_lengths[doc], unit)

    terms: list[str] = []
    offsets = array("I", [0])
    flat = array("i")
    words: list[list[int]] = [[] for _ in range(len(lengths))]  # per unit, the numbers of its words
    for number, term in enumerate(sorted(units.postings)):
        if number % 1024 == 0 and cancelled():
            raise Cancelled
        terms.append(term)
        flat.extend(sorted(units.postings[term], key=rank))
        offsets.append(len(flat))
        for unit in units.postings[term]:
            words[unit].append(number)  # terms go in sorted order, so each unit's list is sorted
    typecode = "H" if len(terms) <= 65536 else "I"
    unit_starts = array("I", [0])
    unit_words = array(typecode)
    for held in words:
        unit_words.extend(held)
        unit_starts.append(len(unit_words))
    return FieldLists(
        terms,
        view_of(offsets, "I"),
        view_of(flat, "i"),
        view_of(unit_starts, "I"),
        view_of(unit_words, typecode),
        view_of(lengths, "B"),
        view_of(docs, "i"),
        view_of(units.lines, "H"),
        view_of(units.weights, "B"),
    )


def write_for_index(folder: Path) -> Path:
    """Build the cache of a freshly written index into its folder (for the index builder)."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(folder))  # mmap: a full read is much faster from memory
    try:
        with ix.reader() as reader:
            cache = build(folder, reader)
    finally:
        ix.close()
    path = folder / FILE_NAME
    save(cache, path)
    return path
