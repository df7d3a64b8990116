"""CodeAtlasCodec's term dictionary: sorted, prefix-compressed blocks of terms with small postings inlined.

Whoosh 3 keeps terms in an OrderedHashFile: a length prefix per record, 256 hash tables with twice as
many slots as terms and a position index, 11 of the 18.8 MB of the full index's .trm for 315k terms
(213k code keys, 37k parent codes). Here the terms are written in order, BLOCK_TERMS to a block; each
term keeps only the bytes it does not share with the one before it. At the end of the file: per block
its offset, its CRC-32 and its first term, then the field map and a trailer. A lookup bisects the
first terms (read once) and decodes one block (kept in a small cache: a code lookup reads neighbours).

Each term's entry (`encode_info`) holds W3TermInfo's figures in varints, and a posting list of at most
INLINE_POSTINGS documents (weights whole numbers, as every field of the schema gives) is held in the
entry itself: document gaps and weights in arrays of the narrowest width. Longer lists stay in W3's
posting blocks in the .pst file. A block that fails its CRC raises TermsDamaged naming the file.
"""

from __future__ import annotations

import bisect
import json
import struct
import sys
import threading
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Iterator
from itertools import accumulate, pairwise
from typing import Any

from whoosh.codec import whoosh3
from whoosh.filedb.structfile import StructFile
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_uint, pack_ushort, unpack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

BLOCK_TERMS = 32  # terms per block: a random lookup decodes one block (~15 us), the index is 10k first terms
INLINE_POSTINGS = 128  # W3's posting block size: a list this short is never split into blocks
CACHED_BLOCKS = 256
_CHUNK = 32  # blocks whose first terms are sliced out of the index together
MAGIC = b"CATD"
VERSION = 1
_TRAILER = struct.Struct("<4sHIQQ")  # magic, version, blocks, index offset, index length
_HEAD = struct.Struct("<II")  # blocks' first-term blob length, field-map length

_INLINE = 0x01
_ONES = 0x02  # inlined: every weight is 1
_FREQUENCIES = 0x04  # inlined: each posting's value is its weight as W3's 4-byte frequency
_FLOATS = 0x08  # weight and max weight as 4-byte floats (not whole numbers)
_ID_WIDTH = 0x30  # inlined: document gaps as 1, 2 or 4-byte numbers (0x00, 0x10, 0x20)
_WIDE_WEIGHTS = 0x40  # inlined: weights as 4-byte numbers instead of 1
_WIDTHS = {0x00: "B", 0x10: "H", 0x20: "I"}
_FLOAT = struct.Struct("!f")
_NO_ID = 0xFFFFFFFF


class TermsDamaged(ValueError):
    """The term dictionary cannot be read: the index file is damaged."""


def _varint(number: int) -> bytes:
    out = bytearray()
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    number = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        number |= (byte & 0x7F) << shift
        if byte < 0x80:
            return number, pos
        shift += 7


def _packed(values: Any, code: str) -> bytes:
    numbers = array(code, values)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tobytes()


def _unpacked(data: bytes, code: str) -> array:
    numbers = array(code)
    numbers.frombytes(data)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def _whole(value: float) -> bool:
    return value >= 0 and value == int(value) and value < 2**31


def inlinable(ids: Any, weights: Any, values: list[bytes], format_: Any) -> bool:
    """Whether a posting list can be held in its term entry and read back exactly."""
    if not 0 < len(ids) <= INLINE_POSTINGS or not all(_whole(w) for w in weights):
        return False
    size = format_.fixed_value_size()
    if size == 0:
        return not values
    if size != 4 or len(values) != len(ids):
        return False
    return all(v == pack_uint(int(w)) for v, w in zip(values, weights, strict=True))


def encode_inlined(ids: Any, weights: Any, values: list[bytes], minlength: int | None, maxlength: int) -> bytes:
    """The entry of a term whose postings are inlined (see inlinable)."""
    gaps = [b - a for a, b in pairwise(ids)]
    flags = _INLINE | (_FREQUENCIES if values else 0)
    width = 0x00 if max(gaps, default=0) < 2**8 else 0x10 if max(gaps) < 2**16 else 0x20
    flags |= width
    whole = [int(w) for w in weights]
    if all(w == 1 for w in whole):
        flags |= _ONES
    elif max(whole) >= 2**8:
        flags |= _WIDE_WEIGHTS
    out = bytearray([flags, 0 if minlength is None else length_to_byte(minlength), length_to_byte(maxlength)])
    out += _varint(len(ids)) + _varint(ids[0]) + _packed(gaps, _WIDTHS[width])
    if not flags & _ONES:
        out += _packed(whole, "I" if flags & _WIDE_WEIGHTS else "B")
    return bytes(out)


