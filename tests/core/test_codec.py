"""CodeAtlasCodec: stored fields compressed in blocks and one-document terms read back exactly as W3Codec's."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from desktop.core import codec
from desktop.core.codec import BLOCK_DOCS, STORED_NAME, CodeAtlasCodec, StoredFieldsDamaged
from desktop.core.index import CodeIndex
from desktop.core.records import CodeSet
from desktop.core.search.engine import SearchEngine
from index_build import writer
from index_build.manifest import make_manifest
from index_build.writer import write_index
from tests.sample_data import sample_parsed


def _values(number: int) -> dict[str, Any]:
    """Stored fields of test document `number`; every seventh has none (a gap in the column)."""
    if number % 7 == 3:
        return {}
    values: dict[str, Any] = {
        "id": f"doc:{number}",
        "title": f"Fracture {number} \u00e9\u00df \u2014",
        "order": number * 3,
    }
    if number % 5 == 0:  # long, hardly compressible details: a block decompressed in several steps
        values["detail"] = " ".join(hashlib.sha256(f"{number}:{n}".encode()).hexdigest() for n in range(60))
    return values


def _tiny(folder: Path, count: int, use: Any) -> None:
    folder.mkdir()
    schema = Schema(id=STORED(), title=STORED(), order=STORED(), detail=STORED(), key=ID(), words=TEXT())
    ix = whoosh_index.create_in(str(folder), schema)
    with ix.writer(codec=use) as w:
        for number in range(count):
            w.add_document(key=f"K{number}", words="common word", **_values(number))
    ix.close()


def test_stored_fields_round_trip_across_blocks_and_gaps(tmp_path: Path) -> None:
    count = 3 * BLOCK_DOCS + 5  # a last block that is not full
    _tiny(tmp_path / "ix", count, CodeAtlasCodec())
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    with ix.reader() as reader:
        assert type(reader.codec()) is CodeAtlasCodec  # the TOC names the codec that wrote the segment
        assert [reader.stored_fields(n) for n in range(count)] == [_values(n) for n in range(count)]
        backwards = [reader.stored_fields(n) for n in reversed(range(count))]
        assert backwards == [_values(n) for n in reversed(range(count))]
        with pytest.raises(IndexError):
            reader.stored_fields(count)
    ix.close()


def test_the_direct_stored_fields_reader_answers_like_the_reader(tmp_path: Path) -> None:
    count = 2 * BLOCK_DOCS + 3
    _tiny(tmp_path / "ours", count, CodeAtlasCodec())
    _tiny(tmp_path / "w3", count, W3Codec())
    for name in ("ours", "w3"):
        ix = whoosh_index.open_dir(str(tmp_path / name))
        with ix.reader() as reader:
            read = codec.stored_fields_reader(reader)
            assert (read == reader.stored_fields) is (name == "w3")  # W3 segments are asked through the reader
            assert [read(n) for n in range(count)] == [_values(n) for n in range(count)]
            with pytest.raises(IndexError):
                read(count)
        ix.close()


def test_one_document_terms_answer_like_w3_postings(tmp_path: Path) -> None:
    _tiny(tmp_path / "new", 50, CodeAtlasCodec())
    _tiny(tmp_path / "old", 50, W3Codec())
    new, old = whoosh_index.open_dir(str(tmp_path / "new")), whoosh_index.open_dir(str(tmp_path / "old"))
    with new.reader() as n, old.reader() as o:
        for field in ("key", "words"):
            terms = [(t, i.doc_frequency(), i.weight()) for t, i in n.iter_field(field)]
            assert terms == [(t, i.doc_frequency(), i.weight()) for t, i in o.iter_field(field)]
        assert list(n.postings("key", "K17").all_ids()) == [17]
        assert n.doc_frequency("key", "K17") == 1 and n.frequency("key", "K17") == 1.0
        assert n.doc_frequency("key", "nope") == 0
        assert list(n.postings("words", "common").all_ids()) == list(range(50))
        assert [t for t, _ in n.iter_prefix("key", "K4")] == [b"K4"] + [f"K4{d}".encode() for d in range(10)]
    new.close()
    old.close()


def test_trm_entry_of_a_one_document_term_is_six_bytes(tmp_path: Path) -> None:
    _tiny(tmp_path / "new", 200, CodeAtlasCodec())
    _tiny(tmp_path / "old", 200, W3Codec())

    def sizes(folder: Path) -> dict[str, int]:
        storage = FileStorage(str(folder))
        (seg,) = [name for name in storage.list() if name.endswith(".seg")]
        compound = CompoundStorage(storage.open_file(seg))
        return {name.rpartition(".")[2]: compound.file_length(name) for name in compound.list()}

    new, old = sizes(tmp_path / "new"), sizes(tmp_path / "old")
    # 200 one-document keys: W3 writes a ~50-byte posting block for each, this codec none.
    assert new["pst"] < old["pst"] - 200 * 40
    assert new["trm"] < old["trm"] - 200 * 20


def _damage_stored_block(folder: Path) -> None:
    storage = FileStorage(str(folder))
    (seg,) = [name for name in storage.list() if name.endswith(".seg")]
    compound = CompoundStorage(storage.open_file(seg))
    (column,) = [name for name in compound.list() if STORED_NAME in name]
    offset, _length = compound._dir[column]["offset"], compound._dir[column]["length"]
    compound.close()
    path = folder / seg
    data = bytearray(path.read_bytes())
    for at in range(offset + 2, offset + 40):  # inside the first block's zlib stream
        data[at] ^= 0x5A
    path.write_bytes(bytes(data))


def test_a_damaged_block_names_the_index_and_the_documents(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    _tiny(folder, 2 * BLOCK_DOCS, CodeAtlasCodec())
    _damage_stored_block(folder)
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        with pytest.raises(StoredFieldsDamaged, match=r"The index at .*ix.*\.seg is damaged: stored block 0") as e:
            reader.stored_fields(5)
        assert f"documents 0-{BLOCK_DOCS - 1}" in str(e.value)
        assert "Rebuild it" in str(e.value)
        assert reader.stored_fields(BLOCK_DOCS) == _values(BLOCK_DOCS)  # the next block is intact
    ix.close()


def _write(folder: Path) -> None:
    parsed = sample_parsed()
    write_index(folder, parsed, make_manifest({"all": parsed}, [], 0.0), lambda _: None)


def test_an_index_of_the_previous_format_opens_and_answers_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "new")
    monkeypatch.setattr(writer, "index_codec", W3Codec)  # the writer of the previous format
    _write(tmp_path / "old")
    new, old = whoosh_index.open_dir(str(tmp_path / "new")), whoosh_index.open_dir(str(tmp_path / "old"))
    with new.reader() as n, old.reader() as o:
        assert type(o.codec()) is W3Codec and type(n.codec()) is CodeAtlasCodec
        assert n.doc_count_all() == o.doc_count_all() > 30
        assert [n.stored_fields(d) for d in range(n.doc_count_all())] == [
            o.stored_fields(d) for d in range(o.doc_count_all())
        ]
        for field in n.schema.names():
            if n.schema[field].indexed:
                assert [(t, list(n.postings(field, t).all_ids())) for t in n.lexicon(field)] == [
                    (t, list(o.postings(field, t).all_ids())) for t in o.lexicon(field)
                ]
    new.close()
    old.close()
    for folder in (tmp_path / "new", tmp_path / "old"):
        index = CodeIndex(folder)
        record = index.record(CodeSet.ICD10CM, "E11.9")
        assert record is not None and record.title == "Type 2 diabetes mellitus without complications"
    engines = [SearchEngine(tmp_path / name, warm_up=False) for name in ("new", "old")]
    try:
        for text in ("diabetes", "E11", "fracture femur"):
            found = [[(h.code_set, h.code) for h in engine.search(text).hits] for engine in engines]
            assert found[0] == found[1] and found[0]
    finally:
        for engine in engines:
            engine.close()


def test_block_size_is_recorded_in_the_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codec, "BLOCK_DOCS", 4)  # a reader follows the file, not the module's constant
    monkeypatch.setattr(codec.BlockStoredColumn.__init__, "__defaults__", (4, codec.LEVEL))
    _tiny(tmp_path / "ix", 30, CodeAtlasCodec())
    monkeypatch.setattr(codec.BlockStoredColumn.__init__, "__defaults__", (BLOCK_DOCS, codec.LEVEL))
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    with ix.reader() as reader:
        assert [reader.stored_fields(n) for n in range(30)] == [_values(n) for n in range(30)]
    ix.close()
