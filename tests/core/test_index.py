"""The writer and CodeIndex: a code's full detail comes back from the index by code."""

from __future__ import annotations

from pathlib import Path

from desktop.core.index import CodeIndex
from desktop.core.records import CodeSet, Kind, NoteKind


def test_detail_inherits_ancestors_and_terms(small_index: Path) -> None:
    index = CodeIndex(small_index)
    detail = index.detail(CodeSet.ICD10CM, "E11.9")
    assert detail is not None
    assert detail.record.billable
    assert [a.code for a in detail.ancestors] == ["4", "E08-E13", "E11"]
    category = detail.ancestors[-1]
    assert {n.kind for n in category.notes} >= {NoteKind.EXCLUDES1, NoteKind.USE_ADDITIONAL_CODE}
    assert category.notes[2].refs[0].start == "E10"
    attack = index.detail(CodeSet.ICD10CM, "I21.9")
    assert attack is not None and attack.terms[0].text == "Attack, heart"


def test_children_in_code_order(small_index: Path) -> None:
    index = CodeIndex(small_index)
    kids = index.children(CodeSet.ICD10CM, "S72.001")
    assert [k.code for k in kids] == ["S72.001A", "S72.001D", "S72.001S"]
    assert all(k.billable and k.kind is Kind.CODE for k in kids)


def test_same_key_in_two_code_sets_are_separate_documents(small_index: Path) -> None:
    index = CodeIndex(small_index)
    cm = index.record(CodeSet.ICD10CM, "J96.00")
    hcpcs = index.record(CodeSet.HCPCS, "J9600")
    assert cm is not None and cm.title.startswith("Acute respiratory failure")
    assert hcpcs is not None and hcpcs.title.startswith("Injection, porfimer")


def test_guidelines_and_definitions(small_index: Path) -> None:
    index = CodeIndex(small_index)
    sections = index.guidelines(CodeSet.ICD10PCS, ["operation:Resection", "body_part:Appendix"])
    assert [s.number for s in sections] == ["B3.4a"]
    definition = index.definition("0", 3, "Resection")
    assert definition is not None and definition.definition.startswith("Cutting out")
    modifiers = index.records_of_kind(CodeSet.HCPCS, Kind.MODIFIER)
    assert [m.code for m in modifiers] == ["LT", "RT"]


def test_guidelines_keep_to_their_code_set_and_callers_cannot_change_them(small_index: Path) -> None:
    index = CodeIndex(small_index)
    keys = ["operation:Resection", "CHAPTER:4"]  # one key of each code set; keys match in any case
    assert [s.number for s in index.guidelines(CodeSet.ICD10CM, keys)] == ["I.C.4.a"]
    pcs = index.guidelines(CodeSet.ICD10PCS, keys)
    assert [s.number for s in pcs] == ["B3.4a"]
    pcs.clear()
    assert [s.number for s in index.guidelines(CodeSet.ICD10PCS, keys)] == ["B3.4a"]
    assert index.guidelines(CodeSet.HCPCS, keys) == []
    assert index.guidelines(CodeSet.ICD10CM, []) == []


def test_children_keep_to_their_code_set(small_index: Path) -> None:
    index = CodeIndex(small_index)
    assert index.children(CodeSet.HCPCS, "S72.001") == []
    assert [k.code for k in index.children(CodeSet.ICD10CM, "S72.001")] == ["S72.001A", "S72.001D", "S72.001S"]


