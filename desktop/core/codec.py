"""The Whoosh codec of CodeAtlas indexes: stored fields compressed in blocks, one-document terms inlined.

Whoosh 3 (W3Codec) compresses each document's stored fields on its own and gives every term a
posting block of its own. Most of our documents are short and alike (79,115 PCS codes differ in a
few words), and most terms (213k code keys, 37k parent codes) are held by one document, so:

- stored fields: the pickles of BLOCK_DOCS consecutive documents are zlib-compressed together
  (60 MB per document -> about 15 MB); a reader keeps the last few blocks decompressed, since
  searches read neighbouring codes and the search-cache build reads every document in order;
- term dictionary: a term held by one document with weight 1 and no payload stores that document
  in its term entry (6 bytes) instead of a 34-byte entry pointing at a ~50-byte posting block.

Whoosh pickles the codec object of each segment into the index's TOC, so `open_dir` reads a
segment with the codec that wrote it: indexes written by W3Codec still open and read as before.
Renaming this module or its classes makes the indexes written with them unreadable.
"""

from __future__ import annotations

import pickle
import struct
import threading
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whoosh.codec import whoosh3
from whoosh.columns import Column, ColumnReader, ColumnWriter
from whoosh.filedb.structfile import StructFile
from whoosh.reading import IndexReader, ReaderClosed, TermNotFound
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from desktop.core.codec_terms import CompactFieldWriter, CompactTermsReader

BLOCK_DOCS = 16  # documents per block: 14.9 MB on the full index, ~20 us a random read (32: 11.7 MB, ~40 us)
LEVEL = 9
CACHED_BLOCKS = 64  # each holds its inflater (a 32 KB window) and its text: 256 cost 8 MB more after 100 searches
STORED_NAME = "_stored_blocks"  # not W3's "_stored": a column is only ever read by the codec that wrote it
_TRAILER = struct.Struct("<4sHHI")  # magic, version, documents per block, number of blocks
_MAGIC = b"CABS"
_VERSION = 1
_SINGLE = 2  # first byte of a one-document term entry (W3 entries start with 0 or 1)
_SINGLE_ENTRY = struct.Struct("!BIB")  # marker, document number, length byte
TERMS_FORMAT = 2  # the term dictionary new indexes are written with (see CodeAtlasCodec)


class StoredFieldsDamaged(ValueError):
    """A block of stored fields cannot be decompressed or unpickled: the index file is damaged."""


class BlockStoredColumn(Column):
    """Pickled values, BLOCK_DOCS rows compressed together; trailer: block offsets, then _TRAILER."""

    def __init__(self, block_docs: int = BLOCK_DOCS, level: int = LEVEL) -> None:
        self._block_docs = block_docs
        self._level = level
        self._where = "the index"

    def writer(self, dbfile: StructFile) -> ColumnWriter:
        return _BlockWriter(dbfile, self._block_docs, self._level)

    def reader(self, dbfile: StructFile, basepos: int, length: int, doccount: int) -> ColumnReader:
        return _BlockReader(dbfile, basepos, length, doccount, self._where)

    def default_value(self, reverse: bool = False) -> Any:
        return None


class _BlockWriter(ColumnWriter):
    def __init__(self, dbfile: StructFile, block_docs: int, level: int) -> None:
        super().__init__(dbfile)
        self._block_docs = block_docs
        self._level = level
        self._offsets = array("Q", [0])
        self._pending: list[bytes] = []  # pickles of the current block's rows, b"" for a row without value
        self._position = 0

    def add(self, docnum: int, value: Any) -> None:
        while docnum >= (len(self._offsets) - 1) * self._block_docs + self._block_docs:
            self._pending.extend([b""] * (self._block_docs - len(self._pending)))
            self._flush()
        first = (len(self._offsets) - 1) * self._block_docs
        self._pending.extend([b""] * (docnum - first - len(self._pending)))
        self._pending.append(pickle.dumps(value, 4) if value is not None else b"")
        self._count = docnum + 1

    def _flush(self) -> None:
        ends = array("I")
        end = 0
        for item in self._pending:
            end += len(item)
            ends.append(end)
        data = zlib.compress(ends.tobytes() + b"".join(self._pending), self._level)
        self._dbfile.write(data)
        self._position += len(data)
        self._offsets.append(self._position)
        self._pending = []

    def finish(self, doccount: int) -> None:
        if doccount > (len(self._offsets) - 1) * self._block_docs:  # the last block, padded to full size
            self._pending.extend([b""] * (self._block_docs - len(self._pending)))
            self._flush()
        self._dbfile.write(self._offsets.tobytes())
        self._dbfile.write(_TRAILER.pack(_MAGIC, _VERSION, self._block_docs, len(self._offsets) - 1))


