"""SegmentFeeder writes the files Whoosh's add_document and commit write, byte for byte, for the schema's fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.codec import base as codec_base
from whoosh.fields import UnknownFieldError
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from desktop.core.schema import build_schema, index_codec
from index_build import writer as index_writer
from index_build.segment_writer import SegmentFeeder
from tests.sample_data import sample_parsed

_TEXT = "Fracture of the left femur, café naïve Ærø 3.14 ABC-12 0DTJ4ZZ and with without other type 2 C running *star*"
_WORDS = [*_TEXT.split(), "e.g.", "x-ray's", "NAÏVE"]


def _documents() -> list[dict[str, Any]]:
    parsed = sample_parsed()
    documents = list(index_writer._documents(parsed, index_writer._Linker(parsed)))
    for number in range(700):
        words = [_WORDS[(number * 7 + at) % len(_WORDS)] for at in range(number % 45)]
        documents.append(
            {
                "id": f"HCPCS:T{number}",
                "code": f"T{number}",
                "key": f"T{number % 3}",  # three terms of ~233 postings: posting blocks of 128 and the rest
                "code_set": "HCPCS",
                "kind": "code",
                "title": " ".join(words) or "Empty",
                "extra": " ".join(["lorem"] * (number % 300)),  # long fields: lengths stored as a byte
                "billable": number % 2 == 0,
                "order": number,
                "applies": "a,B ,c" if number % 5 == 0 else None,
            }
        )
    return documents


def _members(folder: Path) -> dict[str, bytes]:
    """The segment's files by extension (the compound file itself holds their modification times)."""
    (segment,) = folder.glob("*.seg")
    storage = CompoundStorage(FileStorage(str(folder)).open_file(segment.name), use_mmap=False)
    return {name[len(segment.stem) :]: storage.open_file(name).read() for name in storage.list()}


def _write(folder: Path, documents: list[dict[str, Any]], fed: bool) -> dict[str, bytes]:
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = ix.writer(limitmb=1024, codec=index_codec())
    if fed:
        feeder = SegmentFeeder(writer)
        for document in documents:
            feeder.add_document(document)
        feeder.commit()
    else:
        for document in documents:
            writer.add_document(**document)
        writer.commit()
    ix.close()
    return _members(folder)


def test_same_segment_files_as_add_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codec_base.Segment, "_random_id", classmethod(lambda cls, size=16: "s" * size))
    documents = _documents()
    whoosh_files = _write(tmp_path / "whoosh", documents, fed=False)
    fed_files = _write(tmp_path / "fed", documents, fed=True)
    assert {".trm", ".pst", "._stored_blocks.col", "._title_len.col", "._extra_len.col"} <= whoosh_files.keys()
    assert fed_files.keys() == whoosh_files.keys()
    for name, data in whoosh_files.items():
        assert fed_files[name] == data, name
    with whoosh_index.open_dir(str(tmp_path / "fed")).searcher() as searcher:
        assert searcher.doc_count_all() == len(documents)
        assert len(list(searcher.postings("key", b"T1").all_ids())) == 233
        assert searcher.stored_fields(len(documents) - 1)["code"] == "T699"


def test_refuses_what_it_does_not_write(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = ix.writer(codec=index_codec())
    feeder = SegmentFeeder(writer)
    with pytest.raises(ValueError, match="_boost"):
        feeder.add_document({"id": "x", "title": "a", "_boost": 2.0})
    with pytest.raises(UnknownFieldError, match="colour"):
        feeder.add_document({"id": "x", "colour": "red"})
    writer.cancel()
    ix.close()
