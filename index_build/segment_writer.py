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

from desktop.core.codec_terms import INLINE_POSTINGS
from index_build.term_analysis import Posting, postings_function


class _Postings:
    """One term's postings, in document order."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("d")  # the weights as given (a block's max weight is taken before float32)
        self.values: list[bytes] = []


class _Field:
    """What add_document does with one field of the schema, decided once."""

    __slots__ = ("column", "field", "index", "length_column", "length_name", "lengths", "name", "stored", "terms")

    def __init__(self, name: str, field: Any) -> None:
        if field.separate_spelling() or field.vector:
            raise ValueError(f"field {name!r}: spelling words and vectors are not written by SegmentFeeder")
        self.name = name
        self.field = field
        self.stored = bool(field.stored)
        self.index: Callable[[Any], Iterable[Posting]] | None = postings_function(field) if field.indexed else None
        self.column = field.column_type
        self.terms: dict[bytes, _Postings] = {}
        self.length_name = f"_{name}_len" if field.indexed and field.scorable else ""  # W3's lengths column
        self.length_column: Any = None  # its writer, once the per-document writer has made it
        self.lengths: dict[int, int] = {}  # document -> its length as the lengths column reads back (0 left out)


class SegmentFeeder:
    """add_document and commit for a fresh SegmentWriter of a W3-family codec (CodeAtlasCodec)."""

    def __init__(self, writer: IndexWriter) -> None:
        if not isinstance(writer, SegmentWriter) or not isinstance(writer.fieldwriter, whoosh3.W3FieldWriter):
            raise TypeError("SegmentFeeder writes through a SegmentWriter of a W3-family codec")
        if not isinstance(writer.perdocwriter, whoosh3.W3PerDocWriter):
            raise TypeError("SegmentFeeder writes through a W3-family per-document writer")
        if writer.docnum != writer.docbase or writer._added:
            raise ValueError("SegmentFeeder starts on a writer no document was added to")
        self._writer = writer
        self._schema = writer.schema
        self._perdoc: Any = writer.perdocwriter
        self._docnum = writer.docnum
        self._fields = {name: _Field(name, field) for name, field in self._schema.items()}
        self._length_bytes: dict[int, int] = {}  # length -> length_to_byte(length)

    @property
    def doc_count(self) -> int:
        return self._docnum - self._writer.docbase

    def add_document(self, fields: dict[str, Any]) -> None:
        """writer.add_document(**fields) for fields without boosts or _stored_ values (names never start with _).

        The per-document writer's add_field is done here (the stored value, the length byte in the field's
        lengths column, the field's total length), in the same order.
        """
        plans = self._fields
        names = sorted(fields)
        for name in names:
            if name not in plans:
                self._refuse(name)
        perdoc = self._perdoc
        docnum = self._docnum
        perdoc.start_doc(docnum)
        stored = perdoc._storedfields
        for name in names:
            value = fields[name]
            if value is None:
                continue
            plan = plans[name]
            index = plan.index
            if index is not None:
                length = 0
                terms = plan.terms
                for tbytes, freq, weight, vbytes in index(value):
                    length += freq
                    postings = terms.get(tbytes)
                    if postings is None:
                        postings = terms[tbytes] = _Postings()
                    postings.ids.append(docnum)
                    postings.weights.append(weight)  # add_document's weight * 1.0: the same double
                    postings.values.append(vbytes)
                if length and plan.length_name:
                    self._add_length(plan, docnum, length)
            if plan.stored:
                stored[name] = value
            column = plan.column
            if column:
                perdoc.add_column_value(name, column, plan.field.to_column_value(value))
        perdoc.finish_doc()
        self._docnum = docnum + 1

    def _refuse(self, name: str) -> None:
        if name.startswith("_"):
            raise ValueError(f"field {name!r}: boosts and _stored_ values are not written by SegmentFeeder")
        raise UnknownFieldError(f"No field named {name!r} in {self._schema}")

    def _add_length(self, plan: _Field, docnum: int, length: int) -> None:
        """W3PerDocWriter.add_field's length: its byte in the lengths column, the field's total."""
        stored_byte = self._length_bytes.get(length)
        if stored_byte is None:
            stored_byte = self._length_bytes[length] = length_to_byte(length)
        perdoc = self._perdoc
        if plan.length_column is None:
            perdoc.add_column_value(plan.length_name, whoosh3.LENGTHS_COLUMN, stored_byte)
            plan.length_column = perdoc._colwriters[plan.length_name]
        else:
            plan.length_column.add(docnum, stored_byte)
        perdoc._fieldlengths[plan.name] += length
        if stored_byte:
            plan.lengths[docnum] = byte_to_length(stored_byte)

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
        for name in sorted(self._fields):
            plan = self._fields[name]
            if not plan.terms:
                continue
            fieldwriter.start_field(name, plan.field)
            for tbytes in sorted(plan.terms):
                _write_term(fieldwriter, tbytes, plan.terms[tbytes], plan.lengths)
            fieldwriter.finish_field()
            plan.terms = {}
        fieldwriter.close()


def _write_term(fieldwriter: Any, tbytes: bytes, postings: _Postings, lengths: dict[int, int]) -> None:
    """start_term, add() per posting and finish_term, as add_postings calls them, a block at a time."""
    ids, weights, values = postings.ids, postings.weights, postings.values
    count = len(ids)
    inline = getattr(fieldwriter, "add_inlined", None)
    if inline is not None and count <= INLINE_POSTINGS:
        found = [length for length in map(lengths.get, ids) if length]
        span = (min(found), max(found)) if found else (None, 0)
        if inline(tbytes, ids, array("f", weights), [value for value in values if value], span):
            return
    fieldwriter.start_term(tbytes)
    writer: whoosh3.W3PostingsWriter = fieldwriter._postwriter
    limit = writer._blocklimit
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