def encode_info(info: whoosh3.W3TermInfo) -> bytes:
    """The entry of a term whose postings are in the postings file."""
    weight, maxweight = info._weight, info._maxweight
    floats = not (_whole(weight) and _whole(maxweight))
    minlength = 0 if info._minlength is None else length_to_byte(info._minlength)
    out = bytearray([_FLOATS if floats else 0, minlength, length_to_byte(info._maxlength)])
    if floats:
        out += _FLOAT.pack(weight) + _FLOAT.pack(maxweight)
    else:
        out += _varint(int(weight)) + _varint(int(maxweight))
    minid = _NO_ID if info._minid is None else info._minid
    span = 0 if info._minid is None else info._maxid - info._minid
    numbers: tuple[Any, ...] = (info._df, minid, span, info._offset, info._length)
    for number in numbers:
        out += _varint(int(number))
    return bytes(out)


def decode_info(data: bytes) -> whoosh3.W3TermInfo:
    """A W3TermInfo from an entry written by encode_info or encode_inlined."""
    flags = data[0]
    info = whoosh3.W3TermInfo()
    info._minlength = byte_to_length(data[1])
    info._maxlength = byte_to_length(data[2])
    if flags & _INLINE:
        count, pos = _read_varint(data, 3)
        first, pos = _read_varint(data, pos)
        code = _WIDTHS[flags & _ID_WIDTH]
        size = array(code).itemsize * (count - 1)
        ids = tuple(accumulate(_unpacked(data[pos : pos + size], code), initial=first))
        pos += size
        if flags & _ONES:
            weights: tuple[float, ...] = (1.0,) * count
        else:
            wcode = "I" if flags & _WIDE_WEIGHTS else "B"
            weights = tuple(map(float, _unpacked(data[pos : pos + array(wcode).itemsize * count], wcode)))
        if len(ids) != count or len(weights) != count:
            raise ValueError(f"an inlined posting list holds {len(ids)} of {count} documents")
        values = tuple(pack_uint(int(w)) for w in weights) if flags & _FREQUENCIES else ()
        info._inlined = (ids, weights, values)
        info._df = count
        info._weight = float(sum(weights))
        info._maxweight = float(max(weights))
        info._minid, info._maxid = ids[0], ids[-1]
        return info
    if flags & _FLOATS:
        info._weight = _FLOAT.unpack_from(data, 3)[0]
        info._maxweight = _FLOAT.unpack_from(data, 7)[0]
        pos = 11
    else:
        weight, pos = _read_varint(data, 3)
        maxweight, pos = _read_varint(data, pos)
        info._weight, info._maxweight = float(weight), float(maxweight)
    info._df, pos = _read_varint(data, pos)
    minid, pos = _read_varint(data, pos)
    span, pos = _read_varint(data, pos)
    info._offset, pos = _read_varint(data, pos)
    info._length, pos = _read_varint(data, pos)
    if minid != _NO_ID:
        info._minid, info._maxid = minid, minid + span
    return info


class TermDictionaryWriter:
    """Writes (key, entry) pairs, keys in ascending order, into the .trm file."""

    def __init__(self, dbfile: StructFile) -> None:
        self._file = dbfile
        self.fieldmap: dict[str, int] = {}
        self._pending: list[tuple[bytes, bytes]] = []
        self._last = b""
        self._position = 0
        self._offsets = array("Q")
        self._crcs = array("I")
        self._firsts: list[bytes] = []

    def add(self, key: bytes, entry: bytes) -> None:
        if (self._firsts or self._pending) and key <= self._last:
            raise ValueError(f"term {key!r} written after {self._last!r}")
        self._last = key
        self._pending.append((key, entry))
        if len(self._pending) >= BLOCK_TERMS:
            self._flush()

    def _flush(self) -> None:
        out = bytearray()
        previous = b""
        for key, entry in self._pending:
            shared = 0
            most = min(len(key), len(previous))
            while shared < most and key[shared] == previous[shared]:
                shared += 1
            out += _varint(shared) + _varint(len(key) - shared) + key[shared:] + _varint(len(entry)) + entry
            previous = key
        self._offsets.append(self._position)
        self._crcs.append(zlib.crc32(out))
        self._firsts.append(self._pending[0][0])
        self._file.write(bytes(out))
        self._position += len(out)
        self._pending = []

    def close(self) -> None:
        if self._pending:
            self._flush()
        self._offsets.append(self._position)
        ends = array("I", accumulate(len(first) for first in self._firsts))
        fieldmap = json.dumps(self.fieldmap, sort_keys=True).encode("utf-8")
        index = (
            _HEAD.pack(ends[-1] if ends else 0, len(fieldmap))
            + _packed(self._offsets, "Q")
            + _packed(self._crcs, "I")
            + _packed(ends, "I")
            + b"".join(self._firsts)
            + fieldmap
        )
        self._file.write(index)
        self._file.write(_TRAILER.pack(MAGIC, VERSION, len(self._firsts), self._position, len(index)))
        self._file.close()