class _BlockReader(ColumnReader):
    def __init__(self, dbfile: StructFile, basepos: int, length: int, doccount: int, where: str) -> None:
        super().__init__(dbfile, basepos, length, doccount)
        self._where = where
        if length < _TRAILER.size:
            raise self._damaged(f"its stored-fields column is {length} bytes long")
        magic, version, block_docs, blocks = _TRAILER.unpack(
            bytes(dbfile.get(basepos + length - _TRAILER.size, _TRAILER.size))
        )
        table = 8 * (blocks + 1)
        if magic != _MAGIC or version != _VERSION or not block_docs or table + _TRAILER.size > length:
            raise self._damaged("its stored-fields column has no valid block table")
        self._block_docs = block_docs
        self._offsets = array("Q")
        self._offsets.frombytes(bytes(dbfile.get(basepos + length - _TRAILER.size - table, table)))
        self._blocks: OrderedDict[int, _Block] = OrderedDict()
        self._lock = threading.Lock()  # the app reads from the search thread and the GUI thread

    def _damaged(self, what: str) -> StoredFieldsDamaged:
        return StoredFieldsDamaged(f"The index at {self._where} is damaged: {what}. Rebuild it.")

    def _block(self, number: int, row: int) -> tuple[array, bytes | bytearray]:
        """The block's end offsets and its data, decompressed at least up to the end of row."""
        with self._lock:
            found = self._blocks.get(number)
            if found is None:
                found = self._blocks[number] = self._open_block(number)
                while len(self._blocks) > CACHED_BLOCKS:
                    self._blocks.popitem(last=False)
            else:
                self._blocks.move_to_end(number)
            try:
                return found.ends, found.upto(found.ends[row])
            except (zlib.error, ValueError) as exc:
                del self._blocks[number]
                raise self._block_damaged(number, exc) from exc

    def _open_block(self, number: int) -> _Block:
        if not 0 <= number < len(self._offsets) - 1:
            raise IndexError(f"stored block {number} of {len(self._offsets) - 1}")
        start, end = self._offsets[number], self._offsets[number + 1]
        try:
            return _Block(bytes(self._dbfile.get(self._basepos + start, end - start)), self._block_docs)
        except (zlib.error, ValueError, OSError) as exc:
            raise self._block_damaged(number, exc) from exc

    def _block_damaged(self, number: int, exc: Exception) -> StoredFieldsDamaged:
        first = number * self._block_docs
        span = f"documents {first}-{first + self._block_docs - 1}"
        return self._damaged(f"stored block {number} ({span}) cannot be read ({exc})")

    def __getitem__(self, docnum: int) -> Any:
        if not 0 <= docnum < self._doccount:
            raise IndexError(f"document {docnum} of {self._doccount}")
        number, row = divmod(docnum, self._block_docs)
        ends, data = self._block(number, row)
        start = ends[row - 1] if row else 0
        if start == ends[row]:
            return None
        try:
            return pickle.loads(data[start : ends[row]])
        except Exception as exc:  # a damaged pickle raises almost any type
            raise self._damaged(f"the stored fields of document {docnum} cannot be read ({exc})") from exc


class _Block:
    """One block, decompressed only as far as a read needed (a search reads one or two of its documents)."""

    def __init__(self, compressed: bytes, block_docs: int) -> None:
        self._inflate = zlib.decompressobj()
        table = self._inflate.decompress(compressed, 4 * block_docs)
        if len(table) != 4 * block_docs:
            raise ValueError(f"the block's table of ends is {len(table)} bytes, not {4 * block_docs}")
        self.ends = array("I")
        self.ends.frombytes(table)
        self._data = bytearray(self._inflate.decompress(self._inflate.unconsumed_tail, 4096))

    def upto(self, size: int) -> bytearray:
        while len(self._data) < size:
            more = self._inflate.decompress(self._inflate.unconsumed_tail, max(4096, size - len(self._data)))
            if not more:
                raise ValueError(f"the block ends after {len(self._data)} of {size} bytes")
            self._data += more
        return self._data


def _where(storage: Any, segment: Any) -> str:
    """The segment's file, for messages (a compound segment is read through an overlay of two storages)."""
    name = segment.make_filename(".seg")
    for candidate in (storage, getattr(storage, "b", None), getattr(storage, "a", None)):
        folder = getattr(candidate, "folder", None)
        if isinstance(folder, str) and folder:
            return str(Path(folder) / name)
    return name


class _PerDocWriter(whoosh3.W3PerDocWriter):
    def __init__(self, codec: whoosh3.W3Codec, storage: Any, segment: Any) -> None:
        self._column = BlockStoredColumn()
        super().__init__(codec, storage, segment)

    def _create_column(self, fieldname: str, column: Column) -> None:
        if fieldname == "_stored":  # W3's writer opens its stored column first thing: ours instead
            fieldname, column = STORED_NAME, self._column
        super()._create_column(fieldname, column)

    def finish_doc(self) -> None:
        if sf := self._storedfields:
            self.add_column_value(STORED_NAME, self._column, dict(sf))
            sf.clear()
        self._indoc = False


class _PerDocReader(whoosh3.W3PerDocReader):
    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._column = BlockStoredColumn()
        self._column._where = _where(storage, segment)

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        reader = self._cached_reader(STORED_NAME, self._column)
        value = reader[docnum] if reader is not None else None
        return dict(value) if value else {}


