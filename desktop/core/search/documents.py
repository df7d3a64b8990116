"""What the search reads from the index: documents by number (cached) and tables built once after opening."""

from __future__ import annotations

import json
import zlib
from collections import OrderedDict
from functools import cached_property
from typing import Any

from whoosh.searching import Searcher

from desktop.core.codec import stored_fields_reader
from desktop.core.records import CodeSet, Hit, Kind, NoteKind
from desktop.core.schema import find_document

NON_CODE = frozenset({Kind.XREF, Kind.GUIDELINE, Kind.DEFINITION})  # documents that are never hits
GROUPING = frozenset({Kind.CHAPTER, Kind.SECTION})  # shown for their own code, never in prefix lists
# Stored values to members by a dict: calling the enum costs 1.6 us on Python 3.11, twice a first read.
_CODE_SETS: dict[str, CodeSet] = {member.value: member for member in CodeSet}
_KINDS: dict[str, Kind] = {member.value: member for member in Kind}
_INCLUSION, _INCLUDES = NoteKind.INCLUSION_TERM.value, NoteKind.INCLUDES.value
CACHE_SIZE = 8192  # documents kept: the as-you-type queries of a phrase read the same ones again


class Doc:
    """The stored fields of one code document, with its searchable lines decoded on demand."""

    __slots__ = (
        "__dict__",
        "billable",
        "code",
        "code_set",
        "docnum",
        "id",
        "key",
        "kind",
        "order",
        "parent",
        "short_title",
        "terminated",
        "title",
    )

    def __init__(self, docnum: int, stored: dict[str, Any]) -> None:
        self.docnum = docnum
        self.id: str = stored.get("id", "")
        self.code: str = stored.get("code", "") or ""
        self.key: str = stored.get("key", "") or ""
        code_set, kind = stored.get("code_set") or CodeSet.ICD10CM, stored.get("kind") or Kind.XREF
        self.code_set = _CODE_SETS.get(code_set) or CodeSet(code_set)  # an unknown value raises as before
        self.kind = _KINDS.get(kind) or Kind(kind)
        self.title: str = stored.get("title", "") or ""
        self.short_title: str = stored.get("short_title", "") or ""
        self.billable = bool(stored.get("billable"))
        self.terminated = bool(stored.get("terminated"))
        self.order: int = int(stored.get("order") or 0)
        self.parent: str = stored.get("parent", "") or ""
        self._detail: str = stored.get("detail", "") or ""

    @cached_property
    def _texts(self) -> dict[str, tuple[str, ...]]:
        """The searchable lines of the stored detail, kept as plain strings (the parsed JSON is dropped:
        thousands of small objects per document would slow every garbage collection)."""
        detail = self._detail
        try:
            if isinstance(detail, bytes):  # indexes of format 2 stored it zlib-compressed
                detail = zlib.decompress(detail).decode("utf-8")
            data = json.loads(detail) if detail else {}
        except (ValueError, zlib.error):
            data = {}
        if not isinstance(data, dict):
            data = {}
        record = data.get("record") or {}
        terms = [t for t in data.get("terms", []) if isinstance(t, list) and len(t) > 2]
        notes = record.get("notes", []) if isinstance(record, dict) else []

        def notes_of(kind: str) -> tuple[str, ...]:
            return tuple(str(n.get("text", "")) for n in notes if n.get("kind") == kind)

        return {
            "index_terms": tuple(dict.fromkeys(str(t[1]) for t in terms)),
            "term_sources": tuple(f"{t[1]}\t{t[0]}\t{t[2]}" for t in terms),
            "inclusion": notes_of(_INCLUSION),
            "includes": notes_of(_INCLUDES),
            "extra": tuple(str(t) for t in (record.get("search_terms", []) if isinstance(record, dict) else [])),
        }

    def lines(self, field: str) -> tuple[str, ...]:
        """The separate texts of a word field: each index term, inclusion term or extra term."""
        if field == "title":
            return (self.title,)
        if field == "short_title":
            return (self.short_title,) if self.short_title else ()
        return self._texts.get(field, ()) if field != "term_sources" else ()

    @cached_property
    def _term_of(self) -> dict[str, tuple[str, str]]:
        """Each index term line -> (its index, its table column), the first entry for a line repeated."""
        found: dict[str, tuple[str, str]] = {}
        for entry in self._texts["term_sources"]:
            line, source, column = entry.split("\t")
            found.setdefault(line, (source, column))
        return found

    def _term(self, text: str) -> tuple[str, str]:
        return self._term_of.get(text, ("", ""))

    def term_source(self, text: str) -> str:
        """Which index an index term came from: alphabetic, drug, neoplasm, external, pcs, hcpcs-drug ..."""
        return self._term(text)[0]

    def term_column(self, text: str) -> str:
        """The Drug / Neoplasm table column an index term came from ('' for plain index entries)."""
        return self._term(text)[1]

    def hit(self, score: float, field: str, matched_text: str, highlights: tuple[tuple[int, int], ...]) -> Hit:
        return Hit(
            self.code,
            self.code_set,
            self.title,
            self.kind,
            self.billable,
            round(score, 4),
            field,
            matched_text,
            highlights,
            self.terminated,
            self.id,
            self.parent if self.kind not in GROUPING else "",
        )