class TermDictionary:
    """Reads a file written by TermDictionaryWriter: lookups, ordered iteration from a key."""

    def __init__(self, dbfile: StructFile, length: int, where: str) -> None:
        self.dbfile = dbfile
        self._where = where
        if length < _TRAILER.size:
            raise self._damaged(f"its term dictionary is {length} bytes long")
        magic, version, blocks, start, size = _TRAILER.unpack(bytes(dbfile.get(length - _TRAILER.size, _TRAILER.size)))
        if magic != MAGIC or version != VERSION or start + size + _TRAILER.size != length or size < _HEAD.size:
            raise self._damaged("its term dictionary has no valid trailer")
        index = bytes(dbfile.get(start, size))
        firsts_size, map_size = _HEAD.unpack_from(index)
        pos = _HEAD.size
        tables = 8 * (blocks + 1) + 4 * blocks + 4 * blocks
        if pos + tables + firsts_size + map_size != size:
            raise self._damaged("its term dictionary's index does not add up")
        self._offsets = _unpacked(index[pos : pos + 8 * (blocks + 1)], "Q")
        pos += 8 * (blocks + 1)
        self._crcs = _unpacked(index[pos : pos + 4 * blocks], "I")
        pos += 4 * blocks
        ends = _unpacked(index[pos : pos + 4 * blocks], "I")
        pos += 4 * blocks
        blob = index[pos : pos + firsts_size]
        # The first terms are sliced out of the blob 32 blocks at a time, when a lookup first needs them:
        # 10k slices at open were ~2 ms of every reader's opening (an app start opens three).
        self._blob = blob
        self._bounds = array("I", [0]) + ends
        self._count = blocks
        self._tops = [blob[self._bounds[n] : self._bounds[n + 1]] for n in range(0, blocks, _CHUNK)]
        self._chunks: dict[int, list[bytes]] = {}
        try:
            self.fieldmap: dict[str, int] = json.loads(index[pos + firsts_size :].decode("utf-8"))
        except ValueError as exc:
            raise self._damaged(f"its field map cannot be read ({exc})") from exc
        self._cache: OrderedDict[int, tuple[list[bytes], list[bytes]]] = OrderedDict()
        self._lock = threading.Lock()

    def _damaged(self, what: str) -> TermsDamaged:
        return TermsDamaged(f"The index at {self._where} is damaged: {what}. Rebuild it.")

    def __len__(self) -> int:
        return self._count

    def block(self, number: int) -> tuple[list[bytes], list[bytes]]:
        """The keys and entries of one block, in order."""
        with self._lock:  # one file position: a read is a seek then a read
            found = self._cache.get(number)
            if found is not None:
                self._cache.move_to_end(number)
                return found
            found = self._cache[number] = self._decode(number)
            while len(self._cache) > CACHED_BLOCKS:
                self._cache.popitem(last=False)
            return found

    def _decode(self, number: int) -> tuple[list[bytes], list[bytes]]:
        start, end = self._offsets[number], self._offsets[number + 1]
        data = bytes(self.dbfile.get(start, end - start))
        if len(data) != end - start or zlib.crc32(data) != self._crcs[number]:
            raise self._damaged(f"term block {number} (at byte {start} of its term dictionary) fails its check")
        keys: list[bytes] = []
        entries: list[bytes] = []
        previous = b""
        pos = 0
        size = len(data)
        while pos < size:
            shared = data[pos]
            if shared < 0x80:
                pos += 1
            else:
                shared, pos = _read_varint(data, pos)
            grown = data[pos]
            if grown < 0x80:
                pos += 1
            else:
                grown, pos = _read_varint(data, pos)
            key = previous[:shared] + data[pos : pos + grown]
            pos += grown
            length = data[pos]
            if length < 0x80:
                pos += 1
            else:
                length, pos = _read_varint(data, pos)
            entries.append(data[pos : pos + length])
            pos += length
            keys.append(key)
            previous = key
        return keys, entries

    def _block_of(self, key: bytes) -> int:
        """The block that holds key if any block does (-1: before the first term)."""
        chunk = bisect.bisect_right(self._tops, key) - 1
        if chunk < 0:
            return -1
        firsts = self._chunks.get(chunk)
        if firsts is None:
            bounds, low = self._bounds, chunk * _CHUNK
            firsts = [self._blob[bounds[n] : bounds[n + 1]] for n in range(low, min(low + _CHUNK, self._count))]
            self._chunks[chunk] = firsts  # two threads may slice the same chunk: either list is right
        return chunk * _CHUNK + bisect.bisect_right(firsts, key) - 1

    def get(self, key: bytes) -> bytes | None:
        number = self._block_of(key)
        if number < 0:
            return None
        keys, entries = self.block(number)
        at = bisect.bisect_left(keys, key)
        return entries[at] if at < len(keys) and keys[at] == key else None

    def __contains__(self, key: bytes) -> bool:
        return self.get(key) is not None

    def items_from(self, key: bytes = b"") -> Iterator[tuple[bytes, bytes]]:
        """Every (key, entry) from the first key >= key on, in order."""
        number = max(self._block_of(key), 0)
        if number >= self._count:
            return
        keys, entries = self.block(number)
        at = bisect.bisect_left(keys, key)
        while True:
            yield from zip(keys[at:], entries[at:], strict=True)
            number += 1
            if number >= self._count:
                return
            keys, entries = self.block(number)
            at = 0

    def close(self) -> None:
        self.dbfile.close()


