"""Documents written into a Whoosh SegmentWriter's codec writers directly, the bytes add_document and commit write.

Whoosh's add_document puts every posting of the full build (~4 M) in a pool as a tuple, commit sorts them
all, and its add_postings loop reads each posting's field length back from the stored lengths column and
feeds the postings writer one at a time: about half of the write. Documents are added in number order,
so each term's postings arrive sorted already: `SegmentFeeder` keeps them per field and term in arrays,
and at commit sorts only the terms and hands each posting block to the codec's postings writer whole,
with the statistics its add_posting would have gathered. The per-document writer gets the same calls as
from add_document; TEXT fields are analysed by term_analysis (each distinct word once). Whoosh's commit
still does the rest (merge policy, compound file, TOC, lock), so the files are those add_document writes
(tests/index_build/test_segment_writer.py compares them byte for byte).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from typing import Any

from whoosh.codec import whoosh3
from whoosh.fields import UnknownFieldError
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import IndexWriter, SegmentWriter

from index_build.term_analysis import FieldTerms, Posting, supports

_BOOST = 1.0  # add_document multiplies every weight by the document's and field's boost (none given: 1.0)


class _Postings:
    """One term's postings, in document order."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("d")  # the weights as given (a block's max weight is taken before float32)
        self.values: list[bytes] = []


class SegmentFeeder:
    """add_document and commit for a fresh SegmentWriter of a W3-family codec (CodeAtlasCodec)."""

    def __init__(self, writer: IndexWriter) -> None:
        if not isinstance(writer, SegmentWriter) or not isinstance(writer.fieldwriter, whoosh3.W3FieldWriter):
            raise TypeError("SegmentFeeder writes through a SegmentWriter of a W3-family codec")
        if writer.docnum != writer.docbase or writer._added:
            raise ValueError("SegmentFeeder starts on a writer no document was added to")
        self._writer = writer
        self._schema = writer.schema
        self._perdoc = writer.perdocwriter
        self._docnum = writer.docnum
        self._index: dict[str, Callable[[Any], Iterable[Posting]]] = {}
        for name, field in self._schema.items():
            if field.separate_spelling() or field.vector:
                raise ValueError(f"field {name!r}: spelling words and vectors are not written by SegmentFeeder")
            if field.indexed:
                self._index[name] = FieldTerms(field).postings if supports(field) else field.index
        self._postings: dict[str, dict[bytes, _Postings]] = {name: {} for name in self._index}
        self._lengths: dict[str, dict[int, int]] = {name: {} for name in self._index}  # as the lengths column reads

    @property
    def doc_count(self) -> int:
        return self._docnum - self._writer.docbase

    def add_document(self, fields: dict[str, Any]) -> None:
        """writer.add_document(**fields) for fields without boosts or _stored_ values (names never start with _)."""
        schema = self._schema
        perdoc = self._perdoc
        docnum = self._docnum
        names = sorted(fields)
        for name in names:
            if name.startswith("_"):
                raise ValueError(f"field {name!r}: boosts and _stored_ values are not written by SegmentFeeder")
            if name not in schema:
                raise UnknownFieldError(f"No field named {name!r} in {schema}")
        perdoc.start_doc(docnum)
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            index = self._index.get(name)
            if index is not None:
                scorable = field.scorable
                terms = self._postings[name]
                for tbytes, freq, weight, vbytes in index(value):
                    if scorable:
                        length += freq
                    postings = terms.get(tbytes)
                    if postings is None:
                        postings = terms[tbytes] = _Postings()
                    postings.ids.append(docnum)
                    postings.weights.append(weight * _BOOST)
                    postings.values.append(vbytes)
                if length:
                    stored_byte = length_to_byte(length)
                    if stored_byte:
                        self._lengths[name][docnum] = byte_to_length(stored_byte)
            perdoc.add_field(name, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self._docnum = docnum + 1

    def commit(self) -> None:
        """writer.commit(): the postings go to the codec's field writer in term order, then Whoosh finishes."""
        writer = self._writer
        writer.docnum = self._docnum
        writer._added = self._docnum > writer.docbase
        # SegmentWriter._flush_segment, with the pool's sorted postings and add_postings replaced.
        writer._flush_segment = self._flush_segment  # type: ignore[method-assign]
        writer.commit()

    def _flush_segment(self) -> None:
        writer = self._writer
        writer.perdocwriter.close()
        fieldwriter = writer.fieldwriter
        for name in sorted(self._postings):
            terms = self._postings[name]
            if not terms:
                continue
            fieldwriter.start_field(name, self._schema[name])
            lengths = self._lengths[name]
            for tbytes in sorted(terms):
                _write_term(fieldwriter, tbytes, terms[tbytes], lengths)
            fieldwriter.finish_field()
        self._postings.clear()
        fieldwriter.close()


def _write_term(fieldwriter: Any, tbytes: bytes, postings: _Postings, lengths: dict[int, int]) -> None:
    """start_term, add() per posting and finish_term, as add_postings calls them, a block at a time."""
    fieldwriter.start_term(tbytes)
    writer: whoosh3.W3PostingsWriter = fieldwriter._postwriter
    limit = writer._blocklimit
    ids, weights, values = postings.ids, postings.weights, postings.values
    count = len(ids)
    # add_posting writes out the buffered block when a posting arrives to find it full: every block but
    # the last is written then; finish_term writes (or inlines) the last.
    for start in range(0, count, limit):
        if start:
            writer._write_block()
        end = min(start + limit, count)
        _fill_block(writer, ids[start:end], weights[start:end], values[start:end], lengths)
    fieldwriter.finish_term()


def _fill_block(writer: Any, ids: array, weights: array, values: list[bytes], lengths: dict[int, int]) -> None:
    """The postings writer's buffer and statistics after add_posting for each of these postings."""
    maxweight: float = 0
    for weight in weights:
        if weight > maxweight:
            maxweight = weight
    found = [length for length in map(lengths.get, ids) if length]
    writer._ids = array("I", ids)
    writer._weights = array("f", weights)
    writer._values = [value for value in values if value]
    writer._maxweight = maxweight
    writer._minlength = min(found) if found else None
    writer._maxlength = max(found) if found else 0