class DocCache:
    """Documents by number and by code key, kept for the as-you-type queries that follow."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self._stored = stored_fields_reader(self._reader)
        self._docs: OrderedDict[int, Doc] = OrderedDict()
        self._numbers: dict[str, int] = {}  # id -> number of the documents held
        self._masks: tuple[set[int], set[int]] | None = None

    def get(self, docnum: int) -> Doc:
        doc = self._docs.get(docnum)
        if doc is None:
            doc = Doc(docnum, self._stored(docnum))
            self._docs[docnum] = doc
            self._numbers[doc.id] = docnum
            if len(self._docs) > CACHE_SIZE:
                _, dropped = self._docs.popitem(last=False)
                self._numbers.pop(dropped.id, None)
        return doc

    def numbers_for_key(self, key: str) -> list[int]:
        """Document numbers whose code key is key (a code can exist in two code sets)."""
        if not key:
            return []
        try:
            return list(self._reader.postings("key", key).all_ids())
        except Exception:  # whoosh raises TermNotFound (and friends) for an unknown term
            return []

    def numbers_for_id(self, doc_id: str) -> int | None:
        known = self._numbers.get(doc_id)
        if known is not None:
            return known
        return find_document(self._reader, doc_id)

    def under(self, key: str, most: int) -> list[int]:
        """Document numbers whose code key extends key (code order), at most most of them."""
        found: list[int] = []
        for term in self._reader.expand_prefix("key", key):
            if len(term) > len(key):
                found += self.numbers_for_key(term.decode("utf-8"))
                if len(found) >= most:
                    break
        return found[:most]

    def children(self, code: str) -> list[int]:
        """Document numbers whose parent is code (any code set: callers check)."""
        try:
            return list(self._reader.postings("parent", code).all_ids())
        except Exception:  # TermNotFound: a leaf
            return []

    def has_billable_children(self, doc: Doc) -> bool:
        """A heading with a current billable code directly under it (the cache's BILLABLE_CHILDREN flag)."""
        if doc.billable or doc.kind in GROUPING or not doc.code:
            return False
        return any(
            (child := self.get(n)).billable and not child.terminated and child.code_set is doc.code_set
            for n in self.children(doc.code)
        )

    def masks(self) -> tuple[set[int], set[int]]:
        """Document numbers that are never hits, and those of terminated codes."""
        if self._masks is None:
            self._masks = non_code_numbers(self._searcher)
        return self._masks


def _postings(searcher: Searcher, field: str, text: str | bool) -> set[int]:
    reader = searcher.reader()
    try:
        return set(reader.postings(field, searcher.schema[field].to_bytes(text)).all_ids())
    except Exception:  # TermNotFound: nothing of that kind in this index
        return set()


def non_code_numbers(searcher: Searcher) -> tuple[set[int], set[int]]:
    noncode: set[int] = set()
    for kind in NON_CODE:
        noncode |= _postings(searcher, "kind", str(kind))
    return noncode, _postings(searcher, "terminated", True)