class InlineMatcher(ListMatcher):
    """Whoosh's ListMatcher over inlined postings; copies keep the term info (block quality needs it)."""

    def copy(self) -> InlineMatcher:
        return InlineMatcher(
            self._ids,
            self._weights,
            self._values,
            self._format,
            self._scorer,
            self._i,
            self._all_weights,
            self._term,
            self._terminfo,
        )


def _prefix(fieldnum: int) -> bytes:
    return pack_ushort(fieldnum)


class CompactFieldCursor:
    """W3FieldCursor's interface (first, find, next, text, term_info) over one field's terms."""

    def __init__(self, terms: CompactTermsReader, fieldname: str, fieldobj: Any) -> None:
        self._terms = terms
        self._fieldname = fieldname
        self._fieldobj = fieldobj
        self._items: Iterator[tuple[tuple[str, bytes], bytes]] = iter(())
        self._text: Any = None
        self._entry: bytes | None = None
        self.first()

    def first(self) -> Any:
        return self.find(b"")

    def find(self, term: Any) -> Any:
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        self._items = self._terms.raw_items_from(self._fieldname, term)
        return self.next()

    def next(self) -> Any:
        for (_name, text), entry in self._items:
            self._text = self._fieldobj.from_bytes(text)
            self._entry = entry
            return self._text
        self._text = self._entry = None
        return None

    def text(self) -> Any:
        return self._text

    def term_info(self) -> whoosh3.W3TermInfo | None:
        return None if self._entry is None else self._terms.info(self._entry)

    def is_valid(self) -> bool:
        return self._entry is not None


