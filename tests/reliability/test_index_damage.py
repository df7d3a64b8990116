"""A damaged or missing index is explained in words a coder can act on, and can be rebuilt in place."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.index import CodeIndex, IndexProblem, verify_index
from desktop.core.schema import SCHEMA_VERSION
from index_build.build import build_index


@pytest.fixture
def index(built_index: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "index"
    shutil.copytree(built_index, folder)
    return folder


def _segment(folder: Path) -> Path:
    return next(path for path in folder.iterdir() if path.suffix == ".seg")


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _problem(folder: Path) -> str:
    with pytest.raises(IndexProblem) as caught:
        CodeIndex(folder)
    return str(caught.value)


def test_deleted_segment(index: Path) -> None:
    segment = _segment(index)
    segment.unlink()
    assert _problem(index) == f"The index in {index} is damaged: the file {segment.name} is missing."


def test_truncated_segment(index: Path) -> None:
    segment = _segment(index)
    size = segment.stat().st_size
    segment.write_bytes(segment.read_bytes()[:1000])
    assert _problem(index) == (
        f"The index in {index} is damaged: {segment.name} is 1,000 bytes, the manifest says {size:,}."
    )


def test_wrong_schema_version(index: Path) -> None:
    manifest = _manifest(index)
    manifest["schema_version"] = SCHEMA_VERSION - 1
    (index / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _problem(index) == (
        f"The index in {index} was built by another version of CodeAtlas "
        f"(index format {SCHEMA_VERSION - 1}, this program reads format "
        f"{SCHEMA_VERSION}). Rebuild it."
    )


def test_checksum_mismatch_is_found_by_the_full_check(index: Path) -> None:
    """Same size, one byte changed: the cheap start-up check cannot see it, verify_index() does."""
    segment = _segment(index)
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    segment.write_bytes(bytes(data))
    assert verify_index(index) == [segment.name]
    CodeIndex(index).close()  # by design the start-up check compares sizes only


def test_missing_manifest(index: Path) -> None:
    (index / "manifest.json").unlink()
    assert _problem(index) == f"No CodeAtlas index was found in {index} (there is no manifest.json)."


def test_missing_folder(tmp_path: Path) -> None:
    assert _problem(tmp_path / "nowhere") == (
        f"No CodeAtlas index was found in {tmp_path / 'nowhere'} (there is no manifest.json)."
    )


@pytest.mark.parametrize("garbage", [b'{"schema_version": 2, "index_fi', b"", b"\xff\xfe{\x00}\x00"])
def test_garbage_manifest(index: Path, garbage: bytes) -> None:
    (index / "manifest.json").write_bytes(garbage)
    assert _problem(index).startswith(f"The index manifest {index / 'manifest.json'} cannot be read: ")


@pytest.mark.parametrize("text", ["[]", "null", '"index"', '{"index_files": []}'])
def test_manifest_that_is_not_an_object(index: Path, text: str) -> None:
    (index / "manifest.json").write_text(text, encoding="utf-8")
    assert _problem(index) == (
        f"The index manifest {index / 'manifest.json'} is not a CodeAtlas manifest. Rebuild the index."
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda manifest: manifest.update(index_files={name: {} for name in manifest["index_files"]}),
        lambda manifest: manifest.update(
            index_files={name: {"size": "big", "sha256": "0"} for name in manifest["index_files"]}
        ),
        lambda manifest: manifest.update(index_files={name: None for name in manifest["index_files"]}),
    ],
)
def test_manifest_with_a_damaged_file_list(index: Path, damage: Callable[[dict], None]) -> None:
    manifest = _manifest(index)
    damage(manifest)
    (index / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _problem(index).startswith(f"The index manifest in {index} is damaged (")
    with pytest.raises(IndexProblem, match="Rebuild the index"):
        verify_index(index)


@pytest.mark.parametrize("damage", ["segment", "manifest", "garbage"])
def test_a_damaged_index_is_rebuilt_in_place(index: Path, fixture_sources: Path, damage: str) -> None:
    if damage == "segment":
        _segment(index).unlink()
    elif damage == "manifest":
        (index / "manifest.json").unlink()
    else:
        (index / "manifest.json").write_bytes(b"\x00" * 10)
    build_index(index, fixture_sources, lambda line: None)
    opened = CodeIndex(index)
    try:
        assert opened.record("ICD-10-CM", "E11.9") is not None
        assert verify_index(index) == []
    finally:
        opened.close()


def test_the_app_never_shows_a_raw_error_for_any_damage(index: Path) -> None:
    """open_engine() turns whatever the index raises into IndexProblem for the no-index screen."""
    from desktop.core.engine import open_engine

    (index / "manifest.json").write_text("[]", encoding="utf-8")
    with pytest.raises(IndexProblem, match="is not a CodeAtlas manifest"):
        open_engine(index)