def stored_fields_reader(reader: IndexReader) -> Callable[[int], dict[str, Any]]:
    """A document's stored fields by number, for a reader that reads them many times.

    For a one-segment index of this codec, straight from the block column: the reader's own call
    copies each dict and checks every key against the schema, a third of the cost of a document
    read from a block not yet decompressed. Any other reader (several segments, W3) is asked itself.
    """
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, _PerDocReader):
        return reader.stored_fields
    column = perdoc._cached_reader(STORED_NAME, perdoc._column)
    if column is None:
        return reader.stored_fields

    def read(docnum: int) -> dict[str, Any]:
        if getattr(reader, "is_closed", False):
            raise ReaderClosed
        return column[docnum] or {}

    return read


class _TermInfo(whoosh3.W3TermInfo):
    """W3's term info, or (marker _SINGLE) one document's posting in six bytes."""

    def to_bytes(self) -> bytes:
        inlined = self._inlined
        if inlined is not None:
            ids, _weights, _values = inlined
            return _SINGLE_ENTRY.pack(_SINGLE, ids[0], length_to_byte(self._maxlength))
        return bytes(super().to_bytes())

    @classmethod
    def from_bytes(cls, s: bytes) -> whoosh3.W3TermInfo:
        if s[:1] != bytes([_SINGLE]):
            return whoosh3.W3TermInfo.from_bytes(s)
        _marker, docnum, length = _SINGLE_ENTRY.unpack(bytes(s[: _SINGLE_ENTRY.size]))
        info = whoosh3.W3TermInfo()
        info._weight = info._maxweight = 1.0
        info._df = 1
        info._minlength = info._maxlength = byte_to_length(length)
        info._minid = info._maxid = docnum
        info._inlined = ((docnum,), (1.0,), (None,))
        return info


class _FieldWriter(whoosh3.W3FieldWriter):
    def start_term(self, btext: bytes) -> None:
        writer: Any = self._postwriter
        if writer is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        writer.start_postings(self._format, _TermInfo())

    def finish_term(self) -> None:
        writer: Any = self._postwriter
        format_: Any = self._format
        single = (
            not writer.written()
            and len(writer._ids) == 1
            and writer._weights[0] == 1.0
            and not writer._values
            and format_.fixed_value_size() == 0
        )
        if single:
            # W3's own inlining (inlinelimit) calls a method W3TermInfo lacks; this does it here.
            terminfo = writer._terminfo
            terminfo.add_block(writer)
            terminfo._inlined = ((writer._ids[0],), (1.0,), (None,))
            writer._terminfo = None
        else:
            terminfo = writer.finish_postings()
        text: Any = self._btext
        self._tindex.add(pack_ushort(self._fieldid) + text, terminfo.to_bytes())


class _FieldCursor(whoosh3.W3FieldCursor):
    def term_info(self) -> whoosh3.W3TermInfo | None:
        if self._pos is None:
            return None
        return _TermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class _TermsReader(whoosh3.W3TermsReader):
    def cursor(self, fieldname: str, fieldobj: Any) -> _FieldCursor:
        return _FieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self) -> Any:
        decode = self._keydecoder
        return ((decode(key), _TermInfo.from_bytes(value)) for key, value in self._tindex.items())

    def items_from(self, fieldname: str, prefix: bytes) -> Any:
        decode = self._keydecoder
        start = self._keycoder(fieldname, prefix)
        return ((decode(key), _TermInfo.from_bytes(value)) for key, value in self._tindex.items_from(start))

    def term_info(self, fieldname: str, tbytes: bytes) -> whoosh3.W3TermInfo:
        try:
            return _TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    # Like W3's, these raise KeyError for an unknown term (the reader answers 0).
    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        return float(_TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).weight())

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        return int(_TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).doc_frequency())


class CodeAtlasCodec(whoosh3.W3Codec):
    """W3Codec with block-compressed stored fields and a compact term dictionary (codec_terms).

    `_terms_format` is pickled into the TOC with the codec: 2 is codec_terms' dictionary; indexes written
    before it carry none and read with the class's 1 (Whoosh's ordered hash file, one-document terms inlined).
    """

    _terms_format = 1

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = 1) -> None:
        super().__init__(blocklimit, compression, inlinelimit)
        self._terms_format = TERMS_FORMAT

    def per_document_writer(self, storage: Any, segment: Any) -> _PerDocWriter:
        return _PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Any) -> _PerDocReader:
        return _PerDocReader(storage, segment)

    def field_writer(self, storage: Any, segment: Any) -> whoosh3.W3FieldWriter:
        if self._terms_format >= 2:
            return CompactFieldWriter(self, storage, segment)
        return _FieldWriter(self, storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> whoosh3.W3TermsReader:
        name = segment.make_filename(self.TERMS_EXT)
        postings = segment.open_file(storage, self.POSTS_EXT)
        if self._terms_format >= 2:
            where = _where(storage, segment)
            return CompactTermsReader(self, storage.open_file(name), storage.file_length(name), postings, where)
        return _TermsReader(self, storage.open_file(name), storage.file_length(name), postings)