class CompactTermsReader(whoosh3.W3TermsReader):
    """The terms reader of a term dictionary written by TermDictionaryWriter (what SegmentReader calls)."""

    def __init__(self, codec: Any, dbfile: StructFile, length: int, postfile: Any, where: str) -> None:
        self._codec = codec
        self._dbfile = dbfile
        self._dictionary = TermDictionary(dbfile, length, where)
        self._fieldmap = self._dictionary.fieldmap
        self._postfile = postfile
        self._fieldunmap: list[str | None] = [None] * (max(self._fieldmap.values(), default=-1) + 1)  # type: ignore[assignment]
        for fieldname, num in self._fieldmap.items():
            self._fieldunmap[num] = fieldname

    def info(self, entry: bytes) -> whoosh3.W3TermInfo:
        try:
            return decode_info(entry)
        except (IndexError, ValueError, struct.error) as exc:
            raise self._dictionary._damaged(f"a term's entry cannot be read ({exc})") from exc

    def _entry(self, fieldname: str, tbytes: bytes) -> bytes:
        """The term's entry; KeyError for an unknown term (W3's readers raise it too)."""
        found = self._dictionary.get(self._keycoder(fieldname, tbytes))
        if found is None:
            raise KeyError((fieldname, tbytes))
        return found

    def raw_items_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[tuple[str, bytes], bytes]]:
        """(field, term) and entry for each term of the field from prefix on."""
        fieldnum = self._fieldmap.get(fieldname)
        if fieldnum is None:
            return
        head = _prefix(fieldnum)
        for key, entry in self._dictionary.items_from(head + prefix):
            if key[:2] != head:
                return
            yield (fieldname, key[2:]), entry

    def raw_items(self) -> Iterator[tuple[bytes, bytes]]:
        """Every key (field number + term) and its entry, as stored (size_bench attributes the bytes)."""
        return self._dictionary.items_from(b"")

    def __contains__(self, term: Any) -> bool:
        return self._keycoder(*term) in self._dictionary

    def _decoded(self, key: bytes) -> tuple[str, bytes]:
        name = self._fieldunmap[unpack_ushort(key[:2])[0]]
        if name is None:
            raise self._dictionary._damaged(f"a term names field number {unpack_ushort(key[:2])[0]}")
        return name, key[2:]

    def indexed_field_names(self) -> Any:
        return self._fieldmap.keys()

    def cursor(self, fieldname: str, fieldobj: Any) -> CompactFieldCursor:  # type: ignore[override]
        return CompactFieldCursor(self, fieldname, fieldobj)

    def terms(self) -> Iterator[tuple[str, bytes]]:
        return (self._decoded(key) for key, _entry in self._dictionary.items_from(b""))

    def terms_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, bytes]]:
        return (self._decoded(key) for key, _entry in self._dictionary.items_from(self._keycoder(fieldname, prefix)))

    def items(self) -> Iterator[tuple[tuple[str, bytes], whoosh3.W3TermInfo]]:
        return ((self._decoded(key), self.info(entry)) for key, entry in self._dictionary.items_from(b""))

    def items_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[tuple[str, bytes], whoosh3.W3TermInfo]]:
        start = self._keycoder(fieldname, prefix)
        return ((self._decoded(key), self.info(entry)) for key, entry in self._dictionary.items_from(start))

    def term_info(self, fieldname: str, tbytes: bytes) -> whoosh3.W3TermInfo:
        try:
            return self.info(self._entry(fieldname, tbytes))
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        return float(self.info(self._entry(fieldname, tbytes)).weight())

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        return int(self.info(self._entry(fieldname, tbytes)).doc_frequency())

    def matcher(self, fieldname: str, tbytes: bytes, format_: Any, scorer: Any = None) -> Any:
        terminfo = self.term_info(fieldname, tbytes)
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            term = (fieldname, tbytes)
            return InlineMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
        return self._codec.postings_reader(self._postfile, terminfo, format_, term=(fieldname, tbytes), scorer=scorer)

    def close(self) -> None:
        self._dictionary.close()
        self._postfile.close()


class CompactFieldWriter(whoosh3.W3FieldWriter):
    """W3's field writer with the .trm written by TermDictionaryWriter and short lists inlined."""

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        self._codec = codec
        self._storage = storage
        self._segment = segment
        self._fieldname = None
        self._fieldid = None
        self._btext = None
        self._fieldobj = None
        self._format = None
        self._tindex = TermDictionaryWriter(self._create_file(whoosh3.W3Codec.TERMS_EXT))  # type: ignore[assignment]
        self._fieldmap = self._tindex.fieldmap  # type: ignore[attr-defined]
        self._postfile = self._create_file(whoosh3.W3Codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False

    def add_inlined(self, btext: bytes, ids: Any, weights: Any, values: list[bytes], lengths: tuple[Any, int]) -> bool:
        """start_term(btext), add() per posting and finish_term() when the postings fit in the term's entry:
        the entry those calls write (False, and nothing written, when they do not fit).

        ids, weights (as array("f") holds them) and values (the non-empty ones) as the postings writer would
        hold them; lengths: (minimum length or None, maximum length) of the postings with a length.
        """
        writer: Any = self._postwriter
        if writer is None:
            raise Exception("Called add_inlined before start_field")
        if len(ids) > writer._blocklimit or not inlinable(ids, weights, values, self._format):
            return False
        entry = encode_inlined(ids, weights, values, lengths[0], lengths[1])
        self._tindex.add(pack_ushort(self._fieldid) + btext, entry)  # type: ignore[arg-type]
        return True

    def finish_term(self) -> None:
        writer: Any = self._postwriter
        format_: Any = self._format
        if not writer.written() and inlinable(writer._ids, writer._weights, writer._values, format_):
            minlength = writer._minlength
            entry = encode_inlined(writer._ids, writer._weights, writer._values, minlength, writer._maxlength)
            writer._terminfo = None  # between terms again, nothing written to the postings file
        else:
            entry = encode_info(writer.finish_postings())
        text: Any = self._btext
        self._tindex.add(pack_ushort(self._fieldid) + text, entry)
