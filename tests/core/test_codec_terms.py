"""CodeAtlasCodec's compact term dictionary: every term, term info and posting read back as W3Codec's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.query import And, Or, Term
from whoosh.system import pack_uint

from desktop.core import codec_terms
from desktop.core.codec import CodeAtlasCodec
from desktop.core.codec_terms import BLOCK_TERMS, INLINE_POSTINGS, TermsDamaged, decode_info, encode_inlined
from desktop.core.index import CodeIndex
from desktop.core.manifest import IndexProblem
from index_build.manifest import make_manifest
from index_build.writer import write_index
from tests.sample_data import sample_parsed

COUNT = 1500  # ~1,700 terms: 53 blocks, more than one chunk of first terms (codec_terms._CHUNK)


def _document(number: int) -> dict[str, Any]:
    """Terms of every shape: one document (key), a few (group), more than a posting block (all), repeats."""
    words = ["all"]
    if number % 3 == 0:
        words.append("third")
    if number % 300 == 7:
        words += ["rare"] * (1 + number % 5)  # frequencies above 1
    if number == 11:
        words += ["heavy"] * 300  # a weight above 255
    if number in (1, 600):
        words.append("apart")  # a gap above 255
    return {
        "key": f"K{number:04d}",
        "group": f"G{number // 9}",
        "words": " ".join(words),
        "tags": "alpha,beta" if number % 2 else "alpha",
        "name": f"doc {number}",
    }


def _write(folder: Path, codec: Any, count: int = COUNT) -> None:
    folder.mkdir()
    schema = Schema(key=ID(), group=ID(), words=TEXT(phrase=False), tags=KEYWORD(commas=True), name=STORED())
    ix = whoosh_index.create_in(str(folder), schema)
    with ix.writer(codec=codec) as w:
        for number in range(count):
            w.add_document(**_document(number))
    ix.close()


def _info(info: W3TermInfo) -> tuple[Any, ...]:
    return (
        info.weight(),
        info.doc_frequency(),
        info.min_length(),
        info.max_length(),
        info.max_weight(),
        info.min_id(),
        info.max_id(),
    )


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("terms")
    _write(root / "compact", CodeAtlasCodec())
    _write(root / "w3", W3Codec())
    return {"compact": root / "compact", "w3": root / "w3"}


def test_every_term_info_and_posting_is_w3s(pair: dict[str, Path]) -> None:
    new, old = whoosh_index.open_dir(str(pair["compact"])), whoosh_index.open_dir(str(pair["w3"]))
    with new.reader() as n, old.reader() as o:
        assert len(n._terms._dictionary) > codec_terms._CHUNK
        assert sorted(n.indexed_field_names()) == sorted(o.indexed_field_names())
        assert list(n.all_terms()) == list(o.all_terms())
        assert [(t, _info(i)) for t, i in n] == [(t, _info(i)) for t, i in o]
        for field, text in o.all_terms():
            mine, theirs = n.postings(field, text), o.postings(field, text)
            assert list(mine.items_as("weight")) == list(theirs.items_as("weight")), (field, text)
            if field in ("words", "tags"):
                frequencies = list(o.postings(field, text).items_as("frequency"))
                assert list(n.postings(field, text).items_as("frequency")) == frequencies
            assert n.doc_frequency(field, text) == o.doc_frequency(field, text)
            assert n.frequency(field, text) == o.frequency(field, text)
            assert (field, text) in n
        assert n.doc_frequency("key", "nope") == 0 and n.frequency("words", "nope") == 0
        assert ("key", b"nope") not in n and ("nofield", b"x") not in n
        assert list(n.expand_prefix("key", "K06")) == [f"K06{d:02d}".encode() for d in range(100)]
        assert list(n.expand_prefix("group", "G7")) == list(o.expand_prefix("group", "G7"))
        assert list(n.terms_from("words", "r")) == list(o.terms_from("words", "r"))
        assert list(n.lexicon("tags")) == [b"alpha", b"beta"]
        assert list(n.expand_prefix("key", "Z")) == [] and list(n.expand_prefix("tags", "")) == [b"alpha", b"beta"]
    new.close()
    old.close()


def test_searches_score_and_rank_as_with_w3(pair: dict[str, Path]) -> None:
    new, old = whoosh_index.open_dir(str(pair["compact"])), whoosh_index.open_dir(str(pair["w3"]))
    queries = [
        Term("words", "rare"),
        Or([Term("words", "third"), Term("words", "rare"), Term("words", "heavy")]),
        And([Term("words", "all"), Term("tags", "beta"), Term("words", "third")]),
        Or([Term("group", "G3"), Term("key", "K0500"), Term("words", "apart")]),
    ]
    with new.searcher() as n, old.searcher() as o:
        for query in queries:
            for limit in (3, 10, None):
                mine = [(hit.docnum, round(hit.score, 9)) for hit in n.search(query, limit=limit)]
                assert mine == [(hit.docnum, round(hit.score, 9)) for hit in o.search(query, limit=limit)], query
                assert mine
    new.close()
    old.close()


def test_a_cursor_walks_one_field(pair: dict[str, Path]) -> None:
    ix = whoosh_index.open_dir(str(pair["compact"]))
    with ix.reader() as reader:
        cursor = reader.cursor("group")
        assert cursor.text() == "G0" and cursor.is_valid()
        info = cursor.term_info()
        assert info is not None and info.doc_frequency() == 9
        assert cursor.next() == "G1"
        assert cursor.find("G166") == "G166" and cursor.next() == "G17"  # in byte order
        cursor.find("G7")
        texts = [cursor.text()]
        while cursor.next() is not None:
            texts.append(cursor.text())
        assert texts == sorted(f"G{n}" for n in range(COUNT // 9 + 1) if f"G{n}" >= "G7")
        assert not cursor.is_valid() and cursor.term_info() is None
        assert cursor.first() == "G0"
    ix.close()


def test_postings_up_to_a_block_live_in_the_term_dictionary(pair: dict[str, Path]) -> None:
    ix = whoosh_index.open_dir(str(pair["compact"]))
    with ix.reader() as reader:
        assert reader.term_info("group", "G5").is_inlined()
        assert reader.term_info("words", "rare").is_inlined()
        assert reader.term_info("words", "third").doc_frequency() > INLINE_POSTINGS
        assert not reader.term_info("words", "third").is_inlined()  # W3's posting blocks in the .pst
        matcher = reader.postings("group", "G5")
        assert list(matcher.copy().all_ids()) == list(range(45, 54))
    ix.close()


def _parts(folder: Path) -> dict[str, int]:
    storage = FileStorage(str(folder))
    (seg,) = [name for name in storage.list() if name.endswith(".seg")]
    compound = CompoundStorage(storage.open_file(seg))
    return {name.rpartition(".")[2]: compound.file_length(name) for name in compound.list()}


def test_terms_and_postings_take_a_fraction_of_w3s(pair: dict[str, Path]) -> None:
    new, old = _parts(pair["compact"]), _parts(pair["w3"])
    # 1,500 keys, 167 groups, 6 words, 2 tags: W3 writes a 34-byte entry, hash slots and a posting block for each.
    assert new["trm"] + new["pst"] < (old["trm"] + old["pst"]) / 4


@pytest.mark.parametrize(
    ("ids", "weights", "frequencies"),
    [
        ([5], [1.0], False),
        ([0, 70_000, 70_001, 4_000_000_000], [1.0, 2.0, 300.0, 1.0], True),  # 4-byte gaps and weights
        ([3, 400, 401], [2.0, 1.0, 7.0], True),
        (list(range(10, 10 + INLINE_POSTINGS)), [1.0] * INLINE_POSTINGS, False),
    ],
)
def test_inlined_entries_decode_to_their_postings(ids: list[int], weights: list[float], frequencies: bool) -> None:
    values = [pack_uint(int(w)) for w in weights] if frequencies else []
    info = decode_info(encode_inlined(ids, weights, values, 3, 40))
    assert info.inlined_postings() == (tuple(ids), tuple(weights), tuple(values))
    assert (info.doc_frequency(), info.weight(), info.max_weight()) == (len(ids), sum(weights), max(weights))
    assert (info.min_id(), info.max_id(), info.min_length(), info.max_length()) == (ids[0], ids[-1], 3, 40)


def _damage_terms(folder: Path, at: int) -> None:
    storage = FileStorage(str(folder))
    (seg,) = [name for name in storage.list() if name.endswith(".seg")]
    compound = CompoundStorage(storage.open_file(seg))
    (terms,) = [name for name in compound.list() if name.endswith(".trm")]
    offset = compound._dir[terms]["offset"]
    length = compound._dir[terms]["length"]
    compound.close()
    path = folder / seg
    data = bytearray(path.read_bytes())
    data[offset + (at if at >= 0 else length + at)] ^= 0x5A
    path.write_bytes(bytes(data))


def test_a_damaged_term_block_names_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    _write(folder, CodeAtlasCodec(), count=3 * BLOCK_TERMS)
    _damage_terms(folder, 3)  # inside the first block
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        with pytest.raises(TermsDamaged, match=r"The index at .*ix.*\.seg is damaged: term block 0 .* Rebuild it"):
            reader.doc_frequency("group", "G0")
        assert reader.doc_frequency("words", "all") == 3 * BLOCK_TERMS  # later blocks still read
    ix.close()


def test_a_damaged_trailer_names_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    _write(folder, CodeAtlasCodec(), count=40)
    _damage_terms(folder, -5)
    with pytest.raises(TermsDamaged, match=r"The index at .*ix.*\.seg is damaged: its term dictionary"):
        whoosh_index.open_dir(str(folder)).reader()


def test_indexes_of_the_first_codeatlas_term_format_still_open(tmp_path: Path) -> None:
    first = CodeAtlasCodec()
    del first._terms_format  # what the TOC of an index written before the compact dictionary holds
    _write(tmp_path / "first", first, count=60)
    _write(tmp_path / "w3", W3Codec(), count=60)
    older, w3 = whoosh_index.open_dir(str(tmp_path / "first")), whoosh_index.open_dir(str(tmp_path / "w3"))
    with older.reader() as o, w3.reader() as w:
        assert type(o.codec()) is CodeAtlasCodec and "_terms_format" not in vars(o.codec())
        assert not isinstance(o._terms, codec_terms.CompactTermsReader)
        assert [(t, _info(i)) for t, i in o] == [(t, _info(i)) for t, i in w]
        for field, text in w.all_terms():
            assert list(o.postings(field, text).all_ids()) == list(w.postings(field, text).all_ids())
    older.close()
    w3.close()


def test_terms_out_of_order_are_refused(tmp_path: Path) -> None:
    storage = FileStorage(str(tmp_path))
    writer = codec_terms.TermDictionaryWriter(storage.create_file("t.trm"))
    writer.add(b"\x00\x00b", b"x")
    with pytest.raises(ValueError, match="written after"):
        writer.add(b"\x00\x00a", b"x")


def test_an_index_with_a_damaged_term_dictionary_is_an_index_problem_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    parsed = sample_parsed()
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda _: None)
    _damage_terms(folder, -5)  # the trailer: found when the index opens (sizes still match the manifest)
    with pytest.raises(IndexProblem, match=r"damaged and cannot be opened \(The index at .*ix/MAIN_\w+\.seg"):
        CodeIndex(folder)
