"""manifest.json beside an index: what went in, and the size and sha256 of every index file."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from desktop.core.schema import SCHEMA_VERSION

MANIFEST_NAME = "manifest.json"
_BLOCK = 1 << 20


class IndexProblem(Exception):
    """The index is missing, damaged or from another version; the message says which, for a coder."""


def sha256(source: Path | BinaryIO) -> str:
    """Hex sha256 of a file, or of an open binary stream (a zip member) read to its end."""
    digest = hashlib.sha256()
    if isinstance(source, Path):
        with open(source, "rb") as handle:
            for block in iter(lambda: handle.read(_BLOCK), b""):
                digest.update(block)
    else:
        for block in iter(lambda: source.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class IndexFile:
    """One file of the Whoosh index as it was written."""

    size: int
    sha256: str


@dataclass
class Manifest:
    """The manifest of one index. Keys the app does not rely on (timings, counts of unresolved index
    terms, the CPT import's problems) ride along in `extra` and are written back unchanged."""

    schema_version: int = SCHEMA_VERSION
    built_at: str = ""  # ISO 8601, UTC
    code_sets: list[dict[str, Any]] = field(default_factory=list)  # code_set, release, effective, files
    files: list[dict[str, Any]] = field(default_factory=list)  # source files: name, kind, code_set, release, sha256
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # per code set: "codes", "billable codes"...
    skipped: list[str] = field(default_factory=list)  # files found but not read
    warnings: list[str] = field(default_factory=list)
    source_folders: list[str] = field(default_factory=list)  # where the sources were: an update reads them again
    documents: int = 0
    index_files: dict[str, IndexFile] = field(default_factory=dict)
    index_bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    # -- JSON ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for item in dataclasses.fields(self):
            if item.name != "extra":
                data[item.name] = getattr(self, item.name)
        data["index_files"] = {name: {"size": f.size, "sha256": f.sha256} for name, f in self.index_files.items()}
        return {**data, **self.extra}

    @classmethod
    def from_dict(cls, data: Any, where: Path) -> Manifest:
        """The manifest in data (parsed JSON); IndexProblem naming where when it is not one or is damaged."""
        if not isinstance(data, dict) or not isinstance(data.get("index_files", {}), dict):
            raise IndexProblem(
                f"The index manifest {where / MANIFEST_NAME} is not a CodeAtlas manifest. Rebuild the index."
            )
        known = {item.name for item in dataclasses.fields(cls)} - {"extra", "index_files"}
        data = {"schema_version": 0, **data}  # without one it is from no version this program reads
        try:
            files = {
                str(name): IndexFile(int(entry["size"]), str(entry["sha256"]))
                for name, entry in data.get("index_files", {}).items()
            }
            manifest = cls(
                **{name: value for name, value in data.items() if name in known},
                index_files=files,
                extra={name: value for name, value in data.items() if name not in known and name != "index_files"},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IndexProblem(f"The index manifest in {where} is damaged ({exc!r}). Rebuild the index.") from exc
        _check_types(manifest, where)
        return manifest

    # -- files --------------------------------------------------------------------------------

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of the index in folder; IndexProblem (a message for a coder) when absent or damaged."""
        path = folder / MANIFEST_NAME
        if not path.is_file():
            raise IndexProblem(f"No CodeAtlas index was found in {folder} (there is no {MANIFEST_NAME}).")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexProblem(f"The index manifest {path} cannot be read: {exc}") from exc
        return cls.from_dict(data, folder)

    @classmethod
    def read_if_any(cls, folder: Path) -> Manifest | None:
        """The manifest, or None where there is no readable one (callers that only want hints from it)."""
        try:
            return cls.read(folder)
        except IndexProblem:
            return None

    def write(self, folder: Path) -> None:
        """Atomic: a crash mid-write must not leave an index whose manifest is half written."""
        temp = folder / f".{MANIFEST_NAME}.tmp"
        temp.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, folder / MANIFEST_NAME)

    def record_index_files(self, folder: Path) -> None:
        """Size and sha256 of every index file in folder, so damage is detected before it misleads anyone."""
        self.index_files = {
            path.name: IndexFile(path.stat().st_size, sha256(path))
            for path in sorted(folder.iterdir())
            if path.is_file() and path.name != MANIFEST_NAME and not path.name.endswith((".lock", ".tmp"))
        }
        self.index_bytes = sum(entry.size for entry in self.index_files.values())

    def check_sizes(self, folder: Path) -> None:
        """Cheap start-up check: every listed index file is there with its size; IndexProblem if not."""
        for name, entry in self.index_files.items():
            path = folder / name
            if not path.is_file():
                raise IndexProblem(f"The index in {folder} is damaged: the file {name} is missing.")
            size = path.stat().st_size
            if size != entry.size:
                raise IndexProblem(
                    f"The index in {folder} is damaged: {name} is {size:,} bytes, the manifest says {entry.size:,}."
                )

    def verify(self, folder: Path) -> list[str]:
        """Full check against the sha256 sums (reads every file); the names of damaged or missing files."""
        damaged = []
        for name, entry in self.index_files.items():
            try:
                if sha256(folder / name) != entry.sha256:
                    damaged.append(name)
            except OSError:
                damaged.append(name)
        return damaged


def _check_types(manifest: Manifest, where: Path) -> None:
    """A field of the wrong JSON type is damage, found here rather than as a crash in the About box."""
    expected = {
        "schema_version": int,
        "built_at": str,
        "code_sets": list,
        "files": list,
        "counts": dict,
        "skipped": list,
        "warnings": list,
        "source_folders": list,
        "documents": int,
        "index_bytes": int,
    }
    for name, kind in expected.items():
        value = getattr(manifest, name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise IndexProblem(
                f"The index manifest in {where} is damaged ({name} is {type(value).__name__}). Rebuild the index."
            )
    if not all(isinstance(entry, dict) for entry in [*manifest.code_sets, *manifest.files]):
        raise IndexProblem(f"The index manifest in {where} is damaged (a code set or file entry). Rebuild the index.")
