"""The writer fills the folder it is given; staging.staged builds aside and swaps in, so a failure costs nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.index import CodeIndex
from desktop.core.manifest import Manifest
from desktop.core.records import CodeSet
from index_build import writer
from index_build.manifest import make_manifest
from index_build.staging import staged
from index_build.writer import write_index
from tests.sample_data import sample_parsed


def _write(folder: Path) -> Manifest:
    parsed = sample_parsed()
    return write_index(folder, parsed, make_manifest({"all": parsed}, ["notes.txt"], 0.0), lambda _: None)


def _write_staged(folder: Path) -> Manifest:
    with staged(folder) as fresh:
        return _write(fresh)


def test_manifest_beside_index(tmp_path: Path) -> None:
    manifest = _write(tmp_path / "ix")
    on_disk = json.loads((tmp_path / "ix" / "manifest.json").read_text())
    assert on_disk["documents"] == manifest.documents > 30
    assert on_disk["skipped"] == ["notes.txt"]
    assert {c["code_set"] for c in on_disk["code_sets"]} == {"ICD-10-CM", "ICD-10-PCS", "HCPCS"}
    assert on_disk["index_bytes"] > 0


def test_writes_into_the_folder_it_is_given_and_only_a_fresh_one(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    _write(folder)
    assert [p.name for p in tmp_path.iterdir()] == ["ix"]  # no staging of its own
    assert Manifest.read(folder).verify(folder) == []
    with pytest.raises(FileExistsError, match="is not empty"):
        _write(folder)


def test_failed_build_leaves_previous_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ix"
    _write_staged(folder)
    before = sorted(p.name for p in folder.iterdir())

    def broken(parsed, linker):
        yield {"id": "x", "code": "x"}
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_documents", broken)
    with pytest.raises(RuntimeError):
        _write_staged(folder)
    assert sorted(p.name for p in folder.iterdir()) == before
    assert CodeIndex(folder).record(CodeSet.ICD10CM, "E11.9") is not None
    assert [p.name for p in tmp_path.iterdir()] == ["ix"]  # no staging folder left behind


def test_refuses_to_replace_a_foreign_folder(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="is not a CodeAtlas index"):
        _write_staged(folder)
    assert (folder / "letter.txt").read_text() == "keep me"


def test_unresolved_index_terms_are_reported(tmp_path: Path) -> None:
    from desktop.core.records import IndexTerm

    parsed = sample_parsed()
    parsed.index_terms.append(IndexTerm(CodeSet.ICD10PCS, "pcs", ("Old", "stub"), "0ZZZ"))
    manifest = write_index(tmp_path / "ix", parsed, make_manifest({"all": parsed}, [], 0.0), lambda _: None)
    assert manifest.extra["unresolved_index_terms"]["ICD-10-PCS pcs"]["examples"] == ["0ZZZ"]


def test_pcs_stub_longer_than_a_body_part_attaches_to_the_body_part(tmp_path: Path) -> None:
    from desktop.core.records import IndexTerm

    parsed = sample_parsed()
    parsed.index_terms.append(IndexTerm(CodeSet.ICD10PCS, "pcs", ("Appendix", "laparoscopic"), "0DTJ4"))
    manifest = write_index(tmp_path / "ix", parsed, make_manifest({"all": parsed}, [], 0.0), lambda _: None)
    assert manifest.extra["unresolved_index_terms"] == {}
    detail = CodeIndex(tmp_path / "ix").detail(CodeSet.ICD10PCS, "0DTJ")
    assert detail is not None
    assert ("Appendix, laparoscopic", "0DTJ4") in {(t.text, t.code) for t in detail.terms}
