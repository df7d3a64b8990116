"""The one manifest module: exact JSON round trip, atomic write, size and checksum checks, clear errors."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from desktop.core import manifest as manifest_module
from desktop.core.manifest import MANIFEST_NAME, IndexFile, IndexProblem, Manifest, sha256

# The layout every index built so far carries (keys and their order), including the builder's extras.
WRITTEN = {
    "schema_version": 2,
    "built_at": "2030-04-02T10:00:00+00:00",
    "parse_seconds": 1.5,
    "builder": {"python": "3.11.9"},
    "code_sets": [{"code_set": "HCPCS", "release": "April 2030", "effective": "2030-04-01", "files": ["a.txt"]}],
    "files": [{"name": "a.txt", "kind": "hcpcs-anweb-txt", "code_set": "HCPCS", "sha256": "ab" * 32}],
    "counts": {"HCPCS": {"codes": 3}},
    "skipped": ["notes.txt"],
    "warnings": [],
    "source_folders": ["/data/sources"],
    "documents": 3,
    "unresolved_index_terms": {},
    "index_files": {"MAIN_1.seg": {"size": 5, "sha256": hashlib.sha256(b"12345").hexdigest()}},
    "index_bytes": 5,
    "write_seconds": 0.2,
}


def _folder(tmp_path: Path, data: object = WRITTEN) -> Path:
    folder = tmp_path / "ix"
    folder.mkdir()
    (folder / "MAIN_1.seg").write_bytes(b"12345")
    (folder / MANIFEST_NAME).write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_round_trip_keeps_every_key_and_value(tmp_path: Path) -> None:
    manifest = Manifest.read(_folder(tmp_path))
    assert manifest.documents == 3 and manifest.source_folders == ["/data/sources"]
    assert manifest.index_files == {"MAIN_1.seg": IndexFile(5, WRITTEN["index_files"]["MAIN_1.seg"]["sha256"])}
    assert manifest.extra == {
        "parse_seconds": 1.5,
        "builder": {"python": "3.11.9"},
        "unresolved_index_terms": {},
        "write_seconds": 0.2,
    }
    assert manifest.to_dict() == WRITTEN
    manifest.write(tmp_path / "ix")
    assert json.loads((tmp_path / "ix" / MANIFEST_NAME).read_text(encoding="utf-8")) == WRITTEN


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    before = (folder / MANIFEST_NAME).read_bytes()
    manifest = Manifest.read(folder)

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(manifest_module.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        manifest.write(folder)
    assert (folder / MANIFEST_NAME).read_bytes() == before


def test_checks_sizes_and_checksums(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    manifest = Manifest.read(folder)
    manifest.check_sizes(folder)
    assert manifest.verify(folder) == []
    (folder / "MAIN_1.seg").write_bytes(b"12346")  # same size, other bytes: only verify sees it
    manifest.check_sizes(folder)
    assert manifest.verify(folder) == ["MAIN_1.seg"]
    (folder / "MAIN_1.seg").write_bytes(b"123")
    with pytest.raises(IndexProblem, match=r"MAIN_1\.seg is 3 bytes, the manifest says 5"):
        manifest.check_sizes(folder)
    (folder / "MAIN_1.seg").unlink()
    assert manifest.verify(folder) == ["MAIN_1.seg"]
    with pytest.raises(IndexProblem, match=r"the file MAIN_1\.seg is missing"):
        manifest.check_sizes(folder)


def test_record_index_files_lists_what_the_folder_holds(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "MAIN_2.seg").write_bytes(b"abc")
    (folder / "MAIN_WRITELOCK.lock").write_bytes(b"")
    manifest = Manifest()
    manifest.record_index_files(folder)
    assert sorted(manifest.index_files) == ["MAIN_1.seg", "MAIN_2.seg"]
    assert manifest.index_bytes == 8
    assert manifest.index_files["MAIN_2.seg"].sha256 == hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "is not a CodeAtlas manifest"),
        ({**WRITTEN, "index_files": []}, "is not a CodeAtlas manifest"),
        ({**WRITTEN, "index_files": {"MAIN_1.seg": {"size": "big", "sha256": "0"}}}, "is damaged"),
        ({**WRITTEN, "documents": "many"}, r"is damaged \(documents is str\)"),
        ({**WRITTEN, "code_sets": ["HCPCS"]}, "is damaged"),
    ],
)
def test_damaged_manifests_name_the_folder(tmp_path: Path, data: object, message: str) -> None:
    folder = _folder(tmp_path, data)
    with pytest.raises(IndexProblem, match=message) as caught:
        Manifest.read(folder)
    assert str(folder) in str(caught.value)
    assert Manifest.read_if_any(folder) is None


def test_a_manifest_without_a_version_is_not_taken_for_this_one(tmp_path: Path) -> None:
    data = {key: value for key, value in WRITTEN.items() if key != "schema_version"}
    assert Manifest.read(_folder(tmp_path, data)).schema_version == 0


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(IndexProblem, match="No CodeAtlas index was found"):
        Manifest.read(tmp_path)


def test_one_sha256_for_files_and_streams(tmp_path: Path) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(b"x" * (3 << 20))  # several blocks
    expected = hashlib.sha256(b"x" * (3 << 20)).hexdigest()
    assert sha256(path) == expected
    assert sha256(io.BytesIO(path.read_bytes())) == expected


def test_the_built_index_passes_its_own_checks(small_index: Path, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(small_index, folder)
    manifest = Manifest.read(folder)
    manifest.check_sizes(folder)
    assert manifest.verify(folder) == []
    assert manifest.documents > 30 and manifest.index_bytes == sum(f.size for f in manifest.index_files.values())