def _copy(small_index: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "copy"
    shutil.copytree(small_index, target)
    return target


def test_missing_segment_is_explained(small_index: Path, tmp_path: Path) -> None:
    import pytest

    from desktop.core.index import IndexProblem

    folder = _copy(small_index, tmp_path)
    segment = next(p for p in folder.iterdir() if p.suffix == ".seg")
    segment.unlink()
    with pytest.raises(IndexProblem, match=f"{segment.name} is missing"):
        CodeIndex(folder)


def test_truncated_segment_is_explained(small_index: Path, tmp_path: Path) -> None:
    import pytest

    from desktop.core.index import IndexProblem

    folder = _copy(small_index, tmp_path)
    segment = next(p for p in folder.iterdir() if p.suffix == ".seg")
    segment.write_bytes(segment.read_bytes()[:100])
    with pytest.raises(IndexProblem, match="damaged"):
        CodeIndex(folder)


def test_wrong_schema_version_is_explained(small_index: Path, tmp_path: Path) -> None:
    import json

    import pytest

    from desktop.core.index import IndexProblem

    folder = _copy(small_index, tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["schema_version"] = 999
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexProblem, match="another version"):
        CodeIndex(folder)


def test_checksum_mismatch_is_found_by_verify(small_index: Path, tmp_path: Path) -> None:
    folder = _copy(small_index, tmp_path)
    segment = next(p for p in folder.iterdir() if p.suffix == ".seg")
    data = bytearray(segment.read_bytes())
    data[-1] ^= 0xFF  # same size, different content
    segment.write_bytes(bytes(data))
    from desktop.core.index import verify_index

    assert verify_index(folder) == [segment.name]
    assert verify_index(_copy(small_index, tmp_path / "clean")) == []


def test_pcs_code_axes_come_back_from_the_table_row(small_index: Path) -> None:
    detail = CodeIndex(small_index).detail(CodeSet.ICD10PCS, "0DTJ4ZZ")
    assert detail is not None
    assert [(a.position, a.value, a.label) for a in detail.record.axes] == [
        (1, "0", "Medical and Surgical"),
        (2, "D", "Gastrointestinal System"),
        (3, "T", "Resection"),
        (4, "J", "Appendix"),
        (5, "4", "Percutaneous Endoscopic"),
        (6, "Z", "No Device"),
        (7, "Z", "No Qualifier"),
    ]


def _stored(folder: Path, doc_key: str) -> dict:
    fields = CodeIndex(folder)._stored(doc_key)
    assert fields is not None, doc_key
    return fields


def test_a_pcs_code_stores_only_its_fields_and_reads_back_whole(small_index: Path) -> None:
    stored = _stored(small_index, "ICD-10-PCS:0DTJ4ZZ")
    assert "detail" not in stored  # everything it holds has a field of its own
    assert "order" in stored and "billable" in stored
    record = CodeIndex(small_index).record(CodeSet.ICD10PCS, "0DTJ4ZZ")
    assert record is not None
    assert (record.code, record.kind, record.parent, record.billable) == ("0DTJ4ZZ", Kind.CODE, "0DTJ", True)
    assert record.title.startswith("Resection of Appendix")
    assert len(record.axes) == 7


def test_a_code_keeps_in_its_detail_only_what_has_no_field(small_index: Path) -> None:
    import json

    detail = json.loads(_stored(small_index, "ICD-10-CM:E11")["detail"])
    assert set(detail["record"]) == {"notes"}
    record = CodeIndex(small_index).record(CodeSet.ICD10CM, "E11")
    assert record is not None and record.title == "Type 2 diabetes mellitus" and record.parent == "E08-E13"
    assert {n.kind for n in record.notes} >= {NoteKind.EXCLUDES1}


def test_pcs_body_part_axes_come_back_from_the_table(small_index: Path) -> None:
    assert "axes" not in _stored(small_index, "ICD-10-PCS:0DTJ").get("detail", "")
    record = CodeIndex(small_index).record(CodeSet.ICD10PCS, "0DTJ")
    assert record is not None
    assert [(a.position, a.value, a.label) for a in record.axes] == [
        (1, "0", "Medical and Surgical"),
        (2, "D", "Gastrointestinal System"),
        (3, "T", "Resection"),
        (4, "J", "Appendix"),
    ]


def test_a_format_2_record_holding_everything_in_its_detail_still_reads(small_index: Path) -> None:
    from desktop.core.schema import record_from_stored

    old = {
        "id": "ICD-10-CM:E11.9",
        "code": "E11.9",
        "detail": '{"record":{"code_set":"ICD-10-CM","code":"E11.9","title":"Type 2 diabetes mellitus without '
        'complications","kind":"code","parent":"E11","billable":true,"order":7},"terms":[]}',
    }
    record = record_from_stored(old)
    assert (record.code_set, record.kind, record.parent, record.billable, record.order) == (
        CodeSet.ICD10CM,
        Kind.CODE,
        "E11",
        True,
        7,
    )


def test_ids_are_stored_not_indexed_and_every_kind_of_document_is_still_found(small_index: Path) -> None:
    from whoosh.filedb.filestore import FileStorage

    from desktop.core.schema import find_document

    ix = FileStorage(str(small_index), supports_mmap=False).open_index()
    with ix.reader() as reader:
        assert "id" not in list(reader.indexed_field_names())
        refs = {text.decode() for text in reader.lexicon("ref")}
        assert refs and all(":def:" in ref or ":guideline:" in ref for ref in refs)  # no code's id
        for doc_key in (
            "ICD-10-CM:J96.00",
            "HCPCS:J9600",
            "ICD-10-PCS:def:0:3:resection",
            "ICD-10-PCS:guideline:B3.4a",
        ):
            number = find_document(reader, doc_key)
            assert number is not None and reader.stored_fields(number)["id"] == doc_key
        assert find_document(reader, "ICD-10-CM:J96.0") is None
    ix.close()


def test_records_of_kind_is_read_once_and_callers_cannot_change_it(small_index: Path) -> None:
    index = CodeIndex(small_index)
    first = index.records_of_kind(CodeSet.HCPCS, Kind.MODIFIER)
    first.clear()
    index._searcher = None  # type: ignore[assignment]  # a second read of the index would fail
    assert [m.code for m in index.records_of_kind(CodeSet.HCPCS, Kind.MODIFIER)] == ["LT", "RT"]
